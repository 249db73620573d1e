import BerthAWS
import Foundation

/// Makes a change set and waits until CloudFormation has worked it out, or deletes one given up
/// on: the one protocol that deploy and diff share (create, poll, classify, delete). It never
/// executes a change set.
struct ChangeSetRun: Sendable {
    /// What CloudFormation made of the request.
    enum Outcome: Sendable {
        /// The change set is ready to execute, with its planned changes.
        case ready(ChangeSetDescription)
        /// Nothing would change. `made` tells whether a (failed) change set exists to delete:
        /// some endpoints refuse an identical update at once instead of failing the change set.
        case noChanges(made: Bool)
    }

    /// What a change set's status means.
    enum Verdict: Sendable, Hashable {
        /// Still being computed: look again.
        case wait
        /// Ready to execute.
        case ready
        /// It holds no changes.
        case noChanges
        /// It failed for another reason.
        case fail(reason: String)
    }

    let cloudFormation: CloudFormationClient

    /// Deletes the change set `changeSetName` of `stack` that a deploy or a diff gives up on, in
    /// an unstructured task, which a cancellation does not reach. CloudFormation refuses to
    /// delete one it is still working out (`InvalidChangeSetStatus`): asked again twice, half a
    /// second apart (within the few seconds a timed-out command waits for its clean-up). Returns
    /// why it could not be deleted; `nil` once it is gone (deleted, or never made: not found, or
    /// its stack does not exist).
    func delete(_ changeSetName: String, of stack: String, clock: PollClock) async -> (any Error)? {
        let client = cloudFormation
        return await Task { () -> (any Error)? in
            for attempt in 1...3 {
                do {
                    try await client.deleteChangeSet(stackName: stack, changeSetName: changeSetName)
                    return nil
                } catch let error as AWSServiceError where error.code == "ChangeSetNotFound" || error.isMissingStack {
                    // Gone, or never made: a stack that does not exist holds no change set.
                    return nil
                } catch let error as AWSServiceError where error.code == "InvalidChangeSetStatus" && attempt < 3 {
                    try? await clock.sleep(.milliseconds(500))
                } catch {
                    return error
                }
            }
            return nil
        }.value
    }

    /// What became of the stack a CREATE change set made, when the change set was given up on.
    enum MadeStack: Sendable {
        /// Deleted: it held nothing, and no change set but the one given up on.
        case deleted
        /// DescribeStacks finds none: the change set was never made, or the read came too soon.
        case absent
        /// Kept: another operation or another change set is on it now, or it is not this part of
        /// the app's; only the change set is for deleting.
        case kept
        /// Kept: what is on it could not be read (DescribeStacks or ListChangeSets failed: a
        /// deploy role bootstrapped before it could list change sets, say), for this reason.
        case unchecked(any Error)
        /// Deleting it failed, for this reason.
        case notDeleted(any Error)
    }

    /// Deletes `stack`, made by the CREATE change set `changeSetName` that a deploy gives up on,
    /// while it is what that change set left: `REVIEW_IN_PROGRESS` (nothing was ever executed on
    /// it, so it holds no resource), still the app's part that `tags` name (`StackOwnership`),
    /// with no change set but that one (another pipeline's, made meanwhile, is not taken with
    /// it). Deleting the stack deletes the change set. CloudFormation has no conditional delete:
    /// a change set another pipeline makes in the moment between the look and the delete goes
    /// with the stack (its execute then fails; nothing had run). Runs in an unstructured task,
    /// which a cancellation does not reach.
    func deleteMadeStack(_ stack: String, changeSetName: String, roleARN: String?, tags: [(key: String, value: String)]) async -> MadeStack {
        let client = cloudFormation
        return await Task { () -> MadeStack in
            do {
                guard let described = try await client.describeStack(stack) else { return .absent }
                guard described.status == .reviewInProgress, StackOwnership.foreign(described, tags: tags) == nil else { return .kept }
                let changeSets = try await client.listChangeSets(stackName: stack).collect()
                guard changeSets.allSatisfy({ $0 == changeSetName }) else { return .kept }
            } catch {
                return .unchecked(error)
            }
            do {
                try await client.deleteStack(stackName: stack, roleARN: roleARN)
                return .deleted
            } catch {
                return .notDeleted(error)
            }
        }.value
    }

    /// Creates the change set `request` describes and polls it on `wait` until it is worked out.
    /// Throws `DeployError.changeSetFailed` (with what CloudFormation found) when it fails.
    func run(_ request: ChangeSetRequest, wait: PollWait) async throws -> Outcome {
        guard try await create(request) else { return .noChanges(made: false) }
        return try await workedOut(request, wait: wait)
    }

    /// Creates the change set; `false` when the endpoint refused it at once as an identical
    /// update (no change set exists then).
    func create(_ request: ChangeSetRequest) async throws -> Bool {
        do {
            _ = try await cloudFormation.createChangeSet(request)
            return true
        } catch let error as AWSServiceError where error.code == "ValidationError" && Self.verdict("FAILED", reason: error.message) == .noChanges {
            return false
        }
    }

    /// Polls the change set made for `request` until CloudFormation has worked it out.
    func workedOut(_ request: ChangeSetRequest, wait: PollWait) async throws -> Outcome {
        var wait = wait
        while true {
            // A drift-aware change set's preview shows each drifted value and what it becomes.
            let changeSet = try await cloudFormation.describeChangeSet(
                stackName: request.stackName, changeSetName: request.changeSetName, includePropertyValues: request.deploymentMode != nil)
            switch Self.verdict(changeSet.status, reason: changeSet.statusReason) {
            case .wait:
                try await wait.pause(stack: request.stackName, status: "change set \(changeSet.status)")
            case .ready:
                return .ready(changeSet)
            case .noChanges:
                return .noChanges(made: true)
            case .fail(let reason):
                throw DeployError.changeSetFailed(
                    stack: request.stackName, reason: reason,
                    details: await ChangeSetFailureReasons.fetch(stack: request.stackName, changeSet: request.changeSetName, from: cloudFormation))
            }
        }
    }

    /// What a change set in `status` (with `reason`) means for the run.
    static func verdict(_ status: String, reason: String?) -> Verdict {
        switch status {
        case "CREATE_PENDING", "CREATE_IN_PROGRESS": return .wait
        case "CREATE_COMPLETE": return .ready
        case "FAILED":
            let reason = reason ?? ""
            if reason.contains("didn't contain changes") || reason.contains("No updates are to be performed") {
                return .noChanges
            }
            return .fail(reason: reason.isEmpty ? "the change set failed without a reason" : reason)
        default:
            return .fail(reason: "unexpected change set status \(status)")
        }
    }

    /// A change set name no other run shares, even two started in the same second by two CI jobs.
    static func uniqueName(prefix: String) -> String {
        prefix + "-" + StackDeployer.compactTimestamp(Date()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }
}
