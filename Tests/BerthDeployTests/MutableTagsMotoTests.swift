@testable import BerthAWS
import BerthResources
import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthDeploy

/// `mutableTags` end to end in a real moto server: the repository Berth synthesizes, created
/// through CloudFormation, lets its moving tags be pushed again and keeps every other tag
/// immutable; the gate refuses a moving tag unless allowed, and then pins its digest.
@Suite(.serialized) struct MutableTagsMotoTests {
    /// A region no other suite uses: moto makes a region's backend on its first call, and
    /// first calls from two suites at once race there.
    private static let region = "ap-southeast-3"

    /// A repository made by Berth's construct with `mutableTags`, through a CloudFormation stack.
    private func repository(_ endpoint: Endpoint, mutableTags: [String]) async throws -> String {
        let suffix = String(UUID().uuidString.prefix(8).lowercased())
        let name = "tags/" + suffix
        var stack = Stack(name: "tags-" + suffix, phase: .ecr, region: Self.region, description: "mutable tags")
        var lifecycle = LifecyclePolicy()
        lifecycle.expireUntagged(afterDays: 1)
        var repository = ImageRepository(name: name, lifecyclePolicy: lifecycle)
        repository.mutableTags = mutableTags
        repository.add(to: &stack)
        #expect(stack.problems.isEmpty)
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(endpoint, region: Self.region))
        try await MotoHelpers.createStack(cloudFormation, name: stack.name, templateBody: stack.template.templateValue.jsonText())
        return name
    }

    private func digest(_ character: Character) -> String { "sha256:" + String(repeating: character, count: 64) }

    @Test func aMovingTagCanBePushedTwiceADatedOneCannot() async throws {
        let moto = try await MotoServer.open.endpoint()
        // moto matches a filter as a regular expression from the tag's start, not as ECR's
        // wildcard: a leading * fails there, so these filters are plain names.
        let name = try await repository(moto, mutableTags: ["latest", "dev-latest"])
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region))
        let described = try #require(try await ecr.describeRepositories(names: [name]).collect().first)
        #expect(described.imageTagMutability == "IMMUTABLE_WITH_EXCLUSION")
        #expect(described.imageTagMutabilityExclusionFilters == [.init(filter: "latest"), .init(filter: "dev-latest")])

        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "latest", digest: digest("1"))
        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "latest", digest: digest("2"))
        #expect(try await ecr.describeImage(repository: name, tag: "latest")?.imageDigest == digest("2"), "latest moved")

        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "dev-20261205-1", digest: digest("3"))
        await #expect {
            try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "dev-20261205-1", digest: digest("4"))
        } throws: { error in
            "\(error)".contains("ImageAlreadyExistsException")
        }
        #expect(try await ecr.describeImage(repository: name, tag: "dev-20261205-1")?.imageDigest == digest("3"), "the dated tag stayed")
    }

    @Test func theGateRefusesATagTheFiltersLetMoveUnlessAllowedThenPinsIt() async throws {
        let moto = try await MotoServer.open.endpoint()
        let name = try await repository(moto, mutableTags: ["latest", "dev-latest"])
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region)), clock: PollClock(sleep: { _ in }))
        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "dev-latest", digest: digest("5"))
        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "dev-latest", digest: digest("6"))
        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "latest", digest: digest("7"))
        try await MotoHelpers.putImage(moto, region: Self.region, repository: name, tag: "dev-20261205-2", digest: digest("8"))

        // Not a mutable-looking name, so only the repository's filters say it moves.
        let movingTag = try ImageTag("dev-latest")
        await #expect(throws: ImageGateError.tagMovesInRepository(tag: "dev-latest", repository: name, filter: "dev-latest")) {
            try await gate.check(repositoryName: name, tag: movingTag)
        }
        // A mutable-looking name let through by name alone is still refused by the repository.
        await #expect(throws: ImageGateError.tagMovesInRepository(tag: "latest", repository: name, filter: "latest")) {
            try await gate.check(repositoryName: name, tag: try ImageTag("latest", allowMutable: true))
        }
        let pinned = try await gate.check(repositoryName: name, tag: movingTag, allowMutable: true)
        #expect(pinned.tagCanMove && pinned.matchingFilter == "dev-latest")
        #expect(pinned.pinnedDigest == digest("6"), "the digest the tag points at now")

        let dated = try await gate.check(repositoryName: name, tag: try ImageTag("dev-20261205-2"))
        #expect(!dated.tagCanMove && dated.matchingFilter == nil)
        #expect(dated.pinnedDigest == nil, "an immutable tag is enough")
    }
}
