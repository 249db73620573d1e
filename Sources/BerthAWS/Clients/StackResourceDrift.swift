/// One resource's drift, as DescribeStackResourceDrifts reports it.
public struct StackResourceDrift: Sendable, Hashable {
    /// One property that differs: where, what the template expects and what the resource has.
    public struct PropertyDifference: Sendable, Hashable {
        /// Such as `/DesiredCount`.
        public let path: String
        public let expected: String?
        public let actual: String?
        /// `ADD`, `REMOVE` or `NOT_EQUAL`.
        public let differenceType: String

        public init(path: String, expected: String?, actual: String?, differenceType: String) {
            self.path = path
            self.expected = expected
            self.actual = actual
            self.differenceType = differenceType
        }
    }

    public let logicalID: String
    public let physicalID: String?
    public let resourceType: String
    /// `MODIFIED`, `DELETED`, `IN_SYNC`, `NOT_CHECKED`, `UNKNOWN` or `UNSUPPORTED`.
    public let status: String
    public let differences: [PropertyDifference]

    public init(logicalID: String, physicalID: String?, resourceType: String, status: String, differences: [PropertyDifference]) {
        self.logicalID = logicalID
        self.physicalID = physicalID
        self.resourceType = resourceType
        self.status = status
        self.differences = differences
    }
}
