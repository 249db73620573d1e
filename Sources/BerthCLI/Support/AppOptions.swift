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
    func directory() throws -> String {
        try ConfigurationLookup.directory(explicit: configDirectory, workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The configuration, with the preview environment `environment` made from `--from`.
    func configuration(environment: String?) throws -> Configuration {
        let directory = try directory()
        guard let template else { return Configuration(directory: directory) }
        guard let environment else { throw CommandFailure(.inputError, "--from \(template) makes the environment named by --env; pass --env NAME") }
        return Configuration(directory: directory, previews: [environment: template])
    }
}
