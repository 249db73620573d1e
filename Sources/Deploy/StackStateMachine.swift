import AWS

/// What the deployer should do next with a stack, decided from what CloudFormation reports.
///
/// A pure value: no network, no clock. The deployer observes, asks, acts, and asks again.
public enum StackAction: Sendable, Hashable {
    /// Create the stack through a CREATE change set.
    case create
    /// Update the stack through an UPDATE change set.
    case update
    /// A first create failed and rolled back: the stack holds nothing and cannot be updated.
    /// Delete it, wait for the delete, then create it again.
    case deleteThenCreate(reason: String)
    /// An operation is under way: wait until the stack settles, then decide again.
    case waitForSettle
    /// Nothing Berth can do safely; the message says what the user can.
    case stop(guidance: String)
}

/// What to do once a change set has been created and described.
public enum ChangeSetAction: Sendable, Hashable {
    /// It is still being computed: look again.
    case wait
    /// Execute it.
    case execute
    /// It holds no changes: say so, delete it, and succeed.
    case noChanges
    /// It failed for another reason.
    case fail(reason: String)
}

/// How a stack operation ended.
public enum StackOutcome: Sendable, Hashable {
    case succeeded
    /// It failed, and CloudFormation rolled back (or could not).
    case failed
    /// Still going.
    case inProgress
}

/// The decisions of a deploy, as functions of CloudFormation's statuses.
public enum StackStateMachine {
    /// The next action for a stack in `status` (`nil` when it does not exist).
    public static func action(for status: String?) -> StackAction {
        guard let status else { return .create }
        switch status {
        case "REVIEW_IN_PROGRESS":
            // A CREATE change set was made but never executed: the stack has no resources yet.
            return .create
        case "DELETE_COMPLETE":
            return .create
        case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED":
            return .deleteThenCreate(
                reason: "the stack's first create failed (\(status)); it holds no working resources and cannot be updated")
        case "UPDATE_ROLLBACK_FAILED":
            return .stop(
                guidance: "the stack is UPDATE_ROLLBACK_FAILED: fix what blocked the rollback, then run `aws cloudformation continue-update-rollback --stack-name <stack>` (optionally skipping the stuck resources) and deploy again")
        case "DELETE_FAILED":
            return .stop(
                guidance: "the stack is DELETE_FAILED: remove what blocks the delete (see the stack's events), delete the stack, and deploy again")
        case "IMPORT_ROLLBACK_FAILED":
            return .stop(guidance: "the stack is IMPORT_ROLLBACK_FAILED: resolve the import in the CloudFormation console first")
        case "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE":
            return .update
        case "UPDATE_FAILED":
            // Only a stack whose rollback was switched off settles here; it takes updates.
            return .update
        default:
            if status.hasSuffix("_IN_PROGRESS") { return .waitForSettle }
            return .stop(guidance: "the stack is in a status Berth does not know (\(status)); check it in the CloudFormation console")
        }
    }

    /// What a change set's status means for the deploy.
    public static func action(forChangeSetStatus status: String, reason: String?) -> ChangeSetAction {
        switch status {
        case "CREATE_PENDING", "CREATE_IN_PROGRESS": return .wait
        case "CREATE_COMPLETE": return .execute
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

    /// Whether a stack operation is over, and how.
    public static func outcome(of status: String) -> StackOutcome {
        switch status {
        case "CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE": return .succeeded
        case "REVIEW_IN_PROGRESS": return .succeeded  // an unexecuted change set: nothing is running
        default:
            if status.hasSuffix("_IN_PROGRESS") { return .inProgress }
            return .failed
        }
    }

    /// Every stack status CloudFormation documents.
    public static let allStatuses = [
        "CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED",
        "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED", "DELETE_COMPLETE", "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS",
        "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE",
        "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_IN_PROGRESS",
        "IMPORT_ROLLBACK_FAILED", "IMPORT_ROLLBACK_COMPLETE",
    ]

    /// Whether a stack in `status` is settled and healthy enough that an identical deploy may be
    /// reported as "no changes" without a change set. After a rollback a change set is made
    /// anyway, so that CloudFormation says what it would change.
    public static func canSkipUnchanged(_ status: String) -> Bool {
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"].contains(status)
    }

    /// Whether a planned change would remove an image repository or replace it (a new one made,
    /// the old one deleted or, retained, orphaned).
    static func losesRepository(_ change: ResourceChange) -> Bool {
        change.resourceType == "AWS::ECR::Repository"
            && (change.action == "Remove" || (change.action == "Modify" && ["True", "Conditional"].contains(change.replacement ?? "")))
    }
}
