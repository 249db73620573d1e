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
