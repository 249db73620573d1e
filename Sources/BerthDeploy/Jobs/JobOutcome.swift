/// How a job's task ended.
public struct JobOutcome: Sendable, Hashable {
    public let taskArn: String
    /// The main container's exit code; `nil` when it never ran.
    public let exitCode: Int?
    /// Why ECS stopped the task (`Essential container in task exited`, …).
    public let stoppedReason: String?
    /// The last lines the container logged, oldest first.
    public let lastLines: [String]

    /// The task's ID: the last part of its ARN.
    public var taskID: String { taskArn.split(separator: "/").last.map(String.init) ?? taskArn }

    /// The exit status that tells a caller this run failed: the container's exit code when it is
    /// one a process can have (1 to 255), else 1. A process's status keeps only 8 bits, so a
    /// reported 256 would otherwise read as success.
    public var failureExitStatus: Int32 {
        guard let exitCode, (1...255).contains(exitCode) else { return 1 }
        return Int32(exitCode)
    }
}
