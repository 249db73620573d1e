import BerthAWS

/// How one deploy of a service ended, as ECS's service deployment records it.
public enum DeployOutcome: Sendable, Hashable {
    case completed
    /// The deployment circuit breaker rolled it back (too many tasks failed to start).
    case rolledBackByCircuitBreaker
    /// A CloudWatch alarm rolled it back; the alarms that went off.
    case rolledBackByAlarm([String])
    /// Rolled back for another reason (a newer deployment, a user), or ECS is still rolling back.
    case rolledBack
    /// It failed without a rollback, or its rollback failed.
    case failed
    /// It was stopped before it finished (ECS's `STOPPED`).
    case stopped
    /// Pending or under way (`PENDING`, `IN_PROGRESS`, `STOP_REQUESTED`).
    case inProgress
    /// A status the ECS API reference does not list (or none): shown as it is, never taken for
    /// completed (rollback goes back to completed deploys only) nor for a failure.
    case unknown(status: String)

    /// The outcome of a service deployment: its status, and what rolled it back when something did.
    public init(_ deployment: ECSClient.ServiceDeployment) {
        let breaker = deployment.deploymentCircuitBreaker?.status == "TRIGGERED"
        let alarms = deployment.alarms?.status == "TRIGGERED"
        switch deployment.status ?? "" {
        case "SUCCESSFUL": self = .completed
        case "ROLLBACK_SUCCESSFUL", "ROLLBACK_IN_PROGRESS", "ROLLBACK_REQUESTED":
            if alarms {
                self = .rolledBackByAlarm((deployment.alarms?.triggeredAlarmNames ?? []).sorted())
            } else if breaker {
                self = .rolledBackByCircuitBreaker
            } else {
                self = .rolledBack
            }
        case "ROLLBACK_FAILED": self = .failed
        case "STOPPED": self = breaker || alarms ? .failed : .stopped
        case "PENDING", "IN_PROGRESS", "STOP_REQUESTED": self = .inProgress
        case let status: self = .unknown(status: String(ServerText.line(status).prefix(64)))
        }
    }

    /// Whether the deploy failed on its own account: ECS's circuit breaker or an alarm rolled it
    /// back, or it failed. A deploy rolled back or stopped for another reason (a newer one, a
    /// user) says nothing against its image.
    public var isFailure: Bool {
        switch self {
        case .rolledBackByCircuitBreaker, .rolledBackByAlarm, .failed: true
        case .completed, .rolledBack, .stopped, .inProgress, .unknown: false
        }
    }

    /// `completed`, `rolled back by the circuit breaker`, `rolled back by alarm api-5xx`, …
    public var text: String {
        switch self {
        case .completed: "completed"
        case .rolledBackByCircuitBreaker: "rolled back by the circuit breaker"
        case .rolledBackByAlarm(let names):
            names.isEmpty ? "rolled back by an alarm" : "rolled back by alarm \(names.joined(separator: ", "))"
        case .rolledBack: "rolled back"
        case .failed: "failed"
        case .stopped: "stopped"
        case .inProgress: "in progress"
        case .unknown(let status): status.isEmpty ? "no status (unknown)" : "status \(status) (unknown)"
        }
    }

    /// A word for JSON: `completed`, `rolled-back`, `failed`, `stopped`, `in-progress`, `unknown`.
    public var code: String {
        switch self {
        case .completed: "completed"
        case .rolledBackByCircuitBreaker, .rolledBackByAlarm, .rolledBack: "rolled-back"
        case .failed: "failed"
        case .stopped: "stopped"
        case .inProgress: "in-progress"
        case .unknown: "unknown"
        }
    }
}
