import ArgumentParser
import BerthTemplate
import Foundation

extension TemplateFormat: ExpressibleByArgument {}

/// `berth synth`: validate the app and write its templates and manifest.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Validate the app and write its CloudFormation templates and manifest.",
        discussion: """
            Writes out/<stack>.template.json (or .yaml) and out/manifest.json; nothing is written when any stack \
            is invalid. Without --env and --stack, the templates the previous manifest listed that are no longer \
            written (a stack removed or renamed, the other format), and each stack's template in the other format, \
            are removed.

            --bootstrap writes only out/bootstrap/<app>-bootstrap.template.json: the template a team deploys once in \
            each account the app's environments run in, with the deploy role (an environment's roleArn) and the \
            CloudFormation execution role (its cloudFormationRoleArn). It depends on the app's name only, so it takes \
            no --env or --stack; the manifest is not touched, and no later synth removes it (a --bootstrap in the \
            other --format replaces it).

            Examples:
              berth synth                                  every stack, as JSON, into out/
              berth synth --env dev --format yaml
              berth synth --stack shop-api-dev --stdout
              berth synth --bootstrap                      out/bootstrap/<app>-bootstrap.template.json

            Exit codes: 0 written; 1 a file could not be written; 2 invalid input (environment files, \
            stack definitions, flags); nothing is written on 2.
            """)

    @OptionGroup var appOptions: AppOptions

    @Option(help: "Only this environment's stacks (and the shared phase-1 stacks).")
    var env: String?

    @Option(help: ArgumentHelp("The output directory.", valueName: "dir"))
    var out = "out"

    @Option(help: "Template format: json, or yaml with short-form tags (!Ref, !GetAtt, !Sub …).")
    var format: TemplateFormat = .json

    @Option(help: "Only this stack.")
    var stack: String?

    @Flag(help: "Print the one selected template to standard output instead of writing files.")
    var stdout = false

    @Flag(help: "Write the template to deploy once per target account (the deploy and CloudFormation execution roles) instead.")
    var bootstrap = false

    func run() throws {
        try SynthRequest(
            configDirectory: appOptions.configDirectory, template: appOptions.template, env: env, out: out, format: format,
            stack: stack, stdout: stdout, bootstrap: bootstrap
        ).run()
    }
}

/// What `berth synth` was asked for, as plain values, and the synth itself. `Berth.run` reads
/// the plainest command lines (`synth --env dev --out DIR`) into one without building
/// argument-parser's command tree, which costs more than the synth of a small app; anything
/// else goes through argument-parser and `SynthCommand`, to the same `run`.
struct SynthRequest: Equatable {
    /// `--config`; the lookup's answer when `nil`.
    var configDirectory: String?
    var template: String?
    var env: String?
    var out = "out"
    var format: TemplateFormat = .json
    var stack: String?
    var stdout = false
    /// `--bootstrap`: the bootstrap template instead of the app's stacks.
    var bootstrap = false

    /// The request that `arguments` (after the executable's name) make, or `nil` unless they are
    /// `synth` followed only by SynthCommand's own options, each at most once, each as its own
    /// word with a value as the next word that does not start with `-`, and `--stdout`: what
    /// argument-parser reads the same way without a doubt. Help, `--name=value`, `--`, repeated
    /// or unknown options, missing or odd values and every error are left to argument-parser.
    static func fastPath(_ arguments: [String]) -> SynthRequest? {
        guard arguments.first == "synth" else { return nil }
        var request = SynthRequest()
        var seen: [String] = []
        var index = 1
        while index < arguments.count {
            let word = arguments[index]
            guard !seen.contains(word) else { return nil }
            seen.append(word)
            if word == "--stdout" {
                request.stdout = true
                index += 1
                continue
            }
            guard index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            guard !value.isEmpty, !value.hasPrefix("-") else { return nil }
            switch word {
            case "--config": request.configDirectory = value
            case "--from": request.template = value
            case "--env": request.env = value
            case "--out": request.out = value
            case "--stack": request.stack = value
            case "--format":
                guard let format = TemplateFormat(rawValue: value) else { return nil }
                request.format = format
            default: return nil
            }
            index += 2
        }
        return request
    }

    func run() throws {
        let context = try Berth.currentContext()
        if bootstrap && (env != nil || stack != nil) {
            throw CommandFailure(
                .inputError, "--bootstrap writes one template per app and account, whatever the environment: leave out --env and --stack")
        }
        let synthesizer = Synthesizer(
            definition: context.app,
            configuration: try AppOptions.configuration(
                directory: AppOptions.directory(explicit: configDirectory), template: template, environment: env))
        if bootstrap {
            let rendered = try synthesizer.bootstrap(format: format)
            if stdout {
                context.console.write(rendered.text)
            } else {
                let (path, removed) = try Synthesizer.writeBootstrap(rendered, to: out)
                context.console.write("wrote \(path): deploy it once in each target account (see README, Bootstrapping a target account)\n")
                for other in removed { context.console.write("removed \(other): the bootstrap template is written as \(format.rawValue) now\n") }
            }
            return
        }
        let result = try synthesizer.synthesize(environment: env, stackName: stack, format: format)
        if context.exitsAfterward { ExitRetention.keep((synthesizer, result)) }
        for warning in result.warnings { context.console.writeError("warning: \(TerminalText.printable(warning.text))\n") }
        if stdout {
            guard result.rendered.count == 1, let only = result.rendered.first else {
                throw CommandFailure(
                    .inputError,
                    "--stdout prints one template; choose one of \(result.rendered.map(\.stack.name).joined(separator: ", ")) with --stack")
            }
            context.console.write(only.text)
            return
        }
        // A whole-app synth leaves out/ as the app is: templates of stacks it no longer has go.
        let removed = try synthesizer.write(result, to: out, removingStale: env == nil && stack == nil)
        context.console.write(SynthCommand.summary(result, directory: out))
        for removal in removed {
            let why = removal.stackRemains ? "its stack is written as \(format.rawValue) now" : "no longer in the app"
            context.console.write("removed \(removal.path): \(why)\n")
        }
    }
}

extension SynthCommand {

    /// The table synth prints: one row per stack written.
    static func summary(_ result: Synthesizer.Result, directory: String) -> String {
        let header = ["stack", "phase", "env", "resources", "bytes", "file"]
        let rows = result.rendered.map { rendered in
            [
                rendered.stack.name, rendered.stack.phase.name, rendered.stack.environment ?? "-",
                String(rendered.stack.template.resources.count), String(rendered.text.utf8.count),
                (directory as NSString).appendingPathComponent(rendered.fileName),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        let count = result.rendered.count == 1 ? "1 stack" : "\(result.rendered.count) stacks"
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
            + "\nwrote \(count) and \((directory as NSString).appendingPathComponent("manifest.json"))\n"
    }
}
