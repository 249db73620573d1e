@testable import BerthAWS
import Foundation
import Testing

@testable import BerthDeploy

/// The lifecycle preview against ECR's documented evaluation rules.
@Suite struct LifecyclePreviewTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// An image pushed `daysAgo` days before `now` (none: no push time).
    private func image(_ digit: Character, _ tags: [String], daysAgo: Double?) -> ECRClient.Image {
        ECRClient.Image(
            imageDigest: "sha256:" + String(repeating: digit, count: 64), imageTags: tags.isEmpty ? nil : tags,
            imagePushedAt: daysAgo.map { 1_800_000_000 - $0 * 86_400 }, imageSizeInBytes: nil)
    }

    private func policy(_ rules: String) throws -> LifecyclePreview { try LifecyclePreview(policyText: #"{"rules": [\#(rules)]}"#) }

    private func rule(_ priority: Int, _ selection: String) -> String {
        #"{"rulePriority": \#(priority), "selection": {\#(selection)}, "action": {"type": "expire"}}"#
    }

    /// The tags (or `<digit>` for an untagged image) of the expired images, sorted, with each rule's priority.
    private func expired(_ preview: LifecyclePreview, _ images: [ECRClient.Image]) -> [String] {
        let rules = preview.expirations(of: images, now: now)
        return images.compactMap { image in
            rules[image.imageDigest].map { "\((image.imageTags ?? [String(image.imageDigest.last ?? "?")]).joined(separator: "+")):\($0.priority)" }
        }.sorted()
    }

    /// The ECR User Guide's "Filtering on multiple rules", examples A and B (rule 1 keeps one
    /// `prod` image, rule 2 one `beta` image): a rule counts the images a rule before it
    /// selected, but never expires them.
    @Test func theUserGuidesExamplesOfMultipleRules() throws {
        let preview = try policy(
            rule(1, #""tagStatus": "tagged", "tagPrefixList": ["prod"], "countType": "imageCountMoreThan", "countNumber": 1"#) + ","
                + rule(2, #""tagStatus": "tagged", "tagPrefixList": ["beta"], "countType": "imageCountMoreThan", "countNumber": 1"#))
        // Example A: rule 2 marks A and B; A is rule 1's already, and B is rule 1's to keep.
        let exampleA = [
            image("a", ["beta-1", "prod-1"], daysAgo: 10), image("b", ["beta-2", "prod-2"], daysAgo: 9), image("c", ["beta-3"], daysAgo: 8),
        ]
        #expect(expired(preview, exampleA) == ["beta-1+prod-1:1"])
        // Example B: rule 1 marks A and B; rule 2 counts all three but expires nothing more.
        let exampleB = [
            image("a", ["beta-1", "prod-1"], daysAgo: 10), image("b", ["beta-2", "prod-2"], daysAgo: 9),
            image("c", ["beta-3", "prod-3"], daysAgo: 8),
        ]
        #expect(expired(preview, exampleB) == ["beta-1+prod-1:1", "beta-2+prod-2:1"])
    }

    /// A prefix that extends another's: the broader rule counts the narrower one's images too,
    /// so ten previews pushed after staging's running image expire it (a rule that selected
    /// staging's image first would have protected it; none did).
    @Test func aBroaderRuleCountsTheImagesOfANarrowerOne() throws {
        let preview = try policy(
            rule(1, #""tagStatus": "tagged", "tagPrefixList": ["staging-pr-"], "countType": "imageCountMoreThan", "countNumber": 20"#) + ","
                + rule(2, #""tagStatus": "tagged", "tagPrefixList": ["staging-"], "countType": "imageCountMoreThan", "countNumber": 10"#))
        let running = image("0", ["staging-1"], daysAgo: 20)
        let previews = (1...10).map { image(Character(UnicodeScalar(UInt8(96 + $0))), ["staging-pr-\($0)"], daysAgo: Double(20 - $0)) }
        #expect(expired(preview, [running] + previews) == ["staging-1:2"])
    }

    /// A rule that moves images to the archive expires none, though it still keeps lower rules
    /// from expiring what it selects; a rule on archived images concerns none listed here.
    @Test func archiveRulesExpireNothing() throws {
        let preview = try LifecyclePreview(policyText: #"""
            {"rules": [
              {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["old-"], "countType": "imageCountMoreThan", "countNumber": 1},
               "action": {"type": "transition", "targetStorageClass": "archive"}},
              {"rulePriority": 2, "selection": {"tagStatus": "any", "storageClass": "archive", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1},
               "action": {"type": "expire"}},
              {"rulePriority": 3, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}
            ]}
            """#)
        let images = [image("1", ["old-1"], daysAgo: 9), image("2", ["old-2"], daysAgo: 8), image("3", ["new-1"], daysAgo: 2), image("4", ["new-2"], daysAgo: 1)]
        // Rule 1 marks old-1 to move, not to expire; rule 3 counts all four and expires new-1 only
        // (old-1 and old-2 are rule 1's).
        #expect(expired(preview, images) == ["new-1:3"])
        // Out of reach, though, old-1 is too: an archived image cannot be pulled.
        #expect(Set(preview.removals(of: images, now: now).keys) == [images[0].imageDigest, images[2].imageDigest])
        // A rule by pull time, which DescribeImages does not give, selects and protects, and marks none.
        let pulled = try LifecyclePreview(policyText: #"""
            {"rules": [
              {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["old-"], "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 1},
               "action": {"type": "transition", "targetStorageClass": "archive"}},
              {"rulePriority": 2, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}
            ]}
            """#)
        #expect(expired(pulled, images) == ["new-1:2"])
        #expect(pulled.removals(of: images, now: now).keys.sorted() == [images[2].imageDigest])
    }

    @Test func countRulesKeepTheNewestOfEachEnvironment() throws {
        let preview = try policy(
            rule(1, #""tagStatus": "tagged", "tagPrefixList": ["dev-"], "countType": "imageCountMoreThan", "countNumber": 2"#) + ","
                + rule(2, #""tagStatus": "tagged", "tagPrefixList": ["prod-"], "countType": "imageCountMoreThan", "countNumber": 1"#))
        let images = [
            image("1", ["dev-1"], daysAgo: 4), image("2", ["dev-2"], daysAgo: 3), image("3", ["dev-3"], daysAgo: 2),
            image("4", ["prod-1"], daysAgo: 5), image("5", ["prod-2"], daysAgo: 1),
        ]
        #expect(expired(preview, images) == ["dev-1:1", "prod-1:2"])
    }

    @Test func aHigherRulesMatchProtectsFromALowerRule() throws {
        // prod- images are matched by rule 1 (keep 5): rule 2, which would expire everything
        // older than a day, never reaches them.
        let preview = try policy(
            rule(1, #""tagStatus": "tagged", "tagPrefixList": ["prod-"], "countType": "imageCountMoreThan", "countNumber": 5"#) + ","
                + rule(2, #""tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1"#))
        let images = [image("1", ["prod-1"], daysAgo: 30), image("2", ["dev-1"], daysAgo: 30), image("3", [], daysAgo: 0.5)]
        #expect(expired(preview, images) == ["dev-1:2"])
    }

    /// Sooner or later, an age rule expires every image it selects: an untagged image pushed
    /// two hours ago (or with no push time) counts, as it would expire tomorrow; count rules
    /// expire what they expire now.
    @Test func eventuallyEveryImageAnAgeRuleSelectsExpires() throws {
        let preview = try policy(
            rule(1, #""tagStatus": "tagged", "tagPrefixList": ["dev-"], "countType": "imageCountMoreThan", "countNumber": 1"#) + ","
                + rule(2, #""tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1"#))
        let images = [
            image("1", ["dev-1"], daysAgo: 4), image("2", ["dev-2"], daysAgo: 3), image("3", [], daysAgo: 2 / 24.0), image("4", [], daysAgo: nil),
        ]
        #expect(expired(preview, images) == ["dev-1:1"])
        let eventually = preview.eventualExpirations(of: images)
        #expect(Set(eventually.keys) == Set(["1", "3", "4"].map { "sha256:" + String(repeating: $0, count: 64) }))
    }

    @Test func everyListedPrefixAndPatternMustMatchSomeTag() throws {
        let prefixes = try policy(
            rule(1, #""tagStatus": "tagged", "tagPrefixList": ["dev-", "release-"], "countType": "sinceImagePushed", "countNumber": 1"#))
        let images = [image("1", ["dev-1"], daysAgo: 9), image("2", ["dev-2", "release-2"], daysAgo: 9), image("3", ["release-3"], daysAgo: 9)]
        #expect(expired(prefixes, images) == ["dev-2+release-2:1"])
        let patterns = try policy(
            rule(1, #""tagStatus": "tagged", "tagPatternList": ["*-2026*-*"], "countType": "sinceImagePushed", "countNumber": 1"#))
        let dated = [
            image("4", ["dev-20261122-093015-0123abcd"], daysAgo: 9), image("5", ["dev-2025"], daysAgo: 9),
            image("6", ["x-2026-y"], daysAgo: 9),
        ]
        #expect(expired(patterns, dated) == ["dev-20261122-093015-0123abcd:1", "x-2026-y:1"])
        #expect(LifecyclePreview.matches("prod-1", pattern: "prod-*"))
        #expect(LifecyclePreview.matches("anything", pattern: "*"))
        #expect(!LifecyclePreview.matches("prod", pattern: "prod-*"))
        #expect(!LifecyclePreview.matches("ab", pattern: "a*b*b"))
    }

    @Test func untaggedAgeAndImagesWithoutPushTime() throws {
        let preview = try policy(
            rule(1, #""tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1"#) + ","
                + rule(2, #""tagStatus": "tagged", "tagPrefixList": ["dev-"], "countType": "imageCountMoreThan", "countNumber": 1"#))
        let images = [
            image("1", [], daysAgo: 3), image("2", [], daysAgo: 0.2), image("3", [], daysAgo: nil),
            image("4", ["dev-old"], daysAgo: nil), image("5", ["dev-new"], daysAgo: 1),
        ]
        // Untagged without a push time: its age is unknown, so it stays. Tagged without one:
        // the oldest, so the count rule expires it first.
        #expect(expired(preview, images) == ["1:1", "dev-old:2"])
    }

    @Test func rulesRunInPriorityOrderWhateverTheirOrderInTheText() throws {
        let preview = try policy(
            rule(9, #""tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1"#) + ","
                + rule(3, #""tagStatus": "tagged", "tagPrefixList": ["keep-"], "countType": "imageCountMoreThan", "countNumber": 10"#))
        let images = [image("1", ["keep-1"], daysAgo: 9), image("2", ["keep-2"], daysAgo: 8), image("3", ["other"], daysAgo: 7), image("4", ["x"], daysAgo: 1)]
        #expect(preview.rules.map(\.priority) == [3, 9])
        #expect(expired(preview, images) == ["other:9"])
    }

    @Test func unreadablePoliciesSayWhy() {
        #expect(throws: LifecyclePreview.PolicyError.self) { try LifecyclePreview(policyText: "{") }
        #expect(throws: LifecyclePreview.PolicyError(message: "it has no rules list")) { try LifecyclePreview(policyText: "{}") }
        #expect(throws: LifecyclePreview.PolicyError(message: "rule 1 has countType forever")) {
            try LifecyclePreview(policyText: #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "forever", "countNumber": 1}}]}"#)
        }
    }

    /// A job that runs a service's image makes one environment run it twice: named once.
    @Test func anEnvironmentRunningAnImageTwiceIsListedOnce() throws {
        let images = [image("1", ["dev-1"], daysAgo: 1), image("2", ["prod-1"], daysAgo: 2)]
        let digest = images[0].imageDigest
        let listing = try RepositoryListing(
            repository: "shop/api", images: images, policyText: nil, policySource: .none,
            running: [("dev", "dev-1", nil), ("dev", nil, digest), ("prod", "dev-1", nil)], now: now)
        #expect(listing.runningIn[digest] == ["dev", "prod"])
    }

    /// `berth images --env prod` warns about what runs in prod alone.
    @Test func warningsCanBeAnEnvironmentsAlone() throws {
        let images = [image("1", ["dev-1"], daysAgo: 30), image("2", ["prod-1"], daysAgo: 2), image("3", ["dev-2"], daysAgo: 1)]
        let policy = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#
        let listing = try RepositoryListing(
            repository: "shop/api", images: images, policyText: policy, policySource: .deployed,
            running: [("dev", "dev-1", nil), ("prod", "prod-1", nil), ("prod", "prod-0", nil)], now: now)
        #expect(listing.warnings.count == 2)
        #expect(listing.warnings(in: "dev").count == 1 && listing.warnings(in: "dev")[0].hasPrefix("shop/api:dev-1 runs in dev, but the lifecycle policy will expire it"))
        #expect(listing.warnings(in: "prod") == ["prod runs shop/api:prod-0, which is no longer in the repository"])
    }
}
