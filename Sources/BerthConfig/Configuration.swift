import BerthAWS
import BerthTemplate
import Foundation
import BerthResources

/// The app's configuration directory: one YAML file per environment, or per template of
/// preview environments (a file with `template: {namePrefix: pr-}`).
public struct Configuration: Sendable {
    /// The directory, as given (the CLI finds it when it is not given).
    public let directory: String
    /// Preview environments to make from templates for this command (`--env pr-51 --from
    /// preview`): the environment's name → the template's.
    public var previews: [String: String]
    /// The one environment whose phase-2 stacks the command needs (`synth --env`), which
    /// `blueprint()` passes on for `AppBlueprint.build()`; `nil` for every environment. Every
    /// file is still read and checked.
    public var selectedEnvironment: String?

    /// What the files held, read on first use and kept: synth, the problems it places and the
    /// commands after it (destroy's protection check) read each file once. Copies share it.
    private let parsed = ParsedFiles()

    public init(directory: String, previews: [String: String] = [:]) {
        self.directory = directory
        self.previews = previews
    }

    /// Every environment, sorted by name, with the previews made from templates at the end;
    /// templates are not environments. All files are read and every mistake in any of them is
    /// reported together.
    public func environments() throws(ConfigurationError) -> [EnvironmentConfig] {
        let files = try files()
        let regular = files.filter { $0.settings.previewPrefix == nil }
        var made: [EnvironmentConfig] = []
        var errors: [SourceError] = []
        for (name, templateName) in previews.sorted(by: { $0.key < $1.key }) {
            guard let template = files.first(where: { $0.name == templateName }) else {
                errors.append(SourceError(file: directory, line: 0, column: 0, message: "no template \(templateName); the templates are \(Self.list(files.filter { $0.settings.previewPrefix != nil }.map(\.name)))"))
                continue
            }
            guard let prefix = template.settings.previewPrefix else {
                errors.append(SourceError(file: template.file, line: 0, column: 0, message: "\(templateName) is an environment, not a template: a template has template: {namePrefix: …}"))
                continue
            }
            guard EnvironmentConfig.isValidName(name), name.hasPrefix(prefix), name.count > prefix.count else {
                errors.append(SourceError(file: template.file, line: 0, column: 0, message: "\"\(name)\" is not a name for a preview of \(templateName): it must start with \(prefix) and hold lowercase letters, digits and single hyphens, at most 32"))
                continue
            }
            guard !regular.contains(where: { $0.name == name }) else {
                errors.append(SourceError(file: template.file, line: 0, column: 0, message: "\(name) is an environment of its own; it cannot also be a preview of \(templateName)"))
                continue
            }
            var preview = template
            preview.name = name
            preview.settings.name = name
            preview.settings.previewPrefix = nil
            preview.settings.template = templateName
            made.append(preview)
        }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        return regular + made
    }

    /// Refuses a preview this run makes (`--from`) whose services' log groups and task families
    /// another preview of the same template could have (`sharedNames(ofPreview:prefix:services:)`),
    /// or whose images another environment's lifecycle rule would count (`rule(countingPreview:prefix:in:)`).
    /// Asked before a preview is tagged or deployed, not whenever one is read: a preview deployed
    /// before this check is still destroyed, shown and diffed.
    public func checkNewPreviewNames() throws(ConfigurationError) {
        let files = try files()
        var errors: [SourceError] = []
        for (name, templateName) in previews.sorted(by: { $0.key < $1.key }) {
            guard let template = files.first(where: { $0.name == templateName }), let prefix = template.settings.previewPrefix else { continue }
            if let other = Self.rule(countingPreview: name, of: template, in: files) {
                let owner = other.settings.previewPrefix == nil ? "environment \(other.name)" : "template \(other.name)"
                errors.append(
                    SourceError(
                        file: template.file, line: 0, column: 0,
                        message: "\"\(name)\" is not a name for a new preview of \(templateName): its images' tags (\(name)-…) start with "
                            + "\(other.settings.tagPrefix), \(owner)'s, whose lifecycle rule would count them and expire its own images as they are pushed; "
                            + "choose a name that does not start with \(other.settings.tagPrefix)"))
                continue
            }
            guard let clash = Self.sharedNames(ofPreview: name, prefix: prefix, services: template.settings.services.map(\.name)) else { continue }
            errors.append(
                SourceError(
                    file: template.file, line: 0, column: 0,
                    message: "\"\(name)\" is not a name for a new preview of \(templateName): its service \(clash.service)'s log group and task family "
                        + "would be named as preview \(clash.preview)'s service \(clash.itsService)'s (<app>-\(name)-\(clash.service)); name it otherwise"))
        }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
    }

