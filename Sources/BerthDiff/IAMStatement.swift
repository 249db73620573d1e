import BerthTemplate

/// One IAM statement as people review it: who may do what on which resource.
public struct IAMStatement: Sendable, Hashable {
    /// The logical ID of the role, policy or repository that holds the statement.
    public var owner: String
    public var effect: String
    public var actions: [String]
    public var resources: [String]
    public var principals: [String]
    public var condition: String?
}

extension IAMStatement {
    // Statements are the same when every text in them is the same code points, as IAM compares
    // them: a condition key written with `é` as one code point and then decomposed is a change.
    public static func == (lhs: IAMStatement, rhs: IAMStatement) -> Bool { lhs.exactTexts == rhs.exactTexts }

    public func hash(into hasher: inout Hasher) { hasher.combine(exactTexts) }

    private var exactTexts: [[ExactText]] {
        [[ExactText(owner), ExactText(effect)], actions.map(ExactText.init), resources.map(ExactText.init), principals.map(ExactText.init),
         condition.map { [ExactText($0)] } ?? []]
    }
}
