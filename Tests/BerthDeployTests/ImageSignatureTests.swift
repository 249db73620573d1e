@testable import BerthAWS
import Foundation
import BerthTestSupport
import Testing

@testable import BerthDeploy

/// The payload and manifest formats, and libcrypto's verdicts, without a registry.
@Suite struct CosignFormatTests {
    @Test func thePayloadIsTheBytesCosignSigns() {
        // sigstore/sigstore pkg/signature/payload/payload.go: Cosign.MarshalJSON, json.Marshal of
        // SimpleContainerImage with docker-reference = the repository and optional = nil annotations.
        let payload = CosignPayload(
            dockerReference: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api", manifestDigest: "sha256:" + String(repeating: "a", count: 64))
        #expect(
            String(decoding: payload.bytes, as: UTF8.self)
                == #"{"critical":{"identity":{"docker-reference":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api"},"image":{"docker-manifest-digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"type":"cosign container image signature"},"optional":null}"#)
        #expect(payload.bytes == CosignTestSigner.payload(repository: payload.dockerReference, digest: payload.manifestDigest))
        #expect(CosignPayload.read(payload.bytes) == payload)
        #expect(CosignPayload.goString("a<b>&\"\n") == #""a\u003cb\u003e\u0026\"\n""#)
        #expect(CosignPayload.read(Array(#"{"critical":{"type":"atomic container signature"}}"#.utf8)) == nil)
        // Go's encoding/json (Cosign's) takes the last of two members of one name and matches names
        // without case; Foundation's decoder the first: such a payload names two images, and is
        // not read at all.
        let deployed = "sha256:" + String(repeating: "a", count: 64), other = "sha256:" + String(repeating: "e", count: 64)
        for ambiguous in [
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"\#(deployed)","docker-manifest-digest":"\#(other)"},"type":"cosign container image signature"},"optional":null}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"\#(deployed)"},"type":"cosign container image signature"},"Critical":{"image":{"docker-manifest-digest":"\#(other)"}},"optional":null}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"\#(deployed)","Docker-Manifest-Digest":"\#(other)"},"type":"cosign container image signature"},"optional":null}"#,
        ] {
            #expect(CosignPayload.read(Array(ambiguous.utf8)) == nil, "\(ambiguous)")
        }
        #expect(CosignPayload.read(CosignTestSigner.payload(repository: "r", digest: deployed))?.manifestDigest == deployed)
    }

    @Test func theSignatureTagAndLayersAreRead() throws {
        let digest = "sha256:" + String(repeating: "b", count: 64)
        #expect(CosignSignatureManifest.tag(for: digest) == "sha256-" + String(repeating: "b", count: 64) + ".sig")
        let manifest = CosignTestSigner.signatureManifest([(Array("payload".utf8), [1, 2, 3])])
        let read = try #require(CosignSignatureManifest(manifest))
        #expect(read.layers == [.init(digest: CosignTestSigner.digest(Array("payload".utf8)), signature: [1, 2, 3])])
        #expect(CosignSignatureManifest(#"{"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:x"}]}"#)?.layers == [])
    }

    @Test func libcryptoChecksOpenSSLSignatures() throws {
        try Crypto.load()
        let signer = try CosignTestSigner()
        let other = try CosignTestSigner()
        let payload = CosignTestSigner.payload(repository: "r", digest: "sha256:1")
        let signature = try signer.sign(payload)
        #expect(Crypto.verifySHA256(publicKey: try signer.publicKey, data: payload, signature: signature) == .valid)
        #expect(Crypto.verifySHA256(publicKey: try other.publicKey, data: payload, signature: signature) == .invalid)
        #expect(Crypto.verifySHA256(publicKey: try signer.publicKey, data: payload + [0x20], signature: signature) == .invalid)
        #expect(Crypto.verifySHA256(publicKey: Array("not a key".utf8), data: payload, signature: signature) == .unreadableKey)
        #expect(Crypto.publicKeyKind(try signer.publicKey) == .ecdsaP256)
        #expect(Crypto.publicKeyKind(Array("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".utf8)) == .unreadable)
    }

    /// Keys as `openssl` writes them: RSA and P-256 are what Berth checks Cosign's SHA-256
    /// signatures with; P-384 and P-521 keys sign with SHA-384 and SHA-512 under Cosign, and
    /// Ed25519 keys with no separate hash, so they are refused with the reason.
    @Test func keyKindsAsOpenSSLWritesThem() throws {
        let directory = NSTemporaryDirectory() + "berth-key-kinds-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func publicKey(_ generate: [String]) throws -> [UInt8] {
            let name = directory + "/" + UUID().uuidString
            try CosignTestSigner.openssl(["genpkey"] + generate + ["-out", name + ".key"])
            try CosignTestSigner.openssl(["pkey", "-in", name + ".key", "-pubout", "-out", name + ".pub"])
            return Array(try Data(contentsOf: URL(fileURLWithPath: name + ".pub")))
        }
        let rsa = Crypto.publicKeyKind(try publicKey(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]))
        let p256 = Crypto.publicKeyKind(try publicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]))
        let p384 = Crypto.publicKeyKind(try publicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]))
        let p521 = Crypto.publicKeyKind(try publicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"]))
        let ed25519 = Crypto.publicKeyKind(try publicKey(["-algorithm", "ED25519"]))
        #expect(rsa == .rsa(bits: 2048) && p256 == .ecdsaP256 && p384 == .ecdsa(bits: 384) && p521 == .ecdsa(bits: 521) && ed25519 == .other)
        // Keys Cosign does not take, or that are too weak to trust: a curve of 256 bits that is
        // not P-256, P-256 with its curve spelt out, RSA under 2048 bits.
        let k1 = Crypto.publicKeyKind(try publicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"]))
        let explicit = Crypto.publicKeyKind(
            try publicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:explicit"]))
        let rsa1024 = Crypto.publicKeyKind(try publicKey(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]))
        #expect(k1 == .ecdsa(bits: 256) && explicit == .ecdsa(bits: 256) && rsa1024 == .rsa(bits: 1024))
        #expect(k1.cosignProblem?.contains("not P-256 as Cosign writes it") == true)
        #expect(rsa1024.cosignProblem == "is an RSA key of 1024 bits, too short to trust; Berth takes RSA keys of 2048 bits or more")
        #expect(p256.cosignProblem == nil && rsa.cosignProblem == nil)
        // PEM after a byte-order mark or blank lines is read (as Cosign reads it); two keys in one
        // file are refused, not one of them taken.
        let pem = try publicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        #expect(Crypto.publicKeyKind([0xEF, 0xBB, 0xBF] + Array("\n\n".utf8) + pem) == .ecdsaP256)
        #expect(Crypto.publicKeyKind(pem + pem) == .severalKeys)
        #expect(rsa.cosignProblem == nil && p256.cosignProblem == nil)
        #expect(p384.cosignProblem?.hasPrefix("is an ECDSA key of 384 bits, which Cosign signs with SHA-384;") == true)
        #expect(p521.cosignProblem?.hasPrefix("is an ECDSA key of 521 bits, which Cosign signs with SHA-512;") == true)
        #expect(ed25519.cosignProblem?.hasPrefix("is neither an RSA nor an ECDSA key") == true)
    }
}