    /// For preview `name` of `template`, another environment or template among `files` whose
    /// lifecycle rule would count its images: one whose tag prefix starts the preview's tags
    /// (`pr-5-` of environment `pr-5` for preview `pr-5-1`, `staging-` for `staging-pr-1`), in a
    /// repository both serve. ECR's rules count every image their criteria select, so its pushes
    /// and the preview's would expire each other's images.
    static func rule(countingPreview name: String, of template: EnvironmentConfig, in files: [EnvironmentConfig]) -> EnvironmentConfig? {
        let services = Set(template.settings.services.map(\.name))
        return files.first { other in
            other.name != template.name && "\(name)-".hasPrefix(other.settings.tagPrefix)
                && other.settings.services.contains { services.contains($0.name) }
        }
    }

    /// For preview `name`, a shorter preview of the same template whose service's log group and
    /// task family, `<app>-<preview>-<service>`, would have one of this one's names: preview
    /// `pr-51-web`'s service `api` and preview `pr-51`'s service `web-api` are both
    /// `<app>-pr-51-web-api`. Only the longer name is refused, so each such pair keeps one.
    static func sharedNames(ofPreview name: String, prefix: String, services: [String]) -> (preview: String, itsService: String, service: String)? {
        let parts = name.split(separator: "-")
        for cut in parts.indices.dropFirst() {
            let shorter = parts[..<cut].joined(separator: "-")
            let rest = parts[cut...].joined(separator: "-")
            guard shorter.hasPrefix(prefix), shorter.count > prefix.count else { continue }
            for service in services where services.contains("\(rest)-\(service)") {
                return (shorter, "\(rest)-\(service)", service)
            }
        }
        return nil
    }

    /// The templates of preview environments.
    public func templates() throws(ConfigurationError) -> [EnvironmentConfig] {
        try files().filter { $0.settings.previewPrefix != nil }
    }

    /// The names in `directory` but `.` and `..`, as `FileManager.contentsOfDirectory` lists
    /// them, read with opendir and readdir; `nil` when it cannot be opened.
    private static func entries(of directory: String) -> [String]? {
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The most an environment file is read to: far more than any real one holds.
    static let fileSizeLimit = 16 << 20

    private static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }

    /// Every file read, environments and templates alike: read and checked once, on first use.
    private func files() throws(ConfigurationError) -> [EnvironmentConfig] {
        try parsed.value { () throws(ConfigurationError) in try readFiles() }
    }

    /// Reads every file of the directory and checks each; every mistake in any of them at once.
    private func readFiles() throws(ConfigurationError) -> [EnvironmentConfig] {
        guard let names = Self.entries(of: directory) else {
            throw ConfigurationError(errors: [
                SourceError(
                    file: directory, line: 0, column: 0,
                    message: "cannot read the configuration directory (it does not exist, is not a directory, or cannot be listed); name the directory that holds the environment files")
            ])
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        // `dev.YAML` would otherwise be passed over without a word, mistakes and all.
        let miscased = names.filter { name in
            let lowercased = name.lowercased()
            return (lowercased.hasSuffix(".yaml") || lowercased.hasSuffix(".yml")) && !files.contains(name)
        }.sorted().map { name in
            SourceError(
                file: (directory as NSString).appendingPathComponent(name), line: 0, column: 0,
                message: "an environment file's name ends in .yaml or .yml, in lowercase: rename it")
        }
        guard !files.isEmpty || !miscased.isEmpty else {
            throw ConfigurationError(errors: [
                SourceError(
                    file: directory, line: 0, column: 0,
                    message: "holds no environment files; add one such as dev.yaml (see the README)")
            ])
        }
        var environments: [EnvironmentConfig] = []
        var errors = miscased
        var seen: [String: String] = [:]
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            let name = String(file.prefix(upTo: file.lastIndex(of: ".") ?? file.endIndex))
            guard EnvironmentConfig.isValidName(name) else {
                errors.append(
                    SourceError(
                        file: path, line: 0, column: 0,
                        message: "\"\(name)\" is not a valid environment name: use lowercase letters, digits and hyphens, starting with a letter, at most 32"))
                continue
            }
            if let other = seen[name] {
                errors.append(SourceError(file: path, line: 0, column: 0, message: "environment \(name) is also defined by \(other)"))
                continue
            }
            seen[name] = path
            let bytes: [UInt8]
            do {
                bytes = try RegularFile.read(path, limit: Self.fileSizeLimit)
            } catch {
                errors.append(SourceError(file: path, line: 0, column: 0, message: error.problem))
                continue
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                errors.append(SourceError(file: path, line: 0, column: 0, message: "cannot be read as UTF-8 text"))
                continue
            }
            let environment: EnvironmentConfig
            do {
                environment = try EnvironmentConfig.parse(text, name: name, file: path)
            } catch {
                errors += error.errors
                continue
            }
            // A template of previews makes no stacks under its own name.
            if environment.settings.previewPrefix == nil, let problem = EnvironmentConfig.reservedNameProblem(name) {
                errors.append(SourceError(file: path, line: 0, column: 0, message: problem))
                continue
            }
            environments.append(environment)
        }
        // What the files that read well break across one another is said with the others'
        // mistakes, not after they are mended (every mistake at once).
        guard errors.isEmpty else {
            throw ConfigurationError(errors: errors + (environments.isEmpty ? [] : Self.crossFileProblems(environments).errors))
        }
        return environments
    }

