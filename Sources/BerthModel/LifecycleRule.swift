import BerthTemplate

/// One rule of an ECR lifecycle policy: which images it selects and that it expires them.
public struct LifecycleRule: Sendable, Hashable {
    /// Which images a rule looks at.
    public enum TagStatus: String, Sendable, Hashable {
        case tagged, untagged, any
    }

    /// How a rule counts: keep at most N images, or expire images pushed more than N days ago.
    public enum Count: Sendable, Hashable {
        case imageCountMoreThan(Int)
        case sinceImagePushed(days: Int)
    }

    /// Rules run in ascending priority; each must be unique and at least 1.
    public var priority: Int
    public var description: String?
    public var tagStatus: TagStatus
    public var tagPrefixes: [String]
    public var tagPatterns: [String]
    public var count: Count

    public init(
        priority: Int, description: String? = nil, tagStatus: TagStatus, tagPrefixes: [String] = [],
        tagPatterns: [String] = [], count: Count
    ) {
        self.priority = priority
        self.description = description
        self.tagStatus = tagStatus
        self.tagPrefixes = tagPrefixes
        self.tagPatterns = tagPatterns
        self.count = count
    }

    /// The rule as ECR's lifecycle policy JSON spells it.
    public var policyValue: JSONValue {
        let countType: String
        let countNumber: Int
        var countUnit: JSONValue?
        switch count {
        case .imageCountMoreThan(let images):
            countType = "imageCountMoreThan"
            countNumber = images
        case .sinceImagePushed(let days):
            countType = "sinceImagePushed"
            countNumber = days
            countUnit = "days"
        }
        return .object([
            "rulePriority": .int(priority),
            "description": description.map(JSONValue.string),
            "selection": .object([
                "tagStatus": .string(tagStatus.rawValue),
                "tagPrefixList": tagPrefixes.isEmpty ? nil : .array(tagPrefixes.map(JSONValue.string)),
                "tagPatternList": tagPatterns.isEmpty ? nil : .array(tagPatterns.map(JSONValue.string)),
                "countType": .string(countType),
                "countUnit": countUnit,
                "countNumber": .int(countNumber),
            ]),
            "action": ["type": "expire"],
        ])
    }
}
