import BerthModel
import BerthAWS
import BerthTemplate
import Foundation

/// Which images an ECR lifecycle policy will expire, worked out locally with ECR's documented
/// semantics, so that `berth images` can say it before ECR does:
///
/// - rules are evaluated by `rulePriority`, lowest first;
/// - each rule counts every image its tag criteria select, those a rule of higher priority
///   selected too ("rules can never mark images that are marked by higher priority rules, but
///   can still identify them as if they haven't been expired"), and expires those it marks
///   that no rule of higher priority selected: an image matched by a rule's tag criteria is
///   never expired by a rule of lower priority (the guide's "Filtering on multiple rules",
///   examples A and B); so each image is expired by one rule at most;
/// - `tagged` rules select images that have, for every entry of `tagPrefixList`, a tag starting
///   with it (or, for `tagPatternList`, a tag matching the pattern, `*` standing for any run of
///   characters); `untagged` selects images without tags; `any` selects every image;
/// - `imageCountMoreThan N` keeps the N most recently pushed images of the selection and
///   expires the rest; `sinceImagePushed N` (days) expires those pushed more than N days ago;
/// - a rule whose action is `transition` (to the archive) selects and protects images but
///   expires none; a rule on the archive's images (`storageClass: archive`) is left out, since
///   the images listed are the standard ones.
///
/// An image without a push time counts as the oldest for a count rule, and is never expired by
/// an age rule (its age is unknown).
public struct LifecyclePreview: Sendable {
    /// Why a policy text cannot be evaluated.
    public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { "the lifecycle policy cannot be read: \(message)" }
    }

    public let rules: [LifecycleRule]
    /// The priorities of the rules that move images to the archive instead of expiring them
    /// (`"action": {"type": "transition"}`): they select and protect images, and expire none.
    let transitions: Set<Int>
    /// The priorities of the rules that count by when an image was last pulled or archived
    /// (`sinceImagePulled`, `sinceImageTransitioned`), which DescribeImages does not say: they
    /// select and protect images, and this preview marks none (so it may say an image stays
    /// that such a rule removes).
    let unknownAge: Set<Int>

    /// Reads a policy as ECR stores it (`{"rules": [...]}`).
    public init(policyText: String) throws(PolicyError) {
        let document: JSONValue
        do {
            document = try JSONValue.parseJSON(policyText, file: "lifecycle policy")
        } catch {
            throw PolicyError(message: "\(error)")
        }
        guard let entries = document["rules"]?.elements else { throw PolicyError(message: "it has no rules list") }
        var rules: [LifecycleRule] = []
        var transitions: Set<Int> = []
        var unknownAge: Set<Int> = []
        for (index, entry) in entries.enumerated() {
            // A rule on archived images ("storageClass": "archive") concerns none that this
            // preview lists (DescribeImages' standard ones).
            if entry["selection"]?["storageClass"]?.stringValue == "archive" { continue }
            guard case .int(let priority)? = entry["rulePriority"], let selection = entry["selection"],
                let status = selection["tagStatus"]?.stringValue.flatMap(LifecycleRule.TagStatus.init),
                case .int(let number)? = selection["countNumber"], let countType = selection["countType"]?.stringValue
            else { throw PolicyError(message: "rule \(index + 1) lacks rulePriority, tagStatus, countType or countNumber") }
            let count: LifecycleRule.Count
            switch countType {
            case "imageCountMoreThan": count = .imageCountMoreThan(number)
            case "sinceImagePushed": count = .sinceImagePushed(days: number)
            case "sinceImagePulled", "sinceImageTransitioned":
                count = .sinceImagePushed(days: number)
                unknownAge.insert(priority)
            default: throw PolicyError(message: "rule \(index + 1) has countType \(countType)")
            }
            if entry["action"]?["type"]?.stringValue == "transition" { transitions.insert(priority) }
            rules.append(
                LifecycleRule(
                    priority: priority, description: entry["description"]?.stringValue, tagStatus: status,
                    tagPrefixes: selection["tagPrefixList"]?.elements?.compactMap(\.stringValue) ?? [],
                    tagPatterns: selection["tagPatternList"]?.elements?.compactMap(\.stringValue) ?? [], count: count))
        }
        self.rules = rules.sorted { $0.priority < $1.priority }
        self.transitions = transitions
        self.unknownAge = unknownAge
    }

    /// The rule that expires each image, by digest; images that stay are not listed.
    public func expirations(of images: [ECRClient.Image], now: Date) -> [String: LifecycleRule] {
        expirations(of: images, isOlder: Self.olderThanItsDays(at: now))
    }

    /// The rule that takes each image out of reach at its next run, by digest: expired, or moved
    /// to the archive, whose images cannot be pulled until restored. What a rollback may not
    /// go back to.
    public func removals(of images: [ECRClient.Image], now: Date) -> [String: LifecycleRule] {
        expirations(of: images, archiving: true, isOlder: Self.olderThanItsDays(at: now))
    }

    /// Whether an image was pushed more than a rule's days before `now`; one without a push
    /// time never is (its age is unknown).
    private static func olderThanItsDays(at now: Date) -> (ECRClient.Image, Int) -> Bool {
        let seconds = now.timeIntervalSince1970
        return { image, days in image.imagePushedAt.map { $0 < seconds - Double(days) * 86_400 } ?? false }
    }

    /// The rule that expires each image once every age rule's days have passed, by digest: what
    /// the policy expires of `images` sooner or later (an untagged image pushed an hour ago
    /// included), however many are pushed after them.
    public func eventualExpirations(of images: [ECRClient.Image]) -> [String: LifecycleRule] {
        expirations(of: images) { _, _ in true }
    }

    /// When the policy expires each image, and by which rule, by digest: a count rule at its
    /// next run (`now`), an age rule once the image is that many days old (`now` if it already
    /// is). An image an age rule selects without a push time is never expired (its age is
    /// unknown); images kept are not listed.
    public func expiryDates(of images: [ECRClient.Image], now: Date) -> [String: (rule: LifecycleRule, date: Date)] {
        var dates: [String: (rule: LifecycleRule, date: Date)] = [:]
        let rules = eventualExpirations(of: images)
        for image in images {
            guard let rule = rules[image.imageDigest] else { continue }
            switch rule.count {
            case .imageCountMoreThan: dates[image.imageDigest] = (rule, now)
            case .sinceImagePushed(let days):
                guard let pushed = image.imagePushedAt else { continue }
                dates[image.imageDigest] = (rule, max(now, Date(timeIntervalSince1970: pushed + Double(days) * 86_400)))
            }
        }
        return dates
    }

    /// The rule that expires each image, by digest, `isOlder` saying whether an image is older
    /// than an age rule's days.
    private func expirations(
        of images: [ECRClient.Image], archiving: Bool = false, isOlder: (ECRClient.Image, Int) -> Bool
    ) -> [String: LifecycleRule] {
        var claimed: Set<String> = []
        var expired: [String: LifecycleRule] = [:]
        for rule in rules {
            // Counted with every image the rule selects; expired only if no earlier rule selected it.
            let selected = images.filter { Self.selects(rule, $0) }
            let marked: [ECRClient.Image]
            switch rule.count {
            case .imageCountMoreThan(let keep):
                let newestFirst = selected.sorted { ($0.imagePushedAt ?? -.infinity) > ($1.imagePushedAt ?? -.infinity) }
                marked = Array(newestFirst.dropFirst(max(0, keep)))
            case .sinceImagePushed(let days):
                marked = unknownAge.contains(rule.priority) ? [] : selected.filter { isOlder($0, days) }
            }
            let removes = archiving || !transitions.contains(rule.priority)
            for image in marked where removes && !claimed.contains(image.imageDigest) && expired[image.imageDigest] == nil {
                expired[image.imageDigest] = rule
            }
            claimed.formUnion(selected.map(\.imageDigest))
        }
        return expired
    }

    static func selects(_ rule: LifecycleRule, _ image: ECRClient.Image) -> Bool { selects(rule, tags: image.imageTags ?? []) }

    /// Whether `rule`'s tag criteria select an image with `tags`.
    static func selects(_ rule: LifecycleRule, tags: [String]) -> Bool {
        switch rule.tagStatus {
        case .any: return true
        case .untagged: return tags.isEmpty
        case .tagged:
            guard !tags.isEmpty else { return false }
            let prefixes = rule.tagPrefixes.allSatisfy { prefix in tags.contains { $0.hasPrefix(prefix) } }
            let patterns = rule.tagPatterns.allSatisfy { pattern in tags.contains { matches($0, pattern: pattern) } }
            return prefixes && patterns
        }
    }

    /// `*` stands for any run of characters (none included); everything else is itself.
    static func matches(_ tag: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return tag == pattern }
        guard let first = parts.first, let last = parts.last, tag.hasPrefix(first), tag.count >= first.count + last.count else {
            return false
        }
        var rest = Substring(tag.dropFirst(first.count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.range(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(last)
    }
}
