import BerthAWS
import BerthTemplate
import Foundation
import BerthDeploy
import BerthResources

/// The format synth writes templates in.
public enum TemplateFormat: String, Sendable, CaseIterable {
    case json, yaml

    var fileExtension: String { rawValue }
}

/// Builds an app, validates it, renders its templates and writes them with the manifest.
/// Nothing is written unless every stack is valid.
struct Synthesizer {
    let definition: any AppDefinition
    let configuration: Configuration
    /// What the error of an invalid app says was left undone: synth writes nothing; another
    /// command, which synthesizes before it calls AWS, sends nothing.
    var leftUndone = "nothing was written"

    /// A rendered template, ready to write.
    struct RenderedStack {
        let stack: Stack
        let fileName: String
        let text: String
        /// The template as the value `text` was rendered from, kept for the manifest's plan.
        let value: JSONValue
    }

    /// The result of a synth: the app, the rendered stacks that were selected, and the warnings
    /// about them, each placed at its file, line and key where it comes from one.
    struct Result {
        let app: App
        let rendered: [RenderedStack]
        /// Each warning with the stack it is about, placed as `warnings` places it.
        let warnings: [(stack: String, text: String)]
    }

    /// Builds, selects, validates and renders; throws with every problem found.
    func synthesize(environment: String?, stackName: String?, format: TemplateFormat) throws -> Result {
        let app: App
        do {
            // With --env, an app built from a blueprint makes only that environment's phase-2 stacks.
            var configuration = configuration
            configuration.selectedEnvironment = environment
            app = try definition.makeApp(configuration: configuration)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw CommandFailure(.inputError, "the app's stack definitions failed: \(error)")
        }
        let selected = try select(from: app, environment: environment, stackName: stackName)
        var problems = app.validate()
        var rendered: [RenderedStack] = []
        for stack in selected {
            let value = stack.template.templateValue
            let text = format == .json ? value.jsonText() : value.yamlText()
            let size = text.utf8.count
            if size > TemplateLimits.maxTemplateBodyBytes {
                problems.append(
                    ValidationProblem(
                        stack: stack.name, location: "template",
                        message: "\(size) bytes, over the \(TemplateLimits.maxTemplateBodyBytes)-byte limit for a template sent inline; it would have to go through S3, which Berth does not do yet: split the stack"))
            }
            rendered.append(RenderedStack(stack: stack, fileName: "\(stack.name).template.\(format.fileExtension)", text: text, value: value))
        }
        guard problems.isEmpty else {
            let lines = place(problems, in: app).map { "  - \($0)" }
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            throw CommandFailure(.inputError, "the app has \(count); \(leftUndone):\n" + lines.joined(separator: "\n"))
        }
        let warnings = selected.flatMap(\.warnings)
        let placed = warnings.isEmpty ? [] : place(warnings, in: app)
        return Result(app: app, rendered: rendered, warnings: zip(warnings, placed).map { ($0.stack ?? "", $1) })
    }

