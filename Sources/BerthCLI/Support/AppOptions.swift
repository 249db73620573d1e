import ArgumentParser
import Foundation

/// Options every command that reads the app takes.
struct AppOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "The directory of environment files (default: environments/ when it exists, else stacks/environments/).",
            valueName: "dir"))
    var configDirectory: String?

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Make the --env environment (pr-51) from this template of preview environments.", valueName: "template"))
    var template: String?

    /// The configuration directory: `--config`, else the first of `environments/` and
    /// `stacks/environments/` under the working directory.
    func directory() throws -> String { try Self.directory(explicit: configDirectory) }

    /// The configuration, with the preview environment `environment` made from `--from`.
    func configuration(environment: String?) throws -> Configuration {
        try Self.configuration(directory: directory(), template: template, environment: environment)
    }

    /// The configuration directory `explicit` names (`--config`), else the first of
    /// `environments/` and `stacks/environments/` under the working directory.
    static func directory(explicit: String?) throws -> String {
        try ConfigurationLookup.directory(explicit: explicit, workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The configuration in `directory`, with the preview environment `environment` made from `template`.
    static func configuration(directory: String, template: String?, environment: String?) throws -> Configuration {
        guard let template else { return Configuration(directory: directory) }
        guard let environment else { throw CommandFailure(.inputError, "--from \(template) makes the environment named by --env; pass --env NAME") }
        return Configuration(directory: directory, previews: [environment: template])
    }
}
