/// A CloudFormation stack status, and everything Berth decides from one.
///
/// This is the one place that judges a status: whether the stack holds a deployment, whether it
/// is settled, whether its outputs can be used, whether it takes a change set, and what a deploy
/// does next with it. A status CloudFormation adds later is `.unknown`, which Berth never changes.
public enum StackStatus: Sendable, Hashable, CustomStringConvertible {
    case createInProgress, createFailed, createComplete
    case rollbackInProgress, rollbackFailed, rollbackComplete
    case deleteInProgress, deleteFailed, deleteComplete
    case updateInProgress, updateCompleteCleanupInProgress, updateComplete, updateFailed
    case updateRollbackInProgress, updateRollbackFailed, updateRollbackCompleteCleanupInProgress, updateRollbackComplete
    case reviewInProgress
    case importInProgress, importComplete, importRollbackInProgress, importRollbackFailed, importRollbackComplete
    /// A status this version of Berth does not know.
    case unknown(String)

    /// Every status CloudFormation documents, in its documentation's order.
    public static let documented: [StackStatus] = [
        .createInProgress, .createFailed, .createComplete, .rollbackInProgress, .rollbackFailed, .rollbackComplete,
        .deleteInProgress, .deleteFailed, .deleteComplete, .updateInProgress, .updateCompleteCleanupInProgress, .updateComplete,
        .updateFailed, .updateRollbackInProgress, .updateRollbackFailed, .updateRollbackCompleteCleanupInProgress,
        .updateRollbackComplete, .reviewInProgress, .importInProgress, .importComplete, .importRollbackInProgress,
        .importRollbackFailed, .importRollbackComplete,
    ]

    private static let byName: [String: StackStatus] = Dictionary(
        uniqueKeysWithValues: documented.map { ($0.name, $0) })

    /// The status CloudFormation reports as `name`.
    public init(_ name: String) {
        self = Self.byName[name] ?? .unknown(name)
    }

    /// The name CloudFormation uses: `UPDATE_ROLLBACK_COMPLETE`.
    public var name: String {
        switch self {
        case .createInProgress: "CREATE_IN_PROGRESS"
        case .createFailed: "CREATE_FAILED"
        case .createComplete: "CREATE_COMPLETE"
        case .rollbackInProgress: "ROLLBACK_IN_PROGRESS"
        case .rollbackFailed: "ROLLBACK_FAILED"
        case .rollbackComplete: "ROLLBACK_COMPLETE"
        case .deleteInProgress: "DELETE_IN_PROGRESS"
        case .deleteFailed: "DELETE_FAILED"
        case .deleteComplete: "DELETE_COMPLETE"
        case .updateInProgress: "UPDATE_IN_PROGRESS"
        case .updateCompleteCleanupInProgress: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
        case .updateComplete: "UPDATE_COMPLETE"
        case .updateFailed: "UPDATE_FAILED"
        case .updateRollbackInProgress: "UPDATE_ROLLBACK_IN_PROGRESS"
        case .updateRollbackFailed: "UPDATE_ROLLBACK_FAILED"
        case .updateRollbackCompleteCleanupInProgress: "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
        case .updateRollbackComplete: "UPDATE_ROLLBACK_COMPLETE"
        case .reviewInProgress: "REVIEW_IN_PROGRESS"
        case .importInProgress: "IMPORT_IN_PROGRESS"
        case .importComplete: "IMPORT_COMPLETE"
        case .importRollbackInProgress: "IMPORT_ROLLBACK_IN_PROGRESS"
        case .importRollbackFailed: "IMPORT_ROLLBACK_FAILED"
        case .importRollbackComplete: "IMPORT_ROLLBACK_COMPLETE"
        case .unknown(let name): name
        }
    }

    public var description: String { name }

    /// What a deploy does next with a stack in this status.
    public enum NextAction: Sendable, Hashable {
        /// Create the stack through a CREATE change set.
        case create
        /// Update the stack through an UPDATE change set.
        case update
        /// A first create failed: the stack holds nothing and cannot be updated. Delete it, wait
        /// for the delete, then create it again.
        case deleteThenCreate(reason: String)
        /// An operation is under way: wait until the stack settles, then decide again.
        case waitForSettle
        /// Nothing Berth can do safely; the guidance says what the user can (`<stack>` stands for
        /// the stack's name).
        case stop(guidance: String)
    }

