/// Why a stack could not be compared with its deployed side.
public enum DiffError: Error, Sendable, CustomStringConvertible {
    /// The deployed side could not be read (AWS errors, a deployed template that is not one).
    case deployedSideUnreadable(stack: String, reason: String)
    /// A change set was asked for, and CloudFormation makes none for the stack in its status.
    case noChangeSetNow(stack: String, status: String)
    /// No comparison came back for a stack: a fault of Berth's, never a stack left out.
    case notCompared(stack: String)

    public var description: String {
        switch self {
        case .deployedSideUnreadable(let stack, let reason): "\(stack): cannot compare with the deployed stack: \(reason)"
        case .noChangeSetNow(let stack, let status):
            "\(stack) is \(status): CloudFormation makes no change set for it now; compare by template instead"
        case .notCompared(let stack): "\(stack): internal error: no comparison came back for it; nothing was shown rather than an incomplete diff"
        }
    }
}
