import Testing

@testable import Deploy

@Suite struct StackStateMachineTests {
    /// Every status CloudFormation documents, and what the deployer does with it.
    static let expected: [String: StackAction] = [
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
    private func kind(_ action: StackAction) -> StackAction {
        switch action {
        case .deleteThenCreate: .deleteThenCreate(reason: "")
        case .stop: .stop(guidance: "")
        default: action
        }
    }

    @Test func everyStatusHasADecision() {
        #expect(Set(Self.expected.keys) == Set(StackStateMachine.allStatuses))
    }

    @Test(arguments: StackStateMachine.allStatuses)
    func statusMapsToItsAction(status: String) {
        #expect(kind(StackStateMachine.action(for: status)) == Self.expected[status])
    }

    @Test func anAbsentStackIsCreated() {
        #expect(StackStateMachine.action(for: nil) == .create)
    }

    @Test func guidanceSaysWhatToDo() {
        guard case .stop(let guidance) = StackStateMachine.action(for: "UPDATE_ROLLBACK_FAILED") else {
            Issue.record("expected stop")
            return
        }
        #expect(guidance.contains("continue-update-rollback"))
        guard case .deleteThenCreate(let reason) = StackStateMachine.action(for: "ROLLBACK_COMPLETE") else {
            Issue.record("expected delete then create")
            return
        }
        #expect(reason.contains("first create failed"))
        #expect(kind(StackStateMachine.action(for: "SOMETHING_NEW")) == .stop(guidance: ""))
    }

    @Test func changeSetOutcomes() {
        #expect(StackStateMachine.action(forChangeSetStatus: "CREATE_PENDING", reason: nil) == .wait)
        #expect(StackStateMachine.action(forChangeSetStatus: "CREATE_IN_PROGRESS", reason: nil) == .wait)
        #expect(StackStateMachine.action(forChangeSetStatus: "CREATE_COMPLETE", reason: nil) == .execute)
        #expect(
            StackStateMachine.action(
                forChangeSetStatus: "FAILED",
                reason: "The submitted information didn't contain changes. Submit different information to create a change set.")
                == .noChanges)
        #expect(StackStateMachine.action(forChangeSetStatus: "FAILED", reason: "No updates are to be performed.") == .noChanges)
        #expect(
            StackStateMachine.action(forChangeSetStatus: "FAILED", reason: "Template format error: bad")
                == .fail(reason: "Template format error: bad"))
        #expect(StackStateMachine.action(forChangeSetStatus: "DELETE_COMPLETE", reason: nil) == .fail(reason: "unexpected change set status DELETE_COMPLETE"))
    }

    @Test func outcomesOfStackOperations() {
        for status in StackStateMachine.allStatuses {
            let outcome = StackStateMachine.outcome(of: status)
            if status.hasSuffix("_IN_PROGRESS") && status != "REVIEW_IN_PROGRESS" {
                #expect(outcome == .inProgress, "\(status)")
            } else if ["CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE", "REVIEW_IN_PROGRESS"].contains(status) {
                #expect(outcome == .succeeded, "\(status)")
            } else {
                #expect(outcome == .failed, "\(status)")
            }
        }
    }
}
