/// The exit codes of `berth`, as documented in the README.
public enum ExitStatus: Int32, Sendable {
    /// Done (or nothing to change).
    case success = 0
    /// The operation itself failed: a file could not be written, a deploy failed or rolled back.
    case failure = 1
    /// The input is wrong: flags, configuration, stack definitions or templates. Nothing was changed.
    case inputError = 2
    /// The image gate refused the deploy: the tag is invalid or mutable, or the image is not in ECR.
    /// Nothing was changed.
    case imageGateRefused = 3
    /// A stack did not settle before `--timeout`; CloudFormation carries on.
    case timedOut = 4
    /// `berth diff` could not read the deployed side: AWS answered with an error or could not be
    /// reached, or `--template` is not a readable template.
    case comparisonFailed = 5
    /// A job that a deploy runs failed: before the services, no service was changed; after
    /// them, the services stay as deployed.
    case jobFailed = 6
    /// `berth run`: the container never ran (as `docker run` exits 125).
    case neverRan = 125
    /// Interrupted (Ctrl-C, SIGTERM) while waiting; CloudFormation carries on.
    case interrupted = 130

    /// `berth diff --fail` found differences.
    static let differencesFound = ExitStatus.failure
}

/// An error that ends a command with a message and an exit status.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String
    /// An exit code of the command's own, such as the container's for `berth run`; the status's
    /// otherwise.
    public var exitCode: Int32?

    public init(_ status: ExitStatus, _ message: String, exitCode: Int32? = nil) {
        self.status = status
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
