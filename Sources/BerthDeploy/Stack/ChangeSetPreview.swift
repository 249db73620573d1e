import BerthAWS
import Foundation

/// Asks CloudFormation what an update would do: creates a change set, reads its changes, and
/// deletes it. The change set is never executed.
public struct ChangeSetPreview: Sendable {
    let cloudFormation: CloudFormationClient
    let schedule: PollSchedule
    let timeout: Duration
    let clock: PollClock

    public init(
        cloudFormation: CloudFormationClient, schedule: PollSchedule = PollSchedule(), timeout: Duration = .seconds(300), clock: PollClock = .system
    ) {
        self.cloudFormation = cloudFormation
        self.schedule = schedule
        self.timeout = timeout
        self.clock = clock
    }

    /// A preview whose change set could not be read, nor deleted afterwards: `cause` is why it
    /// could not be read (what a caller decides on), `leftBehind` says how to remove it.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let cause: any Error
        public let leftBehind: DeployError

        public var description: String { "\(cause); \(leftBehind)" }
    }

    /// What a preview found.
    public struct Preview: Sendable {
        /// The changes the update would make; empty when none.
        public let changes: [ResourceChange]
        /// Why the preview's change set is still on the stack (`DeployError.changeSetLeftBehind`,
        /// which says how to remove it) when deleting it failed; harmless, it is never executed.
        public let leftBehind: DeployError?
    }

    /// What an update of the existing stack with `deployment` would change. A change set that
    /// could not be deleted afterwards does not lose what it showed: `leftBehind` says so.
    public func preview(for deployment: StackDeployment) async throws -> Preview {
        let name = deployment.stackName
        let changeSetName = ChangeSetRun.uniqueName(prefix: "berth-diff")
        var request = ChangeSetRequest(
            stackName: name, changeSetName: changeSetName, kind: .update, templateBody: deployment.templateBody,
            parameters: deployment.parameters, keepPreviousParameters: deployment.keepPreviousParameters,
            capabilities: deployment.capabilities, tags: deployment.tags,
            description: "created by berth diff to preview changes; never executed")
        request.roleARN = deployment.cloudFormationRoleArn
        let run = ChangeSetRun(cloudFormation: cloudFormation)
        // Delete it however making or reading it ends, even when the wait is cancelled
        // (`ChangeSetRun.delete` runs where the cancellation does not reach): a create whose
        // answer was lost may have made it.
        var createFailure: (any Error)?
        do {
            guard try await run.create(request) else { return Preview(changes: [], leftBehind: nil) }
        } catch let refusal as AWSServiceError where (400..<500).contains(refusal.status) && refusal.code != "AlreadyExistsException" {
            throw refusal  // refused (a bad template, no permission, throttled past its tries): nothing was made
        } catch {
            createFailure = error
        }
        let result: Result<ChangeSetRun.Outcome, any Error>
        if let createFailure {
            result = .failure(createFailure)
        } else {
            do {
                result = .success(try await run.workedOut(request, wait: PollWait(schedule: schedule, timeout: timeout, clock: clock)))
            } catch {
                result = .failure(error)
            }
        }
        var leftBehind: DeployError?
        if let error = await run.delete(changeSetName, of: name, clock: clock) {
            let left = DeployError.changeSetLeftBehind(stack: name, changeSet: changeSetName, reason: "\(error)")
            leftBehind = left
            // Reading it failed too: that failure goes on as it is (a cancellation as one, which
            // the command says with the leftover), and the leftover with it, not lost behind it.
            if case .failure(let readFailure) = result { throw Failure(cause: readFailure, leftBehind: left) }
        }
        switch try result.get() {
        case .ready(let changeSet): return Preview(changes: changeSet.changes, leftBehind: leftBehind)
        case .noChanges: return Preview(changes: [], leftBehind: leftBehind)
        }
    }
}
