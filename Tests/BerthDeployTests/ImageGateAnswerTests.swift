@testable import BerthAWS
import Foundation
import BerthTestSupport
import Testing

@testable import BerthDeploy

/// The gate against ECR answers of the wrong shape (scripted, in the shapes of the ECR API
/// reference's DescribeRepositories and DescribeImages): what a registry says is never pinned,
/// deployed or printed unless it has the shape ECR gives it.
@Suite struct ImageGateAnswerTests {
    /// ECR answering for one repository whose images are `images` (DescribeImages' imageDetails).
    private func ecr(images: [(digest: String, tags: [String], pushedAt: Int)]) throws -> (ECRClient, TestHTTPServer) {
        let server = try TestHTTPServer { request in
            let operation = (request.headers["x-amz-target"] ?? "").split(separator: ".").last.map(String.init) ?? ""
            let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            switch operation {
            case "DescribeRepositories":
                return .awsJSON(["repositories": [[
                    "repositoryName": "shop/api", "repositoryArn": "arn:aws:ecr:eu-west-1:123456789012:repository/shop/api",
                    "repositoryUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api", "imageTagMutability": "MUTABLE",
                ]]])
            case "DescribeImages":
                let asked = ((json["imageIds"] as? [[String: Any]])?.first?["imageTag"] as? String)
                let found = images.filter { image in asked.map { image.tags.contains($0) } ?? true }
                    .map { ["imageDigest": $0.digest, "imageTags": $0.tags, "imagePushedAt": $0.pushedAt] as [String: Any] }
                if asked != nil && found.isEmpty {
                    return .respond(
                        status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                        body: #"{"__type":"ImageNotFoundException","message":"not found"}"#)
                }
                return .awsJSON(["imageDetails": found])
            default:
                return .awsJSON([:])
            }
        }
        let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
        return (ECRClient(configuration: configuration), server)
    }

    @Test func aDigestThatIsNotSHA256IsNeverPinned() async throws {
        for digest in [#"sha256:abc"},{"x":"y"#, "sha256:" + String(repeating: "A", count: 64), "md5:0123", ""] {
            let (ecr, server) = try ecr(images: [(digest, ["dev-1"], 1_765_000_000)])
            defer { server.stop() }
            await #expect(throws: ImageGateError.malformedDigest(repository: "shop/api", tag: "dev-1"), "\(digest)") {
                try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                    repositoryName: "shop/api", tag: try ImageTag("dev-1"), allowMutable: true)
            }
        }
    }

    /// The newest tags listed when the tag is missing are tags: one with a line break (which
    /// would print a line of its own) is left out.
    @Test func theNewestTagsListedAreTags() async throws {
        let (ecr, server) = try ecr(images: [
            ("sha256:" + String(repeating: "1", count: 64), ["dev-2\n::error::forged"], 1_765_000_200),
            ("sha256:" + String(repeating: "2", count: 64), ["dev-1"], 1_765_000_100),
        ])
        defer { server.stop() }
        await #expect(throws: ImageGateError.imageMissing(repository: "shop/api", tag: "dev-3", recentTags: ["dev-1"], waited: false)) {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(repositoryName: "shop/api", tag: try ImageTag("dev-3"))
        }
    }
}
