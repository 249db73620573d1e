/// What a drift detection found in one deployed stack: the resources changed outside
/// CloudFormation, and for each changed property what the template expects and what the
/// resource has.
public struct StackDrift: Sendable, Hashable {
    /// One drifted resource.
    public struct Resource: Sendable, Hashable {
        /// One property that differs.
        public struct Difference: Sendable, Hashable {
            /// Such as `/DesiredCount`, as CloudFormation reports it.
            public let path: String
            /// `nil` when the template does not set it (`ADD`).
            public let expected: String?
            /// `nil` when the resource no longer has it (`REMOVE`).
            public let actual: String?
            /// `ADD`, `REMOVE` or `NOT_EQUAL`.
            public let kind: String

            public init(path: String, expected: String?, actual: String?, kind: String) {
                self.path = path
                self.expected = expected
                self.actual = actual
                self.kind = kind
            }
        }

        public let logicalID: String
        public let type: String
        /// `MODIFIED` or `DELETED`.
        public let status: String
        public let differences: [Difference]

        public init(logicalID: String, type: String, status: String, differences: [Difference]) {
            self.logicalID = logicalID
            self.type = type
            self.status = status
            self.differences = differences
        }
    }

    /// The stack's drift status: `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`.
    public let status: String
    /// Drifted resources, by logical ID.
    public let resources: [Resource]
    /// Why the detection could not check everything, when CloudFormation says.
    public let reason: String?

    public init(status: String, resources: [Resource], reason: String? = nil) {
        self.status = status
        self.resources = resources.sorted { $0.logicalID < $1.logicalID }
        self.reason = reason
    }

    /// Whether the stack drifted.
    public var hasDrift: Bool { status == "DRIFTED" || !resources.isEmpty }
}
