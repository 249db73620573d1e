import Testing

@testable import BerthAWS

/// Every status CloudFormation documents, and what Berth decides from it.
@Suite struct StackStatusTests {
    /// What a deploy does next with each documented status.
    static let expected: [String: StackStatus.NextAction] = [
        "CREATE_IN_PROGRESS": .waitForSettle,
        "CREATE_FAILED": .deleteThenCreate(reason: ""),
        "CREATE_COMPLETE": .update,
        "ROLLBACK_IN_PROGRESS": .waitForSettle,
        "ROLLBACK_FAILED": .deleteThenCreate(reason: ""),
        "ROLLBACK_COMPLETE": .deleteThenCreate(reason: ""),
        "DELETE_IN_PROGRESS": .waitForSettle,
        "DELETE_FAILED": .stop(guidance: ""),
        "DELETE_COMPLETE": .create,
        "UPDATE_IN_PROGRESS": .waitForSettle,
        "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS": .waitForSettle,
        "UPDATE_COMPLETE": .update,
        "UPDATE_FAILED": .update,
        "UPDATE_ROLLBACK_IN_PROGRESS": .waitForSettle,
        "UPDATE_ROLLBACK_FAILED": .stop(guidance: ""),
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS": .waitForSettle,
        "UPDATE_ROLLBACK_COMPLETE": .update,
        "REVIEW_IN_PROGRESS": .create,
        "IMPORT_IN_PROGRESS": .waitForSettle,
        "IMPORT_COMPLETE": .update,
        "IMPORT_ROLLBACK_IN_PROGRESS": .waitForSettle,
        "IMPORT_ROLLBACK_FAILED": .stop(guidance: ""),
        "IMPORT_ROLLBACK_COMPLETE": .update,
    ]

    /// The action without its text, for comparing kinds.
    private func kind(_ action: StackStatus.NextAction) -> StackStatus.NextAction {
        switch action {
        case .deleteThenCreate: .deleteThenCreate(reason: "")
        case .stop: .stop(guidance: "")
        default: action
        }
    }

    @Test func everyDocumentedStatusIsKnownByItsName() {
        #expect(Set(Self.expected.keys) == Set(StackStatus.documented.map(\.name)))
        for status in StackStatus.documented {
            #expect(StackStatus(status.name) == status)
            if case .unknown = status { Issue.record("\(status) is documented") }
        }
        #expect(StackStatus("SOMETHING_NEW") == .unknown("SOMETHING_NEW"))
        #expect("\(StackStatus.updateRollbackComplete)" == "UPDATE_ROLLBACK_COMPLETE")
    }

    @Test(arguments: StackStatus.documented)
    func statusMapsToItsNextAction(status: StackStatus) {
        #expect(kind(status.nextAction) == Self.expected[status.name])
        #expect(status.acceptsChangeSets == (status.nextAction == .update))
    }

    @Test func guidanceSaysWhatToDo() {
        guard case .stop(let guidance) = StackStatus.updateRollbackFailed.nextAction else {
            Issue.record("expected stop")
            return
        }
        #expect(guidance.contains("continue-update-rollback"))
        guard case .deleteThenCreate(let reason) = StackStatus.rollbackComplete.nextAction else {
            Issue.record("expected delete then create")
            return
        }
        #expect(reason.contains("first create failed"))
        #expect(kind(StackStatus("SOMETHING_NEW").nextAction) == .stop(guidance: ""))
        #expect(StackStatus("SOMETHING_NEW_IN_PROGRESS").nextAction == .waitForSettle)
    }

    @Test func progressAndSuccessOfOperations() {
        for status in StackStatus.documented {
            let name = status.name
            #expect(status.isInProgress == (name.hasSuffix("_IN_PROGRESS") && name != "REVIEW_IN_PROGRESS"), "\(name)")
            #expect(status.isSettled == !status.isInProgress)
            let succeeded = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"]
            #expect(status.succeeded == succeeded.contains(name), "\(name)")
        }
    }

    /// A stack holds a deployment when a deploy would update it; one whose first create failed,
    /// or that holds only a change set, does not (diff, images and status show it as not deployed).
    @Test func whatHoldsADeployment() {
        let holding = StackStatus.documented.filter(\.holdsDeployment).map(\.name)
        #expect(!holding.contains("REVIEW_IN_PROGRESS"))
        #expect(!holding.contains("ROLLBACK_COMPLETE"))
        #expect(!holding.contains("CREATE_FAILED"))
        #expect(!holding.contains("DELETE_COMPLETE"))
        #expect(holding.contains("UPDATE_ROLLBACK_COMPLETE"))
        #expect(holding.contains("UPDATE_IN_PROGRESS"))
        #expect(StackStatus.rollbackFailed.isFirstCreateFailure)
    }

    /// Outputs are used from stacks settled in a working state, after an import's rollback too
    /// (where the deploy decides to update, the outputs are usable).
    @Test func readyStacksAreTheOnesADeployUpdates() {
        let ready = Set(StackStatus.documented.filter(\.isReady).map(\.name))
        #expect(ready == ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"])
        for status in StackStatus.documented where status.isReady { #expect(status.nextAction == .update) }
    }

    /// Other stacks use the outputs of a ready stack, and of one whose update (or its rollback)
    /// is done and only removes what it replaced; not of one still changing.
    @Test func outputsAreFinalOnceAnUpdateIsDoneAndOnlyCleansUp() {
        let final = Set(StackStatus.documented.filter(\.hasFinalOutputs).map(\.name))
        let ready = Set(StackStatus.documented.filter(\.isReady).map(\.name))
        #expect(final == ready.union(["UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"]))
        #expect(!StackStatus.updateInProgress.hasFinalOutputs && !StackStatus.updateRollbackInProgress.hasFinalOutputs)
    }
}
