import BerthAWS
import BerthDiff
import Foundation

/// Runs CloudFormation drift detection on one deployed stack, waits for it, and reads which
/// resources drifted and how. Detection changes no resource; it only records its result.
public struct DriftDetection: Sendable {
    /// The drift statuses of the resources reported: the ones that differ from the template.
    static let driftedStatuses = ["MODIFIED", "DELETED"]

    let cloudFormation: CloudFormationClient
    let schedule: PollSchedule
    let timeout: Duration
    let clock: PollClock

    public init(
        cloudFormation: CloudFormationClient, schedule: PollSchedule = PollSchedule(), timeout: Duration = .seconds(600), clock: PollClock = .system
    ) {
        self.cloudFormation = cloudFormation
        self.schedule = schedule
        self.timeout = timeout
        self.clock = clock
    }

    /// Detects drift on `stackName` and returns what drifted. A failed detection throws
    /// `DriftError.detectionFailed`; one that outlasts the timeout, `DeployError.timedOut`.
    public func detect(stackName: String) async throws -> StackDrift {
        let id = try await cloudFormation.detectStackDrift(stackName: stackName)
        guard !id.isEmpty else { throw DriftError.detectionFailed(stack: stackName, reason: "DetectStackDrift returned no detection ID") }
        var wait = PollWait(schedule: schedule, timeout: timeout, clock: clock)
        while true {
            let status = try await cloudFormation.describeStackDriftDetectionStatus(detectionID: id)
            switch status.detectionStatus {
            case "DETECTION_IN_PROGRESS":
                try await wait.pause(stack: stackName, status: "drift detection in progress")
                continue
            case "DETECTION_COMPLETE":
                return try await drift(of: stackName, status: status)
            case "DETECTION_FAILED" where status.stackDriftStatus == "DRIFTED":
                // Some resources could not be checked, but others drifted: report what is known.
                return try await drift(of: stackName, status: status)
            default:
                throw DriftError.detectionFailed(
                    stack: stackName, reason: status.detectionStatusReason ?? "detection status \(status.detectionStatus)")
            }
        }
    }

    private func drift(of stackName: String, status: StackDriftDetectionStatus) async throws -> StackDrift {
        let drifts = try await cloudFormation.describeStackResourceDrifts(stackName: stackName, statuses: Self.driftedStatuses)
        let resources = drifts.filter { Self.driftedStatuses.contains($0.status) }.map(Self.resource)
        let reason = status.detectionStatus == "DETECTION_FAILED" ? status.detectionStatusReason : nil
        return StackDrift(status: status.stackDriftStatus ?? (resources.isEmpty ? "IN_SYNC" : "DRIFTED"), resources: resources, reason: reason)
    }

    static func resource(_ drift: StackResourceDrift) -> StackDrift.Resource {
        StackDrift.Resource(
            logicalID: drift.logicalID, type: drift.resourceType, status: drift.status,
            differences: drift.differences.map { .init(path: $0.path, expected: $0.expected, actual: $0.actual, kind: $0.differenceType) })
    }
}
