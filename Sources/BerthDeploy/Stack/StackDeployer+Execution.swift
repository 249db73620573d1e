import BerthAWS

extension StackDeployer {
    /// What running a change set ended with: the settled stack and its events, and, when a
    /// repository's settings could not all be put back, the error that names what is left.
    struct Execution {
        let settled: Settled
        let keeping: DeployError?
    }

    /// A change set made and not run, and what giving it up deletes: the change set alone, or
    /// with it the stack its CREATE made (`madeStack`), which holds nothing until it runs.
    struct UnrunChangeSet: Sendable {
        let name: String
        let stack: String
        let madeStack: Bool
        /// The role CloudFormation deletes that stack with.
        let roleARN: String?
        /// The deployment's stack tags: the stack is deleted only while it is that part of the
        /// app's (`StackOwnership`).
        let tags: [(key: String, value: String)]
    }

    /// Runs change set `changeSetName` of stack `name` and waits until the stack settles,
    /// following it by `stackID` when known (a failed first create is deleted, and then answers
    /// only by its ID, with the events that say why it failed).
    ///
    /// With a `keeper` (a phase-1 stack), what the repository has that neither the deployed
    /// template nor the new one declares is read first and put back once the stack settles
    /// (`RepositoryKeeper`). A repository that cannot be read, or whose policy Berth's would
    /// replace, is not updated: the change set is deleted. An update that has not settled (a
    /// timeout, Ctrl-C, an ExecuteChangeSet that failed without saying whether the change set
    /// ran) may remove them yet, so nothing is put back and the error names them
    /// (`DeployError.repositorySettingsAtRisk`). An ExecuteChangeSet that failed although its
    /// change set ran (its answer lost, its retry refused) is followed as any update
    /// (`judgeFailedExecution`).
    ///
    /// A change set that is not run is given up on (`giveUp`): with the stack, when its CREATE
    /// made it.
    func execute(
        _ changeSet: UnrunChangeSet, stackID: String? = nil, changes: [ResourceChange], keeper: RepositoryKeeper?,
        deployedTemplate: String?, resourceCount: Int, wait: PollWait
    ) async throws -> Execution {
        let name = changeSet.stack
        let kept = try await keptSettings(by: keeper, before: changes, of: changeSet, deployedTemplate: deployedTemplate)
        let lastEventBefore: String?
        do {
            lastEventBefore = try await newestEventID(name)
        } catch {
            // Not executed: a change set that will not run is not left on the stack.
            await giveUp(changeSet)
            throw error
        }
        if Task.isCancelled {
            // Ctrl-C while the repository was read: the change set is not run.
            await giveUp(changeSet)
            throw CancellationError()
        }
        reporter.stackChanging(name)
        do {
            try await cloudFormation.executeChangeSet(stackName: name, changeSetName: changeSet.name)
        } catch {
            try await judgeFailedExecution(error, of: changeSet, kept: kept)
        }
        let settled: Settled
        do {
            settled = try await waitUntilSettled(
                name, id: stackID, wait: wait, total: resourceCount, streaming: true, since: lastEventBefore, operationStarted: true)
        } catch {
            // A read that failed (not a timeout, which says so itself): the change set ran.
            if !(error is CancellationError), !(error is DeployError) {
                reporter.message("\(name): its change set ran, and CloudFormation carries on with it, but its progress could not be read: "
                    + "run the same deploy again to wait for it")
            }
            // Not settled: the update may remove them yet, so they are not put back now.
            guard let kept else { throw error }
            throw DeployError.repositorySettingsAtRisk(stack: name, kept: kept, cause: error)
        }
        guard let keeper, let kept else { return Execution(settled: settled, keeping: nil) }
        let keeping = await restore(kept, with: keeper, stack: name)
        if settled.stack?.status == .updateRollbackFailed {
            reporter.message(
                "\(name): continuing its rollback (aws cloudformation continue-update-rollback) updates repository \(keeper.repository) again, "
                    + "which may remove its \(kept.what) again; afterwards, set what is missing, with the repositories' account's credentials: "
                    + kept.commands.joined(separator: "; "))
        }
        return Execution(settled: settled, keeping: keeping)
    }