    /// What a deploy does next with a stack in this status.
    public var nextAction: NextAction {
        switch self {
        // A CREATE change set that was never executed leaves a stack with no resources.
        case .reviewInProgress, .deleteComplete: return .create
        case .rollbackComplete, .rollbackFailed, .createFailed:
            return .deleteThenCreate(
                reason: "the stack's first create failed (\(name)); it holds no working resources and cannot be updated")
        case .updateRollbackFailed:
            return .stop(
                guidance: "the stack is UPDATE_ROLLBACK_FAILED: fix what blocked the rollback, then run `aws cloudformation continue-update-rollback --stack-name <stack>` (optionally skipping the stuck resources) and deploy again")
        case .deleteFailed:
            return .stop(
                guidance: "the stack is DELETE_FAILED: remove what blocks the delete (see the stack's events), delete the stack, and deploy again")
        case .importRollbackFailed:
            return .stop(guidance: "the stack is IMPORT_ROLLBACK_FAILED: resolve the import in the CloudFormation console first")
        // UPDATE_FAILED: only a stack whose rollback was switched off settles there; it takes updates.
        case .createComplete, .updateComplete, .updateRollbackComplete, .importComplete, .importRollbackComplete, .updateFailed:
            return .update
        case .createInProgress, .rollbackInProgress, .deleteInProgress, .updateInProgress, .updateCompleteCleanupInProgress,
            .updateRollbackInProgress, .updateRollbackCompleteCleanupInProgress, .importInProgress, .importRollbackInProgress:
            return .waitForSettle
        case .unknown(let name):
            if name.hasSuffix("_IN_PROGRESS") { return .waitForSettle }
            return .stop(guidance: "the stack is in a status Berth does not know (\(name)); check it in the CloudFormation console")
        }
    }

    /// Whether an operation is under way. An unexecuted change set (`REVIEW_IN_PROGRESS`) runs
    /// nothing, so it counts as settled.
    public var isInProgress: Bool {
        self != .reviewInProgress && name.hasSuffix("_IN_PROGRESS")
    }

    /// Whether no operation is under way.
    public var isSettled: Bool { !isInProgress }

    /// Whether an executed change set succeeded: the stack is as its new template says. Not
    /// `REVIEW_IN_PROGRESS` (a read taken before the execution showed) nor `DELETE_COMPLETE` (a
    /// first create that failed and was deleted).
    public var succeeded: Bool {
        [.createComplete, .updateComplete, .importComplete].contains(self)
    }

    /// Whether the stack holds a deployment: something a deploy updates rather than creates
    /// anew. A stack whose first create failed, or that holds only a change set, does not.
    public var holdsDeployment: Bool { nextAction != .create && !isFirstCreateFailure }

    /// Whether the stack holds no resource at all: a first change set made it and was never
    /// executed (`REVIEW_IN_PROGRESS`), or it is deleted.
    public var holdsNoResources: Bool { self == .reviewInProgress || self == .deleteComplete }

    /// Whether the stack's first create failed, so that it holds no working resources.
    public var isFirstCreateFailure: Bool {
        if case .deleteThenCreate = nextAction { return true }
        return false
    }

    /// Whether the stack is settled in a working state, so that its outputs can be used.
    public var isReady: Bool {
        [.createComplete, .updateComplete, .updateRollbackComplete, .importComplete, .importRollbackComplete].contains(self)
    }

    /// Whether the stack's outputs and resources are final, so that other stacks and runs may
    /// use them: it is ready, or an update (or its rollback) is done and only the resources it
    /// replaced are being removed (`*_COMPLETE_CLEANUP_IN_PROGRESS`).
    public var hasFinalOutputs: Bool {
        isReady || self == .updateCompleteCleanupInProgress || self == .updateRollbackCompleteCleanupInProgress
    }

    /// Whether CloudFormation takes an UPDATE change set for the stack now.
    public var acceptsChangeSets: Bool { nextAction == .update }

    /// Whether a deploy that would send exactly what is deployed may report "no changes"
    /// without a change set. After a rollback or a failed update a change set is made anyway,
    /// so that CloudFormation says what it would change.
    public var canSkipUnchanged: Bool { [.createComplete, .updateComplete, .importComplete].contains(self) }
}
