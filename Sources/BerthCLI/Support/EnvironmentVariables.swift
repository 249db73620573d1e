import Synchronization

/// The environment variables a command sees: given (tests, `Berth.run`), or the process's own,
/// read from `environ` the first time a command asks (`Berth.main`). A synth asks for none of
/// them unless it has a warning to annotate.
final class EnvironmentVariables: Sendable {
    private let variables: Mutex<[String: String]?>

    /// `variables`, or the process's environment when `nil`.
    init(_ variables: [String: String]?) {
        self.variables = Mutex(variables)
    }

    var value: [String: String] {
        variables.withLock { variables in
            if let variables { return variables }
            let read = ProcessEnvironment.current()
            variables = read
            return read
        }
    }
}