    /// Decides what an ExecuteChangeSet that failed with `error` did, by the change set's
    /// execution status (CloudFormation's API reference: `AVAILABLE` until it runs, then
    /// `EXECUTE_IN_PROGRESS`, `EXECUTE_COMPLETE` or `EXECUTE_FAILED`). Returns when the change
    /// set ran (its answer lost, its retry refused as the change set was already running): the
    /// caller follows the stack as after any execute. Throws `error` when CloudFormation refused
    /// the call (an HTTP 4xx), or the command was cancelled before it was tried again, and the
    /// change set has not run, deleting it; an answer that never
    /// came (a timeout, a 5xx) proves nothing, since the call may still be applied. Otherwise,
    /// with `kept`, throws `DeployError.repositorySettingsAtRisk`.
    private func judgeFailedExecution(_ error: any Error, of changeSet: UnrunChangeSet, kept: RepositoryKeeper.Kept?) async throws {
        let name = changeSet.stack, changeSetName = changeSet.name
        let refused = (error as? AWSServiceError).map { (400..<500).contains($0.status) } ?? false
        // Read where a Ctrl-C or the deadline does not reach: what became of the change set decides
        // what is left to do, whatever stopped the execute (its retries cut short, say).
        let client = cloudFormation
        let status = try? await Task {
            try await client.describeChangeSet(stackName: name, changeSetName: changeSetName).executionStatus
        }.value
        switch status {
        case "EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE", "EXECUTE_FAILED":
            let why = error is CancellationError ? "was given up on when the command was interrupted or ran out of time" : "failed (\(error))"
            reporter.message("\(name): ExecuteChangeSet \(why), but the change set ran; following the stack")
        case "AVAILABLE" where refused:
            await giveUp(changeSet)
            // Nothing ran. Refused while another operation runs on the stack (another deploy's,
            // whose change set was made beside this one's): said so, as what to wait for. (A
            // stack this change set made is no other deploy's.)
            if !changeSet.madeStack, let busy = try? await cloudFormation.describeStack(name), busy.status.isInProgress,
                busy.status != .reviewInProgress
            {
                throw DeployError.stackBlocked(
                    stack: name, status: busy.status.name,
                    guidance: "CloudFormation refused to run this deploy's change set (\(error)) while the stack is \(busy.status.name): "
                        + "another operation on it is under way, another deploy's perhaps; nothing of this deploy's ran. "
                        + "Run the same deploy again once the stack has settled")
            }
            throw error
        case "AVAILABLE" where error is CancellationError:
            // Not run yet, and not tried again (the command was cancelled between tries): deleted,
            // it cannot run later; one that cannot be deleted may have started meanwhile. The
            // change set alone, even on a first deploy: a try that timed out may still be applied,
            // and DeleteChangeSet, unlike DeleteStack, fails once the execute has begun.
            if await discard(changeSet.name, of: changeSet.stack) { throw error }
            guard let kept else { throw error }
            throw DeployError.repositorySettingsAtRisk(stack: name, kept: kept, cause: error)
        case _ where Task.isCancelled:
            // Ctrl-C or the deadline, and whether it ran is unknown.
            guard let kept else { throw CancellationError() }
            throw DeployError.repositorySettingsAtRisk(stack: name, kept: kept, cause: CancellationError())
        default:
            guard let kept else { throw error }
            throw DeployError.repositorySettingsAtRisk(stack: name, kept: kept, cause: error)
        }
    }

    /// Deletes a change set the deploy gives up on (`ChangeSetRun.delete`, which a cancellation
    /// does not reach); what cannot be deleted is said, with the command that deletes it.
    /// Returns whether it is gone.
    @discardableResult
    func discard(_ changeSetName: String, of name: String) async -> Bool {
        guard let error = await ChangeSetRun(cloudFormation: cloudFormation).delete(changeSetName, of: name, clock: clock) else { return true }
        reporter.message(
            "\(name): could not delete the change set \(changeSetName), which this deploy does not execute (\(error)): "
                + "aws cloudformation delete-change-set --stack-name \(name) --change-set-name \(changeSetName) removes it")
        return false
    }

