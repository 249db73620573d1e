import BerthAWS
import Foundation

/// What `deploy` shows of an ECS rollout while CloudFormation waits on the service: the primary
/// deployment's state and task counts, the stage of a blue/green, canary or linear deployment,
/// the service's new events (failed health checks, tasks that would not start), and what rolled
/// the deployment back. A value: each observation returns only the lines that are new.
public struct RolloutWatch: Sendable {
    /// Events older than this belong to earlier deployments.
    private let since: Double
    private var seenEvents: Set<String> = []
    private var lastSummary: String?
    private var lastCause: String?

    /// At most this many new service events are shown per observation (ECS keeps 100).
    static let eventLimit = 10

    public init(since: Date) {
        self.since = since.timeIntervalSince1970
    }

    /// Whether the service's own deployment record (stage, rollback cause) is worth reading: a
    /// strategy that shifts traffic, or a rollout that failed.
    public static func wantsServiceDeployment(_ service: ECSClient.Service?) -> Bool {
        guard let service else { return false }
        let strategy = service.deploymentConfiguration?.strategy ?? "ROLLING"
        return strategy != "ROLLING" || (service.deployments ?? []).contains { $0.rolloutState == "FAILED" }
    }

    /// The lines that `service` and `deployment` add to what was shown already.
    public mutating func observe(service: ECSClient.Service?, deployment: ECSClient.ServiceDeployment?) -> [String] {
        var lines: [String] = []
        if let summary = Self.summary(service: service, deployment: deployment), summary != lastSummary {
            lines.append(summary)
            lastSummary = summary
        }
        // ECS lists events newest first.
        let fresh = (service?.events ?? []).filter { event in
            guard let id = event.id, (event.createdAt ?? 0) >= since else { return false }
            return !seenEvents.contains(id)
        }
        for event in fresh { if let id = event.id { seenEvents.insert(id) } }
        lines += fresh.prefix(Self.eventLimit).reversed().compactMap { $0.message.map { "service event: \(ServerText.line($0))" } }
        if let cause = Self.rollbackCause(deployment, service: service), cause != lastCause {
            lines.append(cause)
            lastCause = cause
        }
        return lines
    }

    /// `rollout IN_PROGRESS: 1/2 tasks running, 1 pending, shop-dev-api:7; stage BAKE_TIME`.
    static func summary(service: ECSClient.Service?, deployment: ECSClient.ServiceDeployment?) -> String? {
        guard let primary = service?.deployments?.first(where: { $0.status == "PRIMARY" }) else { return nil }
        var text = "rollout \(primary.rolloutState ?? "IN_PROGRESS"): \(primary.runningCount ?? 0)/\(primary.desiredCount ?? 0) tasks running"
        if let pending = primary.pendingCount, pending > 0 { text += ", \(pending) pending" }
        if let definition = primary.taskDefinition?.split(separator: "/").last { text += ", \(definition)" }
        if let deployment {
            if let stage = deployment.lifecycleStage { text += "; stage \(stage)" }
            if let status = deployment.status, status != "IN_PROGRESS" { text += " (\(status))" }
        }
        return text
    }

    /// What rolled the deployment back: the alarms that went off, the circuit breaker, or the
    /// reason ECS gives; `nil` while nothing has.
    static func rollbackCause(_ deployment: ECSClient.ServiceDeployment?, service: ECSClient.Service?) -> String? {
        if let deployment, deployment.rollback != nil || (deployment.status ?? "").hasPrefix("ROLLBACK") {
            if let alarms = deployment.alarms?.triggeredAlarmNames, !alarms.isEmpty {
                return "rolled back: alarm \(alarms.joined(separator: ", ")) went off"
            }
            if let breaker = deployment.deploymentCircuitBreaker, breaker.status == "TRIGGERED" {
                return "rolled back by the circuit breaker: \(breaker.failureCount ?? 0) tasks failed (threshold \(breaker.threshold ?? 0))"
            }
            return "rolled back: \(ServerText.line(deployment.rollback?.reason ?? deployment.statusReason ?? deployment.status ?? "no reason given"))"
        }
        if let failed = service?.deployments?.first(where: { $0.rolloutState == "FAILED" }) {
            return "rollout failed: \(ServerText.line(failed.rolloutStateReason ?? "no reason given"))"
        }
        return nil
    }
}
