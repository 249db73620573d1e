import BerthAWS
import BerthModel

/// Why a job's run did not succeed.
public enum JobRunError: Error, Sendable, CustomStringConvertible {
    /// The container never ran: RunTask refused, or the task stopped before it started (an image
    /// that cannot be pulled, no capacity, a secret that cannot be read).
    case neverRan(job: String, taskArn: String?, reason: String)
    /// The container exited with a code other than 0, or with 0 from a task ECS stopped for
    /// another reason (someone's StopTask: the stop code leads the outcome's reason).
    case failed(job: String, outcome: JobOutcome)
    /// The run took longer than it may; Berth stopped the task (`stopped`: whether StopTask
    /// succeeded).
    case timedOut(job: String, taskArn: String, after: Duration, stopped: Bool)
    /// Berth could not follow the task it started (DescribeTasks failed): `cause`, and whether
    /// Berth stopped the task rather than leave it running unwatched.
    case lostTrack(job: String, taskArn: String, cause: any Error, stopped: Bool)
    /// The run was interrupted; Berth stopped the task (`stopped`: whether StopTask succeeded).
    case interrupted(job: String, taskArn: String, stopped: Bool)

    public var description: String {
        switch self {
        case .neverRan(let job, let taskArn, let reason):
            "\(job) never ran\(taskArn.map { " (task \(Self.id($0)))" } ?? ""): \(reason)"
        case .failed(let job, let outcome):
            (["\(job) failed: exit code \(outcome.exitCode.map(String.init) ?? "none") (task \(outcome.taskID)\(outcome.stoppedReason.map { "; \(ServerText.line($0))" } ?? ""))"]
                + (outcome.lastLines.isEmpty ? [] : ["Its last log lines:"] + outcome.lastLines.map { "  " + ServerText.message($0) })).joined(separator: "\n")
        case .timedOut(let job, let taskArn, let after, let stopped):
            stopped
                ? "\(job) did not finish within \(Self.text(after)); Berth stopped its task \(Self.id(taskArn))"
                : "\(job) did not finish within \(Self.text(after)); its task \(Self.id(taskArn)) could not be stopped and may still run: stop it with aws ecs stop-task"
        case .lostTrack(let job, let taskArn, let cause, let stopped):
            stopped
                ? "\(job): \(cause); Berth could not follow its task \(Self.id(taskArn)), so it stopped it"
                : "\(job): \(cause); Berth could not follow its task \(Self.id(taskArn)), which could not be stopped either and may still run: "
                    + "check it with aws ecs describe-tasks, stop it with aws ecs stop-task"
        case .interrupted(let job, let taskArn, let stopped):
            stopped
                ? "interrupted: Berth stopped \(job)'s task \(Self.id(taskArn))"
                : "interrupted: \(job)'s task \(Self.id(taskArn)) could not be stopped; stop it with aws ecs stop-task"
        }
    }

    /// `1m30s`, `15m`, `2h`: `DurationText`'s words.
    public static func text(_ duration: Duration) -> String { DurationText.text(duration) }

    private static func id(_ arn: String) -> String { arn.split(separator: "/").last.map(String.init) ?? arn }
}