/// The gate with signatures required, against ECR in a real moto server (the payload rebuilt
/// as Cosign writes it matches the layer's digest, so nothing is downloaded).
@Suite(.serialized) struct ImageSignatureMotoTests {
    let region = "ap-east-1"

    private func repository(_ endpoint: Endpoint) async throws -> String {
        let name = "signed/" + UUID().uuidString.prefix(8).lowercased()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(endpoint, region: region))
        let stack = "signed-" + UUID().uuidString.prefix(8).lowercased()
        try await MotoHelpers.createStack(cloudFormation, name: stack, templateBody: #"{"Resources":{"Repository":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"\#(name)","ImageTagMutability":"IMMUTABLE"}}}}"#)
        return name
    }

    /// Pushes an image tagged `tag` and returns its digest and the repository's URI.
    private func push(_ moto: Endpoint, _ name: String, tag: String) async throws -> (digest: String, uri: String) {
        let digest = "sha256:" + Crypto.hex(Crypto.sha256(Array((name + tag).utf8)))
        try await MotoHelpers.putImage(moto, region: region, repository: name, tag: tag, digest: digest)
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let uri = try #require(try await ecr.describeRepositories(names: [name]).collect().first).repositoryUri
        return (digest, uri)
    }

    private func sign(_ moto: Endpoint, _ name: String, digest: String, signedDigest: String? = nil, uri: String, with signer: CosignTestSigner) async throws {
        let payload = CosignTestSigner.payload(repository: uri, digest: signedDigest ?? digest)
        let manifest = CosignTestSigner.signatureManifest([(payload, try signer.sign(payload))])
        try await MotoHelpers.putImage(
            moto, region: region, repository: name, tag: CosignTestSigner.signatureTag(digest),
            digest: CosignTestSigner.digest(Array(manifest.utf8)), manifest: manifest)
    }

