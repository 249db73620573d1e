import ArgumentParser

/// `--service`, as every command that may work on some of the app's services takes it.
struct ServiceOptions: ParsableArguments {
    @Option(name: .customLong("service"), help: ArgumentHelp("Only this service (repeatable).", valueName: "name"))
    var services: [String] = []
}
