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
}