    /// Each problem as a line, prefixed with the file, line and column of the key it is about
    /// when it comes from an environment file.
    private func place(_ problems: [ValidationProblem], in app: App) -> [String] {
        // The configuration keeps the environments it read for the app: nothing is read again.
        let environments = (try? configuration.environments()) ?? []
        let byName = Dictionary(environments.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let templates = Dictionary(((try? configuration.templates()) ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let stacks = Dictionary(app.stacks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return problems.map { problem -> String in
            // A key the file does not have (a control's required `https.certificateArn`) is placed
            // at the file itself.
            if let stack = problem.stack.flatMap({ stacks[$0] }), let environment = stack.environment, let file = byName[environment] {
                return "\(file.location(of: problem.location, service: stack.service) ?? file.file): \(problem)"
            }
            // A repository stack's (its `mutableTags`), at the first file that names the key.
            if let stack = problem.stack.flatMap({ stacks[$0] }), stack.environment == nil, let service = stack.service,
                let place = environments.lazy.compactMap({ $0.location(of: problem.location, service: service) }).first
            {
                return "\(place): \(problem)"
            }
            // A problem of a whole environment (`environment dev`) is placed at its file; of a
            // template (`template preview`), at its namePrefix.
            if problem.stack == nil, let name = problem.location.split(separator: " ", maxSplits: 1).last.map(String.init) {
                if problem.location == "environment \(name)", let file = byName[name] { return "\(file.file): \(problem)" }
                if problem.location == "template \(name)", let file = templates[name] {
                    return "\(file.location(of: "template.namePrefix") ?? file.file): \(problem)"
                }
            }
            return "\(problem)"
        }
    }

    private func select(from app: App, environment: String?, stackName: String?) throws -> [Stack] {
        var selected = app.stacks
        if let environment {
            let known = Set(app.allStacks.compactMap(\.environment))
            guard known.contains(environment) else {
                throw CommandFailure(
                    .inputError,
                    "no environment \(environment); the app has \(known.sorted().joined(separator: ", "))" + configuration.previewHint(for: environment))
            }
            selected = selected.filter { $0.environment == nil || $0.environment == environment }
        }
        if let stackName {
            guard let stack = selected.first(where: { $0.name == stackName }) else {
                throw CommandFailure(
                    .inputError,
                    "no stack \(stackName)\(environment.map { " in environment \($0)" } ?? ""); there are \(selected.map(\.name).joined(separator: ", "))")
            }
            selected = [stack]
        }
        return selected
    }

    /// A template file a whole-app synth removed, and why: its stack is no longer in the app, or
    /// the stack is written in the other format now.
    struct Removal: Equatable {
        let path: String
        let stackRemains: Bool
    }

    /// Writes the templates and the manifest into `directory`: every file is first written
    /// whole under a hidden name of its own, and only when all are written are they renamed
    /// into place, the manifest last, so that a failed run leaves the directory as it was. A
    /// `manifest.json` already there must be one Berth wrote for this app: another app's, or a
    /// file of another tool, is refused before anything is written. With `removingStale`, the
    /// templates that the previous manifest listed and this result does not write are removed
    /// afterwards, and so is each written stack's template in the other format (a synth with
    /// `--env` or `--stack` in between lists only its own in the manifest) when the directory
    /// holds this app's manifest. Without it, the manifest carries over the templates the
    /// previous one listed that this result does not write (`Manifest.earlierTemplates`). Staged files of this app's names that a killed run left behind
    /// go too (`StagedFile.removeAbandoned`); other files are never touched. Returns what was removed.
    @discardableResult
    func write(_ result: Result, to directory: String, removingStale: Bool = false) throws -> [Removal] {
        if let out = Self.resolved(directory), out == Self.resolved(configuration.directory) {
            throw CommandFailure(
                .inputError,
                "--out \(directory) is the configuration directory: its templates would be read as environment files; choose another --out")
        }
        let listed = try Self.templateFiles(inManifestOf: directory, app: result.app.name)
        var previous = removingStale ? listed ?? [] : []
        if removingStale, listed != nil {
            for rendered in result.rendered {
                for format in TemplateFormat.allCases where !rendered.fileName.hasSuffix(".\(format.fileExtension)") {
                    previous.append("\(rendered.stack.name).template.\(format.fileExtension)")
                }
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandFailure(.failure, "cannot create the output directory \(directory): \(error.localizedDescription)")
        }
        var entries: [Manifest.Entry] = []
        var staged: [StagedFile] = []
        var committed = 0
        do {
            for rendered in result.rendered {
                staged.append(try OutputFile.stage(rendered.text, named: rendered.fileName, in: directory))
                entries.append(Manifest.Entry(stack: rendered.stack, templateFile: rendered.fileName, byteSize: rendered.text.utf8.count))
            }
            // A synth of one environment or stack carries over what earlier ones wrote and it did
            // not, while the file is there, for the next whole synth to remove when stale.
            let written = Set(entries.map(\.templateFile))
            let earlier = removingStale ? [] : Set(listed ?? []).subtracting(written).filter { file in
                var info = stat()
                return lstat((directory as NSString).appendingPathComponent(file), &info) == 0
            }.sorted()
            let manifest = Manifest(app: result.app, entries: entries, plan: DeployPlan(synthesized: result), earlierTemplates: earlier)
            staged.append(try OutputFile.stage(manifest.jsonValue.jsonText(), named: "manifest.json", in: directory))
            for file in staged {
                try file.commit()
                committed += 1
            }
        } catch {
            // What is not in place yet goes (a failed commit has removed its own already).
            staged[committed...].forEach { $0.discard() }
            throw error
        }
        let written = Set(result.rendered.map(\.fileName))
        let stacks = Set(result.app.allStacks.map(\.name))
        // What a run killed before it could commit or discard left under hidden names goes.
        let ownNames = stacks.flatMap { stack in TemplateFormat.allCases.map { "\(stack).template.\($0.fileExtension)" } }
        var manifest = stat()
        let now = lstat((directory as NSString).appendingPathComponent("manifest.json"), &manifest) == 0 ? StagedFile.modified(manifest) : time(nil)
        StagedFile.removeAbandoned(of: Set(ownNames + (listed ?? []) + ["manifest.json"]), in: directory, now: now)
        var removed: [Removal] = []
        var seen: Set<String> = []
        for file in previous where !written.contains(file) && seen.insert(file).inserted {
            let path = (directory as NSString).appendingPathComponent(file)
            let stack = file.components(separatedBy: ".template.").first ?? file
            if unlink(path) == 0 { removed.append(Removal(path: path, stackRemains: stacks.contains(stack))) }
        }
        return removed
    }

    /// `path` with every symbolic link and `..` resolved, or `nil` when it does not exist.
    private static func resolved(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The template files the manifest in `directory` lists: plain names ending in
    /// `.template.json` or `.template.yaml`, nothing else; `nil` when there is no manifest.
    /// Throws when `manifest.json` is there but is not Berth's manifest of `app` (another app's
    /// output, another tool's file, something that cannot be read): synth would overwrite it.
    static func templateFiles(inManifestOf directory: String, app: String) throws -> [String]? {
        let path = (directory as NSString).appendingPathComponent("manifest.json")
        var info = stat()
        if lstat(path, &info) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CommandFailure(.failure, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let advice = "choose another --out, or move the file away"
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path)
        } catch {
            throw CommandFailure(.inputError, "\(path) is in the way: it \(error.problem); \(advice)")
        }
        guard let text = String(validating: bytes, as: UTF8.self), let manifest = try? JSONValue.parseJSON(text, file: path),
            case .int = manifest["version"], let owner = manifest["app"]?.stringValue, EnvironmentConfig.isValidName(owner),
            let stacks = manifest["stacks"]?.elements
        else {
            throw CommandFailure(.inputError, "\(path) is not a manifest Berth wrote, and synth would overwrite it; \(advice)")
        }
        guard owner == app else {
            throw CommandFailure(
                .inputError,
                "\(directory) holds app \(owner)'s templates (\(path)); synth app \(app) into a directory of its own with --out")
        }
        let earlier = manifest["earlierTemplates"]?.elements ?? []
        return (stacks.compactMap { $0["templateFile"]?.stringValue } + earlier.compactMap(\.stringValue)).filter { name in
            !name.contains("/") && !name.hasPrefix(".") && (name.hasSuffix(".template.json") || name.hasSuffix(".template.yaml"))
        }
    }
}
