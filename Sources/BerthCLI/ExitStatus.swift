/// The exit codes of `berth`, as documented in the README.
public enum ExitStatus: Int32, Sendable {
    /// Done (or nothing to change).
    case success = 0
    /// The operation itself failed: a file could not be written, a deploy failed or rolled back.
    case failure = 1
    /// The input is wrong: flags, configuration, stack definitions or templates. Nothing was changed.
    case inputError = 2
}

/// An error that ends a command with a message and an exit status.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}
