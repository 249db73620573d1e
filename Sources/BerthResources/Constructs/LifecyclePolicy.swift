import BerthModel
import BerthTemplate

/// An ECR lifecycle policy: ECR itself expires old images, so no cleanup script is needed.
///
/// Build it with `keepMostRecent(_:tagPrefix:)` per environment, `expireUntagged(afterDays:)`
/// and `add(_:)` for custom rules; `validate()` checks ECR's rule semantics before synth writes
/// anything.
public struct LifecyclePolicy: Sendable, Hashable {
    public private(set) var rules: [LifecycleRule] = []

    /// ECR's limit on the policy text.
    public static let maximumTextLength = 30_720
    /// ECR allows at most this many `*` wildcards in one tag pattern.
    public static let maximumWildcardsPerPattern = 4

    public init() {}

    /// The priority a new rule gets: one above the highest so far.
    private var nextPriority: Int { (rules.map(\.priority).max() ?? 0) + 1 }

    /// Keeps the `count` most recent images whose tags start with `tagPrefix` (`dev-`, `prod-`)
    /// and expires older ones.
    public mutating func keepMostRecent(_ count: Int, tagPrefix: String) {
        rules.append(
            LifecycleRule(
                priority: nextPriority, description: "keep the \(count) most recent \(tagPrefix)* images",
                tagStatus: .tagged, tagPrefixes: [tagPrefix], count: .imageCountMoreThan(count)))
    }

    /// Keeps the `count` most recent Cosign signatures (and attestations), tagged
    /// `sha256-<hex>.sig` (`.att`), and expires older ones; without this rule no rule matches them
    /// and they are kept for ever. Their tags do not say which environment's image they sign, so
    /// a count may expire the signature of an image that is kept (an environment that pushes
    /// little, beside one that pushes much): Berth's own repositories do not use this rule.
    public mutating func keepSignatures(_ count: Int) {
        rules.append(
            LifecycleRule(
                priority: nextPriority, description: "keep the \(count) most recent image signatures (sha256-*)",
                tagStatus: .tagged, tagPatterns: [SignatureRequirement.signatureTagPattern], count: .imageCountMoreThan(count)))
    }

    /// Expires untagged images (left behind by re-tagging or failed pushes) after `days` days.
    public mutating func expireUntagged(afterDays days: Int) {
        rules.append(
            LifecycleRule(
                priority: nextPriority, description: "expire untagged images after \(days) day\(days == 1 ? "" : "s")",
                tagStatus: .untagged, count: .sinceImagePushed(days: days)))
    }

    /// Adds a custom rule with the priority it names.
    public mutating func add(_ rule: LifecycleRule) {
        rules.append(rule)
    }

    /// The policy as the compact JSON text ECR takes.
    public var policyText: String {
        JSONValue.object(["rules": .array(rules.sorted { $0.priority < $1.priority }.map(\.policyValue))])
            .jsonText(pretty: false)
    }

    /// Everything that ECR would reject or that would not do what it says.
    public func validate() -> [(location: String, message: String)] {
        validate(policyText: policyText)
    }

    /// `validate()`, given the `policyText` the caller has already made.
    func validate(policyText: String) -> [(location: String, message: String)] {
        var problems: [(String, String)] = []
        if rules.isEmpty {
            problems.append(("lifecycle policy", "has no rules; add keepMostRecent or expireUntagged"))
        }
        let highest = rules.map(\.priority).max() ?? 0
        for (index, rule) in rules.enumerated() {
            // Worded only for a problem: most policies have none.
            var location: String { "lifecycle rule \(index + 1) (priority \(rule.priority))" }
            if rule.priority < 1 {
                problems.append((location, "rulePriority must be 1 or more"))
            }
            if rules.lazy.filter({ $0.priority == rule.priority }).count > 1 {
                problems.append((location, "rulePriority \(rule.priority) is used by more than one rule; priorities must be unique"))
            }
            switch rule.tagStatus {
            case .tagged:
                if rule.tagPrefixes.isEmpty && rule.tagPatterns.isEmpty {
                    problems.append((location, "tagStatus tagged needs tagPrefixList or tagPatternList"))
                }
                if !rule.tagPrefixes.isEmpty && !rule.tagPatterns.isEmpty {
                    problems.append((location, "give tagPrefixList or tagPatternList, not both"))
                }
            case .untagged, .any:
                if !rule.tagPrefixes.isEmpty || !rule.tagPatterns.isEmpty {
                    problems.append((location, "tagStatus \(rule.tagStatus.rawValue) takes neither tagPrefixList nor tagPatternList"))
                }
            }
            if rule.tagStatus == .any && rule.priority != highest {
                problems.append((location, "a tagStatus any rule must have the highest rulePriority (\(highest) is higher), so that it is evaluated last"))
            }
            if rule.tagStatus == .any && rules.filter({ $0.tagStatus == .any }).count > 1 {
                problems.append((location, "only one rule may have tagStatus any"))
            }
            for prefix in rule.tagPrefixes where prefix.isEmpty {
                problems.append((location, "a tag prefix must not be empty"))
            }
            for pattern in rule.tagPatterns {
                let wildcards = pattern.filter { $0 == "*" }.count
                if wildcards > Self.maximumWildcardsPerPattern {
                    problems.append((location, "tag pattern \(pattern) has \(wildcards) wildcards; ECR allows at most \(Self.maximumWildcardsPerPattern)"))
                }
                if pattern.isEmpty {
                    problems.append((location, "a tag pattern must not be empty"))
                }
            }
            switch rule.count {
            case .imageCountMoreThan(let images) where images < 1:
                problems.append((location, "imageCountMoreThan needs a count of 1 or more, got \(images)"))
            case .sinceImagePushed(let days) where days < 1:
                problems.append((location, "sinceImagePushed needs 1 or more days, got \(days)"))
            default:
                break
            }
        }
        let length = policyText.utf8.count
        if !rules.isEmpty && length > Self.maximumTextLength {
            problems.append(("lifecycle policy", "policy text is \(length) bytes; ECR allows at most \(Self.maximumTextLength)"))
        }
        return problems
    }
}
