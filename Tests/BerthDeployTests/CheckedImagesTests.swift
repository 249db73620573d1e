import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// Every reader of a repository's images (images, deploy's look at what a lifecycle policy or an
/// adoption would expire, rollback's) takes them checked: a
/// DescribeImages answer (as the ECR API reference shows one) with a digest of another shape
/// than ECR's is refused, naming the repository.
@Suite struct CheckedImagesTests {
    static func ecr(answering digests: [String]) throws -> (ECRClient, TestHTTPServer) {
        let server = try TestHTTPServer { _ in
            .awsJSON(["imageDetails": digests.enumerated().map { index, digest in
                ["registryId": "123456789012", "repositoryName": "shop/api", "imageDigest": digest, "imageTags": ["dev-\(index)"], "imagePushedAt": 1_765_000_000 + index]
            }])
        }
        let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
        return (ECRClient(configuration: configuration), server)
    }

    @Test func anImageWhoseDigestIsNotECRsShapeIsRefused() async throws {
        let valid = "sha256:" + String(repeating: "a", count: 64)
        let (ecr, server) = try Self.ecr(answering: [valid, "sha256:" + String(repeating: "A", count: 64)])
        defer { server.stop() }
        await #expect {
            _ = try await ecr.checkedImages(of: "shop/api")
        } throws: { error in
            "\(error)" == "ecr DescribeImages: unexpected answer (HTTP 200): repository shop/api lists an image whose digest is not sha256: "
                + "and 64 lowercase hexadecimal digits, as ECR writes them"
        }
        let (wellFormed, other) = try Self.ecr(answering: [valid])
        defer { other.stop() }
        #expect(try await wellFormed.checkedImages(of: "shop/api").map(\.imageDigest) == [valid])
    }
}
