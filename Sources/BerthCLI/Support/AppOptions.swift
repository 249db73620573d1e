import ArgumentParser

/// Options every command that reads the app takes.
struct AppOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The directory of environment files.", valueName: "dir"))
    var configDirectory = "stacks/environments"

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Make the --env environment (pr-51) from this template of preview environments.", valueName: "template"))
    var template: String?

    /// The configuration, with the preview environment `environment` made from `--from`.
    func configuration(environment: String?) throws -> Configuration {
        guard let template else { return Configuration(directory: configDirectory) }
        guard let environment else { throw CommandFailure(.inputError, "--from \(template) makes the environment named by --env; pass --env NAME") }
        return Configuration(directory: configDirectory, previews: [environment: template])
    }
}
