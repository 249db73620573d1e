import BerthAWS
import Foundation

/// ECR in front of moto for what moto's ECR lacks: ListImageReferrers (ECR's OCI 1.1 referrers
/// listing) and GetDownloadUrlForLayer with the download it points at. Both are answered from a
/// script written from the ECR API reference; every other call is forwarded to moto, which keeps
/// the repositories, the images and the referrers' manifests (pushed by digest, untagged).
public final class ScriptedReferrers: Sendable {
    public let server: TestHTTPServer
    private let script: ReferrerScript

    /// A front on 127.0.0.1 for the moto server at `moto`.
    public init(moto: Endpoint) throws {
        let script = ReferrerScript(motoPort: moto.port ?? 80)
        server = try TestHTTPServer { script.reply(to: $0) }
        script.base = server.url
        self.script = script
    }

    /// The endpoint to give the clients.
    public var endpoint: Endpoint {
        get throws {
            guard let endpoint = Endpoint(url: server.url) else { throw TestServerError("no endpoint") }
            return endpoint
        }
    }

    /// Pushes the referrer `manifest` to moto by its digest (untagged, as referrers are) and lists
    /// it as a referrer of `subject` (which need not be the subject its manifest names); returns
    /// its digest. moto 5.2.1 answers HTTP 500 to an untagged PutImage in an
    /// `IMMUTABLE_WITH_EXCLUSION` repository: there, give the referrer a `tag` of its own.
    @discardableResult
    public func refer(
        _ manifest: String, artifactType: String, to subject: String, moto: Endpoint, region: String, repository: String, tag: String? = nil
    ) async throws -> String {
        let digest = CosignTestSigner.digest(Array(manifest.utf8))
        try await MotoHelpers.putImage(moto, region: region, repository: repository, tag: tag, digest: digest, manifest: manifest)
        script.list(ReferrerScript.Listed(digest: digest, artifactType: artifactType, size: manifest.utf8.count), for: subject)
        return digest
    }

    /// Serves `blob` (text) for GetDownloadUrlForLayer of its digest; returns the digest.
    @discardableResult
    public func serve(blob: String) -> String {
        let digest = CosignTestSigner.digest(Array(blob.utf8))
        script.store(blob, as: digest)
        return digest
    }

    /// Serves `blob` under `digest` even though that is not its sha256 (a registry that lies).
    public func serve(blob: String, as digest: String) { script.store(blob, as: digest) }
}

/// What the front answers: the referrers listed per subject and the blobs served.
private final class ReferrerScript: @unchecked Sendable {
    struct Listed {
        let digest: String
        let artifactType: String
        let size: Int
    }

    let motoPort: Int
    private let lock = NSLock()
    private var listed: [String: [Listed]] = [:]
    private var blobs: [String: String] = [:]
    private var baseURL = ""

    init(motoPort: Int) { self.motoPort = motoPort }

    var base: String {
        get { lock.withLock { baseURL } }
        set { lock.withLock { baseURL = newValue } }
    }

    func list(_ referrer: Listed, for subject: String) { lock.withLock { listed[subject, default: []].append(referrer) } }
    func store(_ blob: String, as digest: String) { lock.withLock { blobs[digest] = blob } }

    func reply(to request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        if request.method == "GET", request.path.hasPrefix("/blobs/") {
            let digest = String(request.path.dropFirst("/blobs/".count))
            guard let blob = lock.withLock({ blobs[digest] }) else { return .respond(status: 404, body: "no such blob") }
            return .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: blob)
        }
        let operation = (request.headers["x-amz-target"] ?? "").split(separator: ".").last.map(String.init) ?? ""
        let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        func answer(_ object: Any) -> TestHTTPServer.Reply {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
        }
        switch operation {
        case "ListImageReferrers":
            let subject = (json["subjectId"] as? [String: Any])?["imageDigest"] as? String ?? ""
            let types = ((json["filter"] as? [String: Any])?["artifactTypes"] as? [String]).map(Set.init)
            let found = lock.withLock { listed[subject] ?? [] }.filter { types?.contains($0.artifactType) ?? true }
            return answer([
                "referrers": found.map {
                    [
                        "digest": $0.digest, "mediaType": "application/vnd.oci.image.manifest.v1+json", "artifactType": $0.artifactType,
                        "size": $0.size, "artifactStatus": "ACTIVE",
                    ] as [String: Any]
                }
            ])
        case "GetDownloadUrlForLayer":
            let digest = json["layerDigest"] as? String ?? ""
            guard lock.withLock({ blobs[digest] }) != nil else {
                return .respond(
                    status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"__type":"LayersNotFoundException","message":"The image layer does not exist"}"#)
            }
            return answer(["downloadUrl": "\(base)/blobs/\(digest)?X-Amz-Signature=abc", "layerDigest": digest])
        default:
            return .forward(port: motoPort)
        }
    }
}
