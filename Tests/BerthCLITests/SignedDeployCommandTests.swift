import BerthModel
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// `berth deploy` with `signatures:` against a real moto server: unsigned, foreign-key and
/// other-digest images are refused (exit 3) before any change set; a signed image deploys with
/// the verified digest pinned. moto has no GetDownloadUrlForLayer, so the proxy in front of it
/// answers that call and serves the layer (the other-digest case needs the download).
@Suite(.serialized) struct SignedDeployCommandTests {
    private static let region = "sa-east-1"

    private static let environmentFile = """
        app: sealed
        region: sa-east-1
        network:
          vpc: new
          cidr: 10.60.0.0/16
        signatures:
          cosign:
            publicKey: keys/cosign.pub
        services:
          api:
            cpu: 256
            memory: 512

        """

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDSIGNED", "AWS_SECRET_ACCESS_KEY": "signed-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    @Test func onlyAnImageSignedByTheKeyForItsDigestDeploys() async throws {
        let moto = try await MotoServer.open.endpoint()
        let signer = try CosignTestSigner()
        let stranger = try CosignTestSigner()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        try FileManager.default.createDirectory(atPath: config + "/keys", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: signer.publicKeyFile, toPath: config + "/keys/cosign.pub")
        // Layers the proxy serves, by digest.
        let layers = LayerStore()
        let proxy = try TestHTTPServer { request in
            if request.method == "GET", request.path.hasPrefix("/layers/") {
                let digest = String(request.path.dropFirst("/layers/".count))
                return layers.body(digest).map { .respond(status: 200, body: $0) } ?? .respond(status: 404)
            }
            if request.headers["x-amz-target"] == "AmazonEC2ContainerRegistry_V20150921.GetDownloadUrlForLayer" {
                let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
                let digest = json["layerDigest"] as? String ?? ""
                return .respond(
                    status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"downloadUrl":"\#(layers.base)/layers/\#(digest)?X-Amz-Signature=abc","layerDigest":"\#(digest)"}"#)
            }
            // ListImageReferrers, which moto lacks: the images have no referrers.
            if request.headers["x-amz-target"] == "AmazonEC2ContainerRegistry_V20150921.ListImageReferrers" {
                return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: #"{"referrers":[]}"#)
            }
            return .forward(port: moto.port ?? 0)
        }
        layers.base = proxy.url
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let uri = try #require(try await ECRClient(configuration: setup).describeRepositories(names: ["sealed/api"]).collect().first).repositoryUri

        func push(_ tag: String, _ digit: Character) async throws -> String {
            let digest = "sha256:" + String(repeating: digit, count: 64)
            try await MotoHelpers.putImage(moto, region: Self.region, repository: "sealed/api", tag: tag, digest: digest)
            return digest
        }
        func sign(_ digest: String, naming named: String? = nil, with key: CosignTestSigner) async throws {
            let payload = CosignTestSigner.payload(repository: uri, digest: named ?? digest)
            layers.put(CosignTestSigner.digest(payload), String(decoding: payload, as: UTF8.self))
            let manifest = CosignTestSigner.signatureManifest([(payload, try key.sign(payload))])
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "sealed/api", tag: CosignTestSigner.signatureTag(digest),
                digest: CosignTestSigner.digest(Array(manifest.utf8)), manifest: manifest)
        }
        func refused(_ tag: String, saying reason: String) async throws {
            let before = proxy.requests.count
            let result = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
            #expect(result.status == 3, "\(result.err)")
            #expect(result.err.contains("api: image sealed/api:\(tag)") && result.err.contains(reason), "\(result.err)")
            #expect(result.err.contains("no phase-2 stack was changed"))
            #expect(!proxy.requests.dropFirst(before).contains { $0.text.contains("Action=CreateChangeSet") })
            #expect(try await CloudFormationClient(configuration: setup).describeStack("sealed-api-dev") == nil)
        }

        let unsigned = "dev-20261206-010000-aaaaaaaa"
        _ = try await push(unsigned, "a")
        try await refused(unsigned, saying: "is not signed")

        let foreign = "dev-20261206-010000-bbbbbbbb"
        try await sign(try await push(foreign, "b"), with: stranger)
        try await refused(foreign, saying: "is signed, but not by the key")

        let replayed = "dev-20261206-010000-cccccccc"
        try await sign(try await push(replayed, "c"), naming: "sha256:" + String(repeating: "f", count: 64), with: signer)
        try await refused(replayed, saying: "names another image: sha256:" + String(repeating: "f", count: 64))

        let signed = "dev-20261206-010000-dddddddd"
        let digest = try await push(signed, "d")
        try await sign(digest, with: signer)
        let deployed = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", signed], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)")
        #expect(deployed.out.contains("api: signed: a Cosign signature by the key \(config)/keys/cosign.pub names digest \(digest)"), "\(deployed.out)")
        let stack = try #require(try await CloudFormationClient(configuration: setup).describeStack("sealed-api-dev"))
        #expect(stack.parameters[ParameterName.imageDigest] == digest)
        #expect(!deployed.out.contains("signed-secret-never-printed") && !deployed.err.contains("signed-secret-never-printed"))

        // berth images says which image is signed; the signatures themselves are marked.
        let listing = await runBerth(["images", "--config", config, "--endpoint-url", proxy.url], environment: credentials())
        #expect(listing.status == 0, "\(listing.err)")
        let rows = listing.out.split(separator: "\n").map(String.init)
        #expect(rows.first { $0.hasPrefix("tag ") }?.contains("  signature  ") == true, "\(listing.out)")
        #expect(rows.first { $0.hasPrefix(signed) }?.contains("  signed  ") == true, "\(listing.out)")
        #expect(rows.first { $0.hasPrefix(unsigned) }?.contains("  unsigned  ") == true, "\(listing.out)")
        #expect(rows.first { $0.hasPrefix(CosignTestSigner.signatureTag(digest)) }?.contains("(signature)") == true, "\(listing.out)")
    }
}

/// The layer blobs the proxy serves, and its own URL.
private final class LayerStore: @unchecked Sendable {
    private let lock = NSLock()
    private var blobs: [String: String] = [:]
    private var url = ""
    var base: String {
        get { lock.withLock { url } }
        set { lock.withLock { url = newValue } }
    }
    func put(_ digest: String, _ body: String) { lock.withLock { blobs[digest] = body } }
    func body(_ digest: String) -> String? { lock.withLock { blobs[digest] } }
}