    @Test func aSignedImagePassesAndItsDigestIsPinned() async throws {
        let moto = try await MotoServer.open.endpoint()
        let signer = try CosignTestSigner()
        let name = try await repository(moto)
        let image = try await push(moto, name, tag: "dev-1")
        try await sign(moto, name, digest: image.digest, uri: image.uri, with: signer)
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(moto, region: region)), clock: PollClock(sleep: { _ in }))
        let result = try await gate.check(
            repositoryName: name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        #expect(result.signatureVerified)
        #expect(result.digest == image.digest)
        #expect(result.pinnedDigest == image.digest, "the verified digest is pinned even in an immutable repository")
    }

    @Test func unsignedOtherKeyAndOtherDigestAreRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        let signer = try CosignTestSigner()
        let stranger = try CosignTestSigner()
        let name = try await repository(moto)
        let key = SignatureTrust.key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub"))
        // ListImageReferrers, which moto lacks, answered from a script in front of it.
        let front = try ScriptedReferrers(moto: moto)
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(try front.endpoint, region: region)), clock: PollClock(sleep: { _ in }))

        let unsigned = try await push(moto, name, tag: "dev-unsigned")
        await #expect(throws: ImageGateError.unsigned(repository: name, tag: "dev-unsigned", digest: unsigned.digest)) {
            try await gate.check(repositoryName: name, tag: try ImageTag("dev-unsigned"), signatures: key)
        }

        let foreign = try await push(moto, name, tag: "dev-foreign")
        try await sign(moto, name, digest: foreign.digest, uri: foreign.uri, with: stranger)
        await #expect(throws: ImageGateError.signedByAnotherKey(repository: name, tag: "dev-foreign", digest: foreign.digest, key: "cosign.pub")) {
            try await gate.check(repositoryName: name, tag: try ImageTag("dev-foreign"), signatures: key)
        }
        // Without signatures required, the same image passes as before.
        #expect(try await gate.check(repositoryName: name, tag: try ImageTag("dev-foreign")).signatureVerified == false)

        // A signature tag whose layers hold no readable signature (the annotation is no
        // base64) is said as such, not as no signature at all.
        let unreadable = try await push(moto, name, tag: "dev-unreadable")
        let payload = CosignTestSigner.payload(repository: unreadable.uri, digest: unreadable.digest)
        let broken = CosignTestSigner.signatureManifest([(payload, try signer.sign(payload))])
            .replacingOccurrences(of: #""dev.cosignproject.cosign/signature":""#, with: #""dev.cosignproject.cosign/signature":"!!!notbase64$$$"#)
        try await MotoHelpers.putImage(
            moto, region: region, repository: name, tag: CosignTestSigner.signatureTag(unreadable.digest),
            digest: CosignTestSigner.digest(Array(broken.utf8)), manifest: broken)
        let reason = "the signature image \(CosignTestSigner.signatureTag(unreadable.digest)) holds no Cosign signature layer "
            + "(one of type application/vnd.dev.cosign.simplesigning.v1+json with its base64 signature in the dev.cosignproject.cosign/signature annotation)"
        await #expect(throws: ImageGateError.signaturesRefused(repository: name, tag: "dev-unreadable", digest: unreadable.digest, reasons: [reason])) {
            try await gate.check(repositoryName: name, tag: try ImageTag("dev-unreadable"), signatures: key)
        }
    }
}

