import BerthModel
import Foundation

/// Where a deploy takes an image's commit and build time from when `--commit-sha` and
/// `--build-time` do not give them: the deploy that first shipped the tag (a rollback, a promoted
/// tag); else the tag, where Berth's tag format carries them; else the CI run or the work tree.
public struct BuildProvenance: Sendable {
    /// What earlier deploys recorded for a tag: their `CommitSha` and `BuildTime`.
    public struct Shipped: Sendable, Hashable {
        public var commit: String
        public var buildTime: String?

        public init(commit: String, buildTime: String?) {
            self.commit = commit
            self.buildTime = buildTime
        }
    }

    public var template: ImageTagTemplate
    /// `GITHUB_SHA`, else the work tree's HEAD: the commit being built now.
    public var currentCommit: String?

    public init(template: ImageTagTemplate = .standard, currentCommit: String?) {
        self.template = template
        self.currentCommit = currentCommit?.lowercased()
    }

    /// The commit and build time of `tag`; `firstShipped` is what the oldest deploy of it
    /// recorded, when one did.
    public func metadata(for tag: String, firstShipped: Shipped?) -> [ParameterSource.BuildMetadata: String] {
        if let firstShipped {
            var values: [ParameterSource.BuildMetadata: String] = [.commitSha: firstShipped.commit]
            if let time = firstShipped.buildTime { values[.buildTime] = time }
            return values
        }
        guard let facts = ImageTagFacts(tag, template: template), facts.commitPrefix != nil || facts.time != nil else {
            return currentCommit.map { [.commitSha: $0] } ?? [:]
        }
        var values: [ParameterSource.BuildMetadata: String] = [:]
        if let prefix = facts.commitPrefix {
            // The whole commit when the one being built is the tag's; never another commit.
            values[.commitSha] = currentCommit.flatMap { $0.hasPrefix(prefix) ? $0 : nil } ?? prefix
        }
        if let time = facts.time { values[.buildTime] = Self.text(time) }
        return values
    }

    /// Whether `tag` is the build of the commit being built now: its deploy needs no history.
    public func isCurrentBuild(_ tag: String) -> Bool {
        guard let prefix = ImageTagFacts(tag, template: template)?.commitPrefix, let currentCommit else { return false }
        return currentCommit.hasPrefix(prefix)
    }

    /// `2026-11-22T09:30:00Z`.
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
