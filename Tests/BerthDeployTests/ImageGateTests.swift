@testable import BerthAWS
import Foundation
import BerthTestSupport
import Testing

@testable import BerthDeploy

@Suite struct ImageTagTests {
    @Test(arguments: ["dev-20261122-093000-0123abcd", "v1.2.3", "_x", "A", String(repeating: "a", count: 128)])
    func dockerTagsPass(tag: String) throws {
        #expect(try ImageTag(tag).value == tag)
    }

    @Test(arguments: ["pr-51/622d2103", ".hidden", "-dash", "", "has space", "ümlaut", String(repeating: "a", count: 129)])
    func invalidTagsAreRefused(tag: String) {
        #expect(throws: ImageGateError.invalidTag(tag)) { try ImageTag(tag) }
    }

    @Test(arguments: ["latest", "LATEST", "main", "develop", "master"])
    func mutableLookingTagsNeedConsent(tag: String) throws {
        #expect(throws: ImageGateError.mutableTag(tag)) { try ImageTag(tag) }
        #expect(try ImageTag(tag, allowMutable: true).value == tag)
    }

    @Test func messagesSayWhatToDo() {
        #expect("\(ImageGateError.invalidTag("pr-51/abc"))".contains("is not a valid image tag"))
        #expect("\(ImageGateError.mutableTag("latest"))".contains("deploy an immutable tag"))
        #expect(!"\(ImageGateError.mutableTag("latest"))".contains("--"), "the library names no flag")
        let missing = ImageGateError.imageMissing(repository: "shop/api", tag: "dev-x", recentTags: ["dev-b", "dev-a"], waited: false)
        #expect("\(missing)" == "image shop/api:dev-x is not in ECR; push it first; the most recent tags are: dev-b, dev-a")
    }
}

/// The gate against ECR in a real moto server.
@Suite(.serialized) struct ImageGateMotoTests {

    private func repository(_ endpoint: Endpoint, mutability: String) async throws -> String {
        let name = "gate/" + UUID().uuidString.prefix(8).lowercased()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(endpoint, region: "ap-northeast-1"))
        let stack = "gate-" + UUID().uuidString.prefix(8).lowercased()
        try await MotoHelpers.createStack(cloudFormation, name: stack, templateBody: #"{"Resources":{"Repository":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"\#(name)","ImageTagMutability":"\#(mutability)"}}}}"#)
        return name
    }

    @Test func aMutableRepositoryPinsTheDigestAnImmutableOneTheTag() async throws {
        let moto = try await MotoServer.open.endpoint()
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(moto, region: "ap-northeast-1")), clock: PollClock(sleep: { _ in }))
        let digest = "sha256:" + String(repeating: "e", count: 64)
        let mutable = try await repository(moto, mutability: "MUTABLE")
        try await MotoHelpers.putImage(moto, region: "ap-northeast-1", repository: mutable, tag: "dev-1", digest: digest)
        let pinned = try await gate.check(repositoryName: mutable, tag: try ImageTag("dev-1"))
        #expect(pinned.digest == digest)
        #expect(pinned.pinnedDigest == digest)
        #expect(pinned.repositoryURI.hasSuffix("/\(mutable)"))
        let immutable = try await repository(moto, mutability: "IMMUTABLE")
        try await MotoHelpers.putImage(moto, region: "ap-northeast-1", repository: immutable, tag: "dev-1", digest: digest)
        #expect(try await gate.check(repositoryName: immutable, tag: try ImageTag("dev-1")).pinnedDigest == nil)
    }

    @Test func aMissingImageListsTheNewestTagsAfterWaiting() async throws {
        let moto = try await MotoServer.open.endpoint()
        let polls = Counter()
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(moto, region: "ap-northeast-1")), clock: PollClock(sleep: { _ in polls.increment() }))
        let name = try await repository(moto, mutability: "IMMUTABLE")
        for index in 1...3 {
            try await MotoHelpers.putImage(moto, region: "ap-northeast-1", repository: name, tag: "dev-\(index)", digest: "sha256:" + String(repeating: String(index), count: 64))
        }
        // Cosign's signature and attestation images, pushed after the builds, are no tags to deploy.
        for (suffix, digit) in [("sig", "7"), ("att", "8")] {
            try await MotoHelpers.putImage(
                moto, region: "ap-northeast-1", repository: name, tag: "sha256-\(String(repeating: "1", count: 64)).\(suffix)",
                digest: "sha256:" + String(repeating: digit, count: 64))
        }
        await #expect {
            try await gate.check(repositoryName: name, tag: try ImageTag("dev-9"), waitFor: .seconds(3), pollInterval: .seconds(1))
        } throws: { error in
            guard case .imageMissing(let repository, let tag, let recent, let waited) = error as? ImageGateError else { return false }
            return repository == name && tag == "dev-9" && Set(recent) == ["dev-1", "dev-2", "dev-3"] && waited
        }
        #expect(polls.value >= 1)
        await #expect(throws: ImageGateError.repositoryMissing("gate/none")) {
            try await gate.check(repositoryName: "gate/none", tag: try ImageTag("dev-1"))
        }
    }

    /// The tags listed with a missing image are a hint: an image of another digest shape among
    /// them does not turn "not in ECR" (exit 3) into a malformed answer (exit 1).
    @Test func aMissingImageIsMissingWhateverTheOthersDigests() async throws {
        let moto = try await MotoServer.open.endpoint()
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(moto, region: "ap-northeast-1")), clock: PollClock(sleep: { _ in }))
        let name = try await repository(moto, mutability: "IMMUTABLE")
        try await MotoHelpers.putImage(moto, region: "ap-northeast-1", repository: name, tag: "dev-odd", digest: "sha256:" + String(repeating: "A", count: 64))
        await #expect {
            try await gate.check(repositoryName: name, tag: try ImageTag("dev-9"))
        } throws: { error in
            guard case .imageMissing(_, let tag, let recent, _) = error as? ImageGateError else { return false }
            return tag == "dev-9" && recent == ["dev-odd"]
        }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