    /// Gives up on a change set that will not run: deletes it, and when its CREATE made the
    /// stack, the stack with it (`ChangeSetRun.deleteMadeStack`), so that a first deploy that
    /// stopped before executing leaves no empty `REVIEW_IN_PROGRESS` stack behind; the change
    /// set alone when the stack is no longer only that change set's. What cannot be deleted is
    /// said, with the command that deletes it. Returns whether the change set is gone.
    @discardableResult
    func giveUp(_ changeSet: UnrunChangeSet) async -> Bool {
        let name = changeSet.stack
        guard changeSet.madeStack else { return await discard(changeSet.name, of: name) }
        let removal = "aws cloudformation delete-stack --stack-name \(name) removes it"
        switch await ChangeSetRun(cloudFormation: cloudFormation).deleteMadeStack(
            name, changeSetName: changeSet.name, roleARN: changeSet.roleARN, tags: changeSet.tags)
        {
        case .deleted:
            return true
        case .absent, .kept:
            // Not there (a read before the create shows, or it was never made), or someone
            // else's by now: the change set is deleted by its name all the same.
            break
        case .unchecked(let error):
            reporter.message(
                "\(name): the stack this deploy made for its change set is kept: whether it still holds nothing and no other change set "
                    + "could not be read (\(error)); once it is REVIEW_IN_PROGRESS with no change set on it, \(removal)")
        case .notDeleted(let error):
            reporter.message("\(name): could not delete the stack, which this deploy made for its change set and which holds nothing (\(error)): \(removal)")
        }
        return await discard(changeSet.name, of: name)
    }

    /// What `keeper` keeps of the repository before `changes` run (`nil` without a keeper, or
    /// when the change set leaves the repository alone). When it cannot be read, or Berth's
    /// policy would replace the repository's own, the change set is deleted and the error says so.
    private func keptSettings(
        by keeper: RepositoryKeeper?, before changes: [ResourceChange], of changeSet: UnrunChangeSet, deployedTemplate: String?
    ) async throws -> RepositoryKeeper.Kept? {
        guard let keeper else { return nil }
        let name = changeSet.stack
        do {
            return try await keeper.kept(
                before: changes,
                deployedTemplate: { () async throws -> String in
                    if let deployedTemplate { return deployedTemplate }
                    return try await cloudFormation.getTemplate(stackName: name)
                })
        } catch let replaced as RepositoryKeeper.PolicyWouldBeReplaced {
            await giveUp(changeSet)
            throw replaced.refusal(of: name, by: keeper)
        } catch {
            await giveUp(changeSet)
            throw DeployError.repositoryUnreadable(stack: name, repository: keeper.repository, reason: "\(error)")
        }
    }

    /// Puts back what the update removed of the repository, and says so; what could not be put
    /// back comes back as the error that names it, so that nobody has to find it again.
    private func restore(_ kept: RepositoryKeeper.Kept, with keeper: RepositoryKeeper, stack name: String) async -> DeployError? {
        // In a task of its own, which a Ctrl-C or the deadline does not reach: the stack has
        // settled, and what its update removed is put back whatever comes now.
        let restored = await Task { await keeper.restore(kept) }.value
        if !restored.tags.isEmpty {
            reporter.message(
                "\(name): the update removed the tags \(restored.tags.joined(separator: ", ")) of repository \(keeper.repository), which the template does not declare; Berth put them back as they were")
        }
        if restored.policy {
            reporter.message(
                "\(name): the update removed the repository policy of \(keeper.repository), which the template does not declare; Berth put it back as it was")
        }
        guard let left = restored.left else { return nil }
        return DeployError.repositorySettingsLost(stack: name, left: left, reason: restored.reason ?? "unknown")
    }
}
