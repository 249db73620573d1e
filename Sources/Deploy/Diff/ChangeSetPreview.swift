import AWS
import Foundation

/// Asks CloudFormation what an update would do: creates a change set, reads its changes, and
/// deletes it. The change set is never executed.
public struct ChangeSetPreview: Sendable {
    let cloudFormation: CloudFormationClient
    let schedule: PollSchedule
    let timeout: Duration
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        cloudFormation: CloudFormationClient, schedule: PollSchedule = PollSchedule(), timeout: Duration = .seconds(300),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.cloudFormation = cloudFormation
        self.schedule = schedule
        self.timeout = timeout
        self.sleep = sleep
    }

    /// The changes an update of the existing stack with `deployment` would make; empty when none.
    public func changes(for deployment: StackDeployment) async throws -> [ResourceChange] {
        let name = deployment.stackName
        // Unique even when two diffs of one stack start in the same second (two CI jobs).
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let changeSetName = "berth-diff-" + StackDeployer.compactTimestamp(Date()) + "-" + suffix
        do {
            _ = try await cloudFormation.createChangeSet(
                ChangeSetRequest(
                    stackName: name, changeSetName: changeSetName, kind: .update, templateBody: deployment.templateBody,
                    parameters: deployment.parameters, keepPreviousParameters: deployment.keepPreviousParameters,
                    capabilities: deployment.capabilities, tags: deployment.tags,
                    description: "created by berth diff to preview changes; never executed"))
        } catch let error as AWSServiceError
            where error.code == "ValidationError" && StackStateMachine.action(forChangeSetStatus: "FAILED", reason: error.message) == .noChanges
        {
            return []
        }
        // Delete it however reading ends, even when the wait is cancelled: an unstructured task
        // does not inherit the cancellation.
        let result: Result<[ResourceChange], any Error>
        do {
            result = .success(try await read(name, changeSetName))
        } catch {
            result = .failure(error)
        }
        let client = cloudFormation
        do {
            try await Task { try await client.deleteChangeSet(stackName: name, changeSetName: changeSetName) }.value
        } catch {
            throw DeployError.changeSetLeftBehind(stack: name, changeSet: changeSetName, reason: "\(error)")
        }
        return try result.get()
    }

    private func read(_ name: String, _ changeSetName: String) async throws -> [ResourceChange] {
        var waited = Duration.zero
        var poll = 0
        while true {
            let changeSet = try await cloudFormation.describeChangeSet(stackName: name, changeSetName: changeSetName)
            switch StackStateMachine.action(forChangeSetStatus: changeSet.status, reason: changeSet.statusReason) {
            case .wait:
                let delay = schedule.delay(beforePoll: poll)
                poll += 1
                waited += delay
                guard waited <= timeout else {
                    throw DeployError.timedOut(stack: name, status: "change set \(changeSet.status)", waited: timeout)
                }
                try await sleep(delay)
            case .noChanges:
                return []
            case .fail(let reason):
                throw DeployError.changeSetFailed(
                    stack: name, reason: reason,
                    details: await ChangeSetFailureReasons.fetch(stack: name, changeSet: changeSetName, from: cloudFormation))
            case .execute:
                return changeSet.changes
            }
        }
    }
}
