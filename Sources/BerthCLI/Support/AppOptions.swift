import ArgumentParser

/// Options every command that reads the app takes.
struct AppOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The directory of environment files.", valueName: "dir"))
    var configDirectory = AppOptions.defaultConfigDirectory

    /// Where the environment files are unless `--config` says otherwise.
    static let defaultConfigDirectory = "stacks/environments"

    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Make the --env environment (pr-51) from this template of preview environments.", valueName: "template"))
    var template: String?

    /// The configuration, with the preview environment `environment` made from `--from`.
    func configuration(environment: String?) throws -> Configuration {
        try Self.configuration(directory: configDirectory, template: template, environment: environment)
    }

    /// The configuration in `directory`, with the preview environment `environment` made from `template`.
    static func configuration(directory: String, template: String?, environment: String?) throws -> Configuration {
        guard let template else { return Configuration(directory: directory) }
        guard let environment else { throw CommandFailure(.inputError, "--from \(template) makes the environment named by --env; pass --env NAME") }
        return Configuration(directory: directory, previews: [environment: template])
    }
}
