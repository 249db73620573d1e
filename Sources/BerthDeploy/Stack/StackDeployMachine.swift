import BerthAWS
import BerthModel

/// The deploy of one stack as a value: it takes what CloudFormation reported and returns what to
/// do next. No network, no clock: `StackDeployer` performs each action and reports back what it
/// saw, as async-http-client's request state machine does with its channel handler.
///
/// describe → (wait for settle | delete a failed first create)* → [compare the template] →
/// make a change set → execute → follow → finish, with "no changes" and refusals on the way. A
/// change set given up on is deleted, with the empty stack when its CREATE made it. A stack
/// that is not the app's (`StackOwnership`) is refused at the first description.
struct StackDeployMachine: Sendable {
    /// What the deployer does next.
    enum Action: Sendable {
        /// Read the stack (DescribeStacks) and report `described`.
        case describeStack
        /// Say `message`, wait until the stack is settled, and report `settled`.
        case waitForSettle(message: String)
        /// Say `message`, delete the stack, wait until it is gone, and report `settled`.
        case deleteStack(message: String)
        /// Read the deployed template (GetTemplate) and report `templateFetched`.
        case fetchTemplate
        /// Make a change set of this kind, wait until it is worked out, and report `changeSetMade`.
        case makeChangeSet(ChangeSetRequest.Kind)
        /// Delete the change set that holds no changes, and report `changeSetDeleted`.
        case deleteChangeSet
        /// Read the stack and report it to `outputsRead`.
        case readOutputs
        /// Delete the change set, unexecuted, and fail with `error`.
        case discardChangeSet(any Error)
        /// Delete the stack that the unexecuted CREATE change set made, which holds nothing, and
        /// fail with `error`: nothing of the deploy is left. While the stack is no longer only
        /// that change set's, delete the change set alone.
        case discardStack(any Error)
        /// Say what will change, execute the change set, follow the stack's events until it
        /// settles, and report `executed`.
        case execute(Announcement)
        /// Work out why the operation failed (its events, the service's stopped tasks) and fail.
        case explainFailure(status: StackStatus)
        /// Done: turn on termination protection first when `protect` says so, and warn of
        /// `warning` when there is one.
        case finish(DeployResult, outputs: [String: String], protect: Bool, warning: DeployWarning?)
        /// Stop with `error`; nothing more is done.
        case fail(DeployError)
    }

    /// What the deployer says before it executes a change set.
    enum Announcement: Sendable {
        /// The planned resource changes.
        case changes([ResourceChange])
        /// Nothing but parameter values changes (an image tag whose template did not change):
        /// `NAME old → new` for each.
        case parametersOnly([String])

        /// The planned resource changes (none for parameters only).
        var resourceChanges: [ResourceChange] {
            if case .changes(let changes) = self { return changes }
            return []
        }
    }

    private enum State: Sendable {
        case starting
        case describing
        case settling
        /// Reading the deployed template: to finish without a change set when it is what would be
        /// sent (`mayFinishUnchanged`), and for a stack holding a repository, to refuse an update
        /// that would replace it.
        case comparing(deployed: StackDescription, mayFinishUnchanged: Bool)
        /// `makesStack`: the stack did not exist, and the CREATE change set makes it.
        case makingChangeSet(ChangeSetRequest.Kind, deployed: StackDescription?, makesStack: Bool)
        case discardingEmptyChangeSet
        case readingOutputs
        case executing(ChangeSetRequest.Kind, makesStack: Bool)
        case finished
    }

    let deployment: StackDeployment
    /// Whether a deploy that would send exactly what is deployed reports "no changes" without
    /// making a change set.
    let skipsUnchanged: Bool
    private var state: State = .starting

    init(deployment: StackDeployment, skipsUnchanged: Bool) {
        self.deployment = deployment
        self.skipsUnchanged = skipsUnchanged
    }

    private var name: String { deployment.stackName }

    /// Whether the change set being made or run is a CREATE that made the stack (there was none
    /// before this deploy): giving it up gives the stack up with it.
    var changeSetMadeTheStack: Bool {
        switch state {
        case .makingChangeSet(_, _, let makesStack), .executing(_, let makesStack): makesStack
        default: false
        }
    }

    /// The first action.
    mutating func start() -> Action {
        guard case .starting = state else { return unexpected("start") }
        state = .describing
        return .describeStack
    }