/// ECR answered from a script, for the download path moto lacks (GetDownloadUrlForLayer; the
/// image has no referrers): a
/// payload that is not the one rebuilt (annotations, or another digest) is downloaded from the
/// URL ECR returns, checked against the layer digest, then verified.
@Suite struct ImageSignatureDownloadTests {
    let repositoryName = "shop/api"
    let repositoryURI = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api"
    let digest = "sha256:" + String(repeating: "d", count: 64)

    private func ecr(serving payload: [UInt8], signature: [UInt8], layerBody: [UInt8]? = nil) throws -> (ECRClient, TestHTTPServer) {
        try ecr(layers: [(payload, signature)], bodies: layerBody.map { [CosignTestSigner.digest(payload): $0] } ?? [:])
    }

    /// ECR with a `.sig` manifest of `layers`, each layer's blob served as `bodies` gives it (else
    /// its payload).
    private func ecr(
        layers: [(payload: [UInt8], signature: [UInt8])], bodies: [String: [UInt8]] = [:], deniedURL: Bool = false
    ) throws -> (ECRClient, TestHTTPServer) {
        let manifest = CosignTestSigner.signatureManifest(layers)
        let blobs = Dictionary(
            layers.map { layer in
                let layerDigest = CosignTestSigner.digest(layer.payload)
                return (layerDigest, String(decoding: bodies[layerDigest] ?? layer.payload, as: UTF8.self))
            }, uniquingKeysWith: { first, _ in first })
        let (repositoryName, repositoryURI, digest) = (repositoryName, repositoryURI, digest)
        let base = ServerURL()
        let server = try TestHTTPServer { request in
            if request.method == "GET" {
                let query = "?X-Amz-Signature=a%2Fb%3D&X-Amz-Expires=3600"
                guard request.target.hasPrefix("/layers/"), request.target.hasSuffix(query),
                    let body = blobs[String(request.target.dropFirst("/layers/".count).dropLast(query.count))]
                else {
                    return .respond(status: 403, body: "wrong URL \(request.target)")
                }
                return .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body)
            }
            let operation = (request.headers["x-amz-target"] ?? "").split(separator: ".").last.map(String.init) ?? ""
            let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            switch operation {
            case "DescribeRepositories":
                return .awsJSON(["repositories": [[
                    "repositoryName": repositoryName, "repositoryArn": "arn:aws:ecr:eu-west-1:123456789012:repository/\(repositoryName)",
                    "repositoryUri": repositoryURI, "imageTagMutability": "IMMUTABLE",
                ]]])
            case "DescribeImages":
                return .awsJSON(["imageDetails": [["imageDigest": digest, "imageTags": ["dev-1"], "imagePushedAt": 1_765_000_000]]])
            case "BatchGetImage":
                let tag = ((json["imageIds"] as? [[String: Any]])?.first?["imageTag"] as? String) ?? ""
                guard tag == CosignTestSigner.signatureTag(digest) else { return .awsJSON(["images": [], "failures": []]) }
                return .awsJSON(["images": [["imageManifest": manifest, "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"]], "failures": []])
            case "ListImageReferrers":
                return .awsJSON(["referrers": []])
            case "GetDownloadUrlForLayer" where deniedURL:
                return .respond(
                    status: 400, body: #"{"__type":"AccessDeniedException","message":"not authorized to perform: ecr:GetDownloadUrlForLayer"}"#)
            case "GetDownloadUrlForLayer":
                guard let layerDigest = json["layerDigest"] as? String, blobs[layerDigest] != nil else {
                    return .respond(status: 400, body: #"{"__type":"LayerInaccessibleException","message":"no such layer"}"#)
                }
                return .awsJSON(["downloadUrl": "\(base.value)/layers/\(layerDigest)?X-Amz-Signature=a%2Fb%3D&X-Amz-Expires=3600", "layerDigest": layerDigest])
            default:
                return .respond(status: 400, body: #"{"__type":"UnknownOperationException"}"#)
            }
        }
        base.value = server.url
        let endpoint = try #require(Endpoint(url: server.url))
        return (ECRClient(configuration: try MotoHelpers.configuration(endpoint, region: "eu-west-1")), server)
    }

    @Test func anAnnotatedPayloadIsDownloadedAndVerified() async throws {
        let signer = try CosignTestSigner()
        let payload = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"commit":"0123abcd"}"#)
        let (ecr, server) = try ecr(serving: payload, signature: try signer.sign(payload))
        let result = try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
            repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        #expect(result.signatureVerified && result.pinnedDigest == digest)
        #expect(server.requests.contains { $0.method == "GET" })
    }

    @Test func aSignatureNamingAnotherDigestIsRefused() async throws {
        let signer = try CosignTestSigner()
        let other = "sha256:" + String(repeating: "e", count: 64)
        let payload = CosignTestSigner.payload(repository: repositoryURI, digest: other)
        let (ecr, server) = try ecr(serving: payload, signature: try signer.sign(payload))
        defer { withExtendedLifetime(server) {} }  // serves until the check is done
        await #expect(throws: ImageGateError.signedForAnotherDigest(repository: repositoryName, tag: "dev-1", digest: digest, signed: [other])) {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        }
    }

    /// A payload the trusted key signed that names the deployed digest and another (the same
    /// member twice) is no signature of the deployed image: Cosign would read the other.
    @Test func aSignedPayloadThatNamesTwoDigestsIsNotTrusted() async throws {
        let signer = try CosignTestSigner()
        let other = "sha256:" + String(repeating: "e", count: 64)
        let payload = Array(
            (#"{"critical":{"identity":{"docker-reference":"\#(repositoryURI)"},"image":{"docker-manifest-digest":"\#(digest)","#
                + #""docker-manifest-digest":"\#(other)"},"type":"cosign container image signature"},"optional":null}"#).utf8)
        let (ecr, server) = try ecr(serving: payload, signature: try signer.sign(payload))
        defer { withExtendedLifetime(server) {} }
        await #expect(throws: ImageGateError.self) {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        }
    }

    /// Anyone who can push can push a signature image of thousands of layers: at most 32 are
    /// checked (a good signature past them is not reached), and the refusal says so.
    @Test func aSignatureImageOfManyLayersIsCheckedUpToItsBound() async throws {
        let signer = try CosignTestSigner(), other = try CosignTestSigner()
        let payload = CosignTestSigner.payload(repository: repositoryURI, digest: digest)
        let forged = try other.sign(payload)
        let layers = Array(repeating: (payload, forged), count: 35) + [(payload, try signer.sign(payload))]
        let (ecr, server) = try ecr(layers: layers)
        defer { withExtendedLifetime(server) {} }
        await #expect {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        } throws: { "\($0)".contains("a signature image has 36 signature layers; the first 32 were checked") }
    }

    @Test func aLayerThatIsNotTheManifestsIsNotTrusted() async throws {
        let signer = try CosignTestSigner()
        let payload = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"a":"b"}"#)
        let (ecr, server) = try ecr(serving: payload, signature: try signer.sign(payload), layerBody: Array("tampered".utf8))
        defer { withExtendedLifetime(server) {} }  // serves until the check is done
        let reason = "the signature layer downloaded is not the layer \(CosignTestSigner.digest(payload)) its manifest names"
        await #expect(throws: ImageGateError.signaturesRefused(repository: repositoryName, tag: "dev-1", digest: digest, reasons: [reason])) {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        }
    }
}

extension ImageSignatureDownloadTests {
    /// Anyone who can push a `.sig` tag can push a layer over the 1 MiB Berth downloads: that
    /// layer is left unread with its reason, and a good signature after it (one that must be
    /// downloaded too: an annotated payload) is still checked.
    @Test func aLayerThatCannotBeDownloadedLeavesTheOthersChecked() async throws {
        let signer = try CosignTestSigner()
        let flood = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"flood":"x"}"#)
        let annotated = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"build":"42"}"#)
        let oversized = [UInt8](repeating: 0x61, count: (1 << 20) + 1)
        let (ecr, server) = try ecr(
            layers: [(flood, try signer.sign(flood)), (annotated, try signer.sign(annotated))],
            bodies: [CosignTestSigner.digest(flood): oversized])
        let result = try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
            repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        #expect(result.signatureVerified && result.pinnedDigest == digest)
        #expect(server.requests.filter { $0.method == "GET" }.count == 2)
    }

