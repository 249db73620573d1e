import Deploy
import Resources

/// One stack's comparison, with where its deployed side came from.
struct StackDiffReport {
    /// What the new template was compared with.
    enum Source {
        case deployed(status: String)
        /// Not in CloudFormation (or only a never-executed change set, or a failed first create:
        /// a deploy creates it afresh).
        case notDeployed(status: String?)
        case file(String)
    }

    let stack: Stack
    let source: Source
    let diff: StackDiff
    /// Something the reader should know about how the comparison was made.
    var note: String?

    init(stack: Stack, source: Source, diff: StackDiff, note: String? = nil) {
        self.stack = stack
        self.source = source
        self.diff = diff
        self.note = note
    }
}