    /// The stack as DescribeStacks reported it (`nil`: it does not exist).
    mutating func described(_ stack: StackDescription?) -> Action {
        guard case .describing = state else { return unexpected("a description") }
        guard let stack else { return makeChangeSet(.create, deployed: nil, makesStack: true) }
        // Another app's stack, another part of the app's, or one Berth did not make, is never
        // changed, whatever its status.
        if let foreign = StackOwnership.foreign(stack, tags: deployment.tags), let app = StackTags.app(in: deployment.tags) {
            state = .finished
            return .fail(.foreignStacks([foreign], app: app))
        }
        switch stack.status.nextAction {
        case .create:
            // A stack left REVIEW_IN_PROGRESS was there before this deploy, with whatever change
            // sets it holds: it is not this deploy's to delete.
            return makeChangeSet(.create, deployed: nil, makesStack: stack.status != .reviewInProgress)
        case .update where deployment.importExistingResources:
            // Adopting imports with a CREATE change set; a stack that appeared since the adoption
            // was planned (another pipeline's deploy) would take a plain update instead, which
            // ImportExistingResources does not apply to.
            state = .finished
            return .fail(
                .stackBlocked(
                    stack: name, status: stack.status.name,
                    guidance: "the stack was made after the adoption was planned (by another deploy?); nothing was changed: deploy again"))
        case .update:
            // Drift is not in the template: reverting it always needs a change set.
            let mayFinishUnchanged = skipsUnchanged && !deployment.revertsDrift && stack.status.canSkipUnchanged
            if mayFinishUnchanged || deployment.repositoryKeeper != nil {
                state = .comparing(deployed: stack, mayFinishUnchanged: mayFinishUnchanged)
                return .fetchTemplate
            }
            return makeChangeSet(.update, deployed: stack)
        case .waitForSettle:
            state = .settling
            return .waitForSettle(message: "\(name) is \(stack.status); waiting for it to settle")
        case .deleteThenCreate(let reason):
            state = .settling
            return .deleteStack(message: "\(name): \(reason); deleting it and creating it again")
        case .stop(let guidance):
            state = .finished
            return .fail(.stackBlocked(stack: name, status: stack.status.name, guidance: guidance.replacingOccurrences(of: "<stack>", with: name)))
        }
    }

    /// The stack settled (or is gone) after a wait or a delete: decide again.
    mutating func settled() -> Action {
        guard case .settling = state else { return unexpected("a settled stack") }
        state = .describing
        return .describeStack
    }

    /// The deployed template, as GetTemplate returned it.
    mutating func templateFetched(_ body: String) -> Action {
        guard case .comparing(let deployed, let mayFinishUnchanged) = state else { return unexpected("a template") }
        if let replaced = RepositoryReplacement.find(deployed: body, planned: deployment.templateBody) {
            state = .finished
            return .fail(replaced.refusal(of: name))
        }
        if mayFinishUnchanged && deployment.isUnchanged(comparedWith: deployed, templateBody: body) {
            // Nothing to send that is not there already: no change set, two read calls in all.
            state = .finished
            return .finish(.noChanges, outputs: deployed.outputs, protect: needsProtection(deployed), warning: roleWarning(deployed, changed: false))
        }
        return makeChangeSet(.update, deployed: deployed)
    }

    /// What the change set run came to.
    mutating func changeSetMade(_ outcome: ChangeSetRun.Outcome) -> Action {
        guard case .makingChangeSet(let kind, let deployed, let makesStack) = state else { return unexpected("a change set") }
        switch outcome {
        case .noChanges(made: true):
            state = .discardingEmptyChangeSet
            return .deleteChangeSet
        case .noChanges(made: false):
            state = .readingOutputs
            return .readOutputs
        case .ready(let changeSet):
            // A change set Berth never executes is deleted, and the deploy stops with why.
            func refused(_ error: DeployError) -> Action {
                state = .finished
                return makesStack ? .discardStack(error) : .discardChangeSet(error)
            }
            if let repository = changeSet.changes.first(where: ChangeSetPolicy.losesRepository) {
                let verb = repository.action == "Remove" ? "remove" : "replace"
                return refused(
                    .repositoryWouldBeLost(
                        stack: name,
                        guidance: "the change would \(verb) the image repository \(repository.physicalID ?? repository.logicalID) "
                        + "(\(repository.logicalID)); Berth never replaces or deletes a repository, and nothing was changed. "
                        + "Undo the change to it (a KMS key, for one, can only be set on a repository that does not exist yet)"))
            }
            if kind == .create, deployment.importExistingResources,
                let repository = changeSet.changes.first(where: ChangeSetPolicy.createsInsteadOfImporting)
            {
                return refused(
                    .stackBlocked(
                        stack: name, status: deployed?.status.name ?? "",
                        guidance: "the adoption's change set would \(repository.action.lowercased()) the image repository \(repository.logicalID) "
                            + "(\(repository.action)) instead of importing the one that exists (Import): "
                            + "CloudFormation did not find it under that name in the stack's account and region; nothing was changed"))
            }
            state = .executing(kind, makesStack: makesStack)
            let changedParameters = deployment.parameters.filter { kind == .update && deployed?.parameters[$0.key] != $0.value }
            if changeSet.changes.isEmpty && !changedParameters.isEmpty {
                return .execute(.parametersOnly(changedParameters.map { "\($0.key) \(deployed?.parameters[$0.key] ?? "-") → \($0.value)" }))
            }
            return .execute(.changes(changeSet.changes))
        }
    }

