import Foundation

/// The secrets a request carried (the signing key, the session token, the signature, a web
/// identity token), taken out of what a server answers before it reaches an error or the
/// `--debug` log: a proxy or a fake that echoes the request would otherwise have Berth print
/// them. Each is replaced as it was sent, percent-encoded, and as JSON may escape it (`\/`).
struct SecretScrubber: Sendable {
    private let secrets: [String]

    /// Secrets shorter than 8 characters are not taken: too short to be one, too likely to
    /// match ordinary text.
    init(_ secrets: [String]) {
        let long = secrets.filter { $0.utf8.count >= 8 }
        // The longest first, so that a secret that holds another is taken whole.
        let forms = long + long.map(URIEncoding.encode) + long.map { $0.replacingOccurrences(of: "/", with: "\\/") }
        self.secrets = Array(Set(forms)).sorted { $0.utf8.count > $1.utf8.count }
    }

    /// The secrets of a signed request: the secret key, the session token and the signature.
    init(signed request: HTTPRequest, credentials: Credentials, more: [String] = []) {
        let signature = request.headers.first { $0.name.lowercased() == "authorization" }?.value
            .components(separatedBy: "Signature=").dropFirst().first
        self.init([credentials.secretAccessKey] + [credentials.sessionToken, signature].compactMap { $0 } + more)
    }

    /// `text` with every secret replaced by `<redacted>`.
    func scrub(_ text: String) -> String {
        secrets.reduce(text) { text, secret in text.contains(secret) ? text.replacingOccurrences(of: secret, with: WireLog.redacted) : text }
    }

    /// `bytes` as text, scrubbed; unchanged when there is nothing to take out.
    func scrub(_ bytes: [UInt8]) -> [UInt8] {
        guard !secrets.isEmpty else { return bytes }
        let text = String(decoding: bytes, as: UTF8.self)
        let scrubbed = scrub(text)
        return scrubbed == text ? bytes : Array(scrubbed.utf8)
    }
}