    /// A call that fails for another reason than the layer (denied, throttled) fails the check
    /// as any failed call does (exit 1), not as a refusal of the signature (exit 3).
    @Test func aDeniedDownloadIsAFailedCallNotARefusal() async throws {
        let signer = try CosignTestSigner()
        let annotated = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"k":"v"}"#)
        let (ecr, server) = try ecr(layers: [(annotated, try signer.sign(annotated))], deniedURL: true)
        await #expect {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        } throws: { error in
            (error as? AWSServiceError)?.code == "AccessDeniedException"
        }
        _ = server
    }

    /// A layer Berth can rebuild is checked before any is downloaded: a download that would
    /// fail (here, denied) is never tried when a good signature needs none.
    @Test func aRebuildableLayerIsCheckedBeforeAnyDownload() async throws {
        let signer = try CosignTestSigner()
        let annotated = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"k":"v"}"#)
        let plain = CosignTestSigner.payload(repository: repositoryURI, digest: digest)
        let (ecr, server) = try ecr(layers: [(annotated, try signer.sign(annotated)), (plain, try signer.sign(plain))], deniedURL: true)
        let result = try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
            repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        #expect(result.signatureVerified)
        #expect(!server.requests.contains { $0.headers["x-amz-target"]?.hasSuffix("GetDownloadUrlForLayer") == true })
    }

    /// When no signature is accepted, the refusal (exit 3) names each layer left unread and why.
    @Test func theRefusalNamesTheLayersItCouldNotDownload() async throws {
        let signer = try CosignTestSigner()
        let annotated = CosignTestSigner.payload(repository: repositoryURI, digest: digest, optional: #"{"flood":"x"}"#)
        let layerDigest = CosignTestSigner.digest(annotated)
        let (ecr, server) = try ecr(layers: [(annotated, try signer.sign(annotated))], bodies: [layerDigest: [UInt8](repeating: 0x61, count: 2 << 20)])
        let reason = "the signature layer \(layerDigest) could not be downloaded: LayerTooLarge: the layer is larger than 1048576 bytes"
        await #expect(throws: ImageGateError.signaturesRefused(repository: repositoryName, tag: "dev-1", digest: digest, reasons: [reason])) {
            try await ImageGate(ecr: ecr, clock: PollClock(sleep: { _ in })).check(
                repositoryName: repositoryName, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        }
        _ = server
    }
}

/// The scripted server's own URL, known once it listens.
private final class ServerURL: @unchecked Sendable {
    private let lock = NSLock()
    private var url = ""
    var value: String {
        get { lock.withLock { url } }
        set { lock.withLock { url = newValue } }
    }
}