    /// Making the change set or working it out failed with `error` (CloudFormation refused or
    /// failed it, or the deploy timed out or was interrupted meanwhile): whatever was made of it
    /// is given up on.
    mutating func changeSetFailed(_ error: any Error) -> Action {
        guard case .makingChangeSet(_, _, let makesStack) = state else { return unexpected("a failed change set") }
        state = .finished
        return makesStack ? .discardStack(error) : .discardChangeSet(error)
    }

    /// The change set that held no changes is deleted.
    mutating func changeSetDeleted() -> Action {
        guard case .discardingEmptyChangeSet = state else { return unexpected("a deleted change set") }
        state = .readingOutputs
        return .readOutputs
    }

    /// The stack as read after a deploy that changed nothing (`nil`: it is gone): its outputs,
    /// and termination protection turned on if it is missing, as any other deploy does.
    mutating func outputsRead(_ stack: StackDescription?) -> Action {
        guard case .readingOutputs = state else { return unexpected("outputs") }
        state = .finished
        // An update stopped part-way with rollback turned off: nothing this deploy sends mends it.
        if let stack, stack.status == .updateFailed {
            return .fail(
                .stackBlocked(
                    stack: name, status: stack.status.name,
                    guidance: "this deploy would change nothing, and the stack stays UPDATE_FAILED (an update with rollback turned off stopped "
                        + "part-way): roll it back with `aws cloudformation rollback-stack --stack-name \(name)`, or deploy a change that mends the failed resources"))
        }
        return .finish(
            .noChanges, outputs: stack?.outputs ?? [:], protect: stack.map(needsProtection) ?? false,
            warning: stack.flatMap { roleWarning($0, changed: false) })
    }

    /// The stack settled after the change set was executed (`nil`: it is gone).
    mutating func executed(_ stack: StackDescription?) -> Action {
        guard case .executing(let kind, _) = state else { return unexpected("an executed change set") }
        state = .finished
        guard let stack, stack.status.succeeded else { return .explainFailure(status: stack?.status ?? .deleteComplete) }
        return .finish(
            kind == .create ? .created : .updated, outputs: stack.outputs, protect: needsProtection(stack),
            warning: roleWarning(stack, changed: true))
    }

    /// Whether CloudFormation goes on acting on the stack with another role than the deploy
    /// gives. It keeps the last role it was given when none is given (CreateChangeSet's
    /// `RoleARN`), and records a new one only with a change set that changes something: a
    /// change set of nothing but a new role holds no changes.
    private func roleWarning(_ stack: StackDescription, changed: Bool) -> DeployWarning? {
        switch (deployment.cloudFormationRoleArn, stack.roleARN) {
        case (nil, let acting?):
            return .roleKept(stack: name, role: acting)
        case (let given?, let acting) where !changed && acting != given:
            return .roleNotRecorded(stack: name, acting: acting, given: given)
        default:
            return nil
        }
    }

    private func needsProtection(_ stack: StackDescription) -> Bool {
        deployment.terminationProtection && !stack.terminationProtection
    }

    private mutating func makeChangeSet(_ kind: ChangeSetRequest.Kind, deployed: StackDescription?, makesStack: Bool = false) -> Action {
        state = .makingChangeSet(kind, deployed: deployed, makesStack: makesStack)
        return .makeChangeSet(kind)
    }

    /// An observation the current state does not expect: a bug in the deployer, reported as a
    /// failure rather than a trap.
    private mutating func unexpected(_ observation: String) -> Action {
        state = .finished
        return .fail(.stackBlocked(stack: name, status: "", guidance: "internal error: the deploy did not expect \(observation) now; nothing more was done"))
    }
}