    /// The app that the environment files describe: its name, environments and services. Every
    /// environment must name the same app, and the same region or `repositories:` (their services
    /// share repositories).
    public func blueprint() throws(ConfigurationError) -> AppBlueprint {
        let environments = try environments()
        let templates = try templates()
        let (app, errors) = Self.crossFileProblems(environments + templates)
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        var blueprint = AppBlueprint(name: app, environments: environments.map(\.settings), templates: templates.map(\.settings))
        blueprint.selectedEnvironment = selectedEnvironment
        return blueprint
    }

    /// What must hold across every environment and template of an app, and does not: one app
    /// name, where the repositories are and their KMS key, each service's kind and job image,
    /// and the services' repositories. The
    /// app's name comes back too ("" when the files disagree on it).
    static func crossFileProblems(_ files: [EnvironmentConfig]) -> (app: String, errors: [SourceError]) {
        var errors: [SourceError] = []
        var app = ""
        do { app = try sharedValue("app", of: files) { $0.app } } catch { errors += error.errors }
        errors += locationProblems(files)
        do {
            _ = try sharedValue("repositoryKmsKeyArn", of: files) { $0.settings.repositoryKMSKeyArn ?? "" }
        } catch { errors += error.errors }
        errors += serviceAgreementProblems(files)
        if errors.isEmpty { errors += repositoryProblems(app: app, files) }
        return (app, errors)
    }

    /// The mistakes that adding `file` to this directory's environment files would make across
    /// them (another app's name, another region without `repositories`, …), for `berth init
    /// --environment-only`; none when it fits, or when the files cannot be read to say.
    /// Mistakes the files already make without it are not counted.
    public func problems(adding file: EnvironmentConfig) -> [SourceError] {
        guard let existing = try? environments() + templates(), !existing.isEmpty else { return [] }
        let before = Set(Self.crossFileProblems(existing).errors)
        let crossFile = Self.crossFileProblems(existing + [file]).errors.filter { !before.contains($0) }
        guard crossFile.isEmpty else { return crossFile }
        // And what the app as a whole would refuse (two environments with one tag prefix, two
        // stacks or log groups of one name), as the app's blueprint builds the files.
        func appProblems(_ files: [EnvironmentConfig]) -> [String] {
            let environments = files.filter { $0.settings.previewPrefix == nil }.map(\.settings)
            let templates = files.filter { $0.settings.previewPrefix != nil }.map(\.settings)
            return AppBlueprint(name: file.app, environments: environments, templates: templates).build().validate().map(\.description)
        }
        let known = Set(appProblems(existing))
        return appProblems(existing + [file]).filter { !known.contains($0) }.map { SourceError(file: file.file, line: 1, column: 1, message: $0) }
    }

    /// The one value that every environment must share, such as the app's name or the region
    /// of the repository they all pull from.
    public static func sharedValue(
        _ key: String, of environments: [EnvironmentConfig], _ value: (EnvironmentConfig) -> String
    ) throws(ConfigurationError) -> String {
        guard let first = environments.first else {
            throw ConfigurationError(errors: [SourceError(file: key, line: 0, column: 0, message: "no environments")])
        }
        let expected = value(first)
        var errors: [SourceError] = []
        for environment in environments.dropFirst() where value(environment) != expected {
            let mark = environment.positions[key]
            errors.append(
                SourceError(
                    file: environment.file, line: mark?.line ?? 0, column: mark?.column ?? 0,
                    message: "\(key): \"\(value(environment))\" differs from \"\(expected)\" in \(first.file); every environment of the app must agree"))
        }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        return expected
    }
}

/// The files of a configuration directory as first read (or the mistakes found in them), kept
/// for every later use of the same `Configuration` and its copies.
private final class ParsedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<[EnvironmentConfig], ConfigurationError>?

    func value(
        _ read: () throws(ConfigurationError) -> [EnvironmentConfig]
    ) throws(ConfigurationError) -> [EnvironmentConfig] {
        lock.lock()
        defer { lock.unlock() }
        if let kept = result { return try kept.get() }
        let outcome: Result<[EnvironmentConfig], ConfigurationError>
        do { outcome = .success(try read()) } catch { outcome = .failure(error) }
        result = outcome
        return try outcome.get()
    }
}
