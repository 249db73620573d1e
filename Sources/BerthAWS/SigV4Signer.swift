import Foundation

/// Signs requests with AWS Signature Version 4 (AWS4-HMAC-SHA256).
///
/// A small value: give it credentials, a region and a service, and it adds `X-Amz-Date`,
/// `X-Amz-Security-Token` (for temporary credentials) and `Authorization` to a request.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// Headers that proxies may change, so they are never signed (as botocore does).
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public let credentials: Credentials
    public let region: String
    public let service: String

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The intermediate texts of one signature, for tests and `--debug`.
    public struct Signature: Sendable {
        public let canonicalRequest: String
        public let stringToSign: String
        public let authorization: String
    }

    /// Signs `request` as of `date`; returns the texts the signature was computed from.
    @discardableResult
    public func sign(_ request: inout HTTPRequest, date: Date = Date()) -> Signature {
        let (amzDate, day) = Self.timestamps(date)
        request.headers.removeAll { $0.name.lowercased() == "authorization" }
        request.setHeader("X-Amz-Date", amzDate)
        if let token = credentials.sessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        let canonical = canonicalRequest(request)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [Self.algorithm, amzDate, scope, Crypto.hex(Crypto.sha256(Array(canonical.text.utf8)))]
            .joined(separator: "\n")
        let key = signingKey(day: day)
        let signature = Crypto.hex(Crypto.hmacSHA256(key: key, data: Array(stringToSign.utf8)))
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        request.setHeader("Authorization", authorization)
        return Signature(canonicalRequest: canonical.text, stringToSign: stringToSign, authorization: authorization)
    }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    func signingKey(day: String) -> [UInt8] {
        var key = Crypto.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), data: Array(day.utf8))
        for part in [region, service, "aws4_request"] {
            key = Crypto.hmacSHA256(key: key, data: Array(part.utf8))
        }
        return key
    }

    /// The canonical request and its signed-header list.
    func canonicalRequest(_ request: HTTPRequest) -> (text: String, signedHeaders: String) {
        var headers: [String: [String]] = ["host": [request.hostHeader]]
        for header in request.headers {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            if name == "host" { headers["host"] = [] }
            headers[name, default: []].append(header.value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let encoded: [(name: String, value: String)] = request.query.map {
            (URIEncoding.encode($0.name), URIEncoding.encode($0.value))
        }
        let sorted = encoded.sorted { lhs, rhs in lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value }
        let query = sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let text = [
            request.method.uppercased(), URIEncoding.encodePath(request.path.isEmpty ? "/" : request.path), query,
            canonicalHeaders, signedHeaders, Crypto.hex(Crypto.sha256(request.body)),
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// `20261122T093015Z` and `20261122` in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        let utc = UTCDateComponents(date)
        return ("\(utc.compactDay)T\(utc.compactTime)Z", utc.compactDay)
    }
}
