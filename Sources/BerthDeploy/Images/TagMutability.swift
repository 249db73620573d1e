import BerthAWS

/// Which tags of a repository can move to another image, as DescribeRepositories says:
/// `imageTagMutability` and, for the `_WITH_EXCLUSION` settings, the filters of the exceptions.
public struct TagMutability: Sendable, Hashable {
    /// `MUTABLE`, `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION` or `IMMUTABLE_WITH_EXCLUSION`; ECR's
    /// default, `MUTABLE`, when the answer has none.
    public let setting: String
    /// The exclusion filters' patterns, where `*` stands for any characters.
    public let exclusionFilters: [String]

    public init(setting: String?, exclusionFilters: [String] = []) {
        self.setting = setting ?? "MUTABLE"
        self.exclusionFilters = exclusionFilters
    }

    /// The repository's mutability as ECR describes it.
    public init(_ repository: ECRClient.Repository) {
        self.init(
            setting: repository.imageTagMutability,
            exclusionFilters: (repository.imageTagMutabilityExclusionFilters ?? []).map(\.filter))
    }

    /// The first exclusion filter that `tag` matches, or `nil`.
    public func matchingFilter(_ tag: String) -> String? {
        exclusionFilters.first { Self.wildcard($0, matches: tag) }
    }

    /// Whether `tag`, once pushed, can be pushed again for another image.
    public func tagCanMove(_ tag: String) -> Bool {
        switch setting {
        case "IMMUTABLE": false
        case "IMMUTABLE_WITH_EXCLUSION": matchingFilter(tag) != nil
        case "MUTABLE_WITH_EXCLUSION": matchingFilter(tag) == nil
        // MUTABLE, and any setting ECR adds later: a tag that might move is pinned.
        default: true
        }
    }

    /// Whether `tag` matches `pattern` as a whole, `*` standing for any characters (none
    /// included) and every other character for itself, case included.
    public static func wildcard(_ pattern: String, matches tag: String) -> Bool {
        let pattern = Array(pattern.utf8)
        let tag = Array(tag.utf8)
        var p = 0
        var t = 0
        // Where the last `*` was and the tag position it was tried at, to backtrack to.
        var star: (pattern: Int, tag: Int)?
        while t < tag.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = (p, t)
                p += 1
            } else if p < pattern.count, pattern[p] == tag[t] {
                p += 1
                t += 1
            } else if let last = star {
                p = last.pattern + 1
                t = last.tag + 1
                star = (last.pattern, last.tag + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
