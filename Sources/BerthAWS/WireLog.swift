import Foundation

/// The `--debug` log of every request and answer, with secrets redacted: the signature, session
/// tokens, secret keys, web identity tokens and ECS Exec's session tokens never reach it.
public struct WireLog: Sendable {
    public let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    static let redacted = "<redacted>"
    /// Headers whose whole value is secret.
    static let secretHeaders: Set<String> = ["x-amz-security-token", "x-aws-ec2-metadata-token", "authorization"]
    /// Names whose values are secret wherever they appear: form fields, XML elements, JSON keys.
    static let secretNames = [
        "SecretAccessKey", "SessionToken", "Token", "WebIdentityToken", "secretAccessKey", "sessionToken",
        "AuthorizationToken", "authorizationToken", "tokenValue",
        // ECR's pre-signed layer URLs carry the session token and a signature.
        "downloadUrl",
    ]
    /// ECS calls whose bodies hold containers' environment values (`{"name": …, "value": …}`),
    /// which a task definition made by hand may use for secrets: every `value` is redacted.
    static let environmentOperations: Set<String> = ["DescribeTaskDefinition", "DescribeTasks", "RunTask"]

    func request(_ request: HTTPRequest, operation: String, attempt: Int) {
        var lines = ["→ \(operation) attempt \(attempt): \(request.method) \(request.url)"]
        for header in request.headers {
            lines.append("  \(header.name): \(Self.redactHeader(header.name, header.value))")
        }
        if !request.body.isEmpty { lines.append("  " + Self.redactBody(String(decoding: request.body, as: UTF8.self), operation: operation)) }
        write(lines.joined(separator: "\n") + "\n")
    }

    /// The answer, its secrets redacted, and what it echoes of the request's (`scrubber`).
    func response(_ response: HTTPResponse, operation: String, elapsed: Duration, scrubbing scrubber: SecretScrubber = SecretScrubber([])) {
        var lines = ["← \(operation): HTTP \(response.status) in \(elapsed.formatted(.units(allowed: [.milliseconds])))"]
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name): \(scrubber.scrub(Self.redactHeader(name, value)))")
        }
        if !response.body.isEmpty { lines.append("  " + scrubber.scrub(Self.redactBody(response.text, operation: operation))) }
        write(lines.joined(separator: "\n") + "\n")
    }

    func failure(_ error: TransportError, operation: String) {
        write("← \(operation): \(error)\n")
    }

    /// The header value to log: the signature's credential scope stays, the signature goes.
    static func redactHeader(_ name: String, _ value: String) -> String {
        let lowered = name.lowercased()
        guard secretHeaders.contains(lowered) else { return value }
        if lowered == "authorization", let signature = value.range(of: "Signature=") {
            return String(value[..<signature.upperBound]) + redacted
        }
        return redacted
    }

    /// A body of `operation` with every secret value replaced, whether it is form-encoded, XML or JSON.
    static func redactBody(_ body: String, operation: String = "") -> String {
        var text = body
        for name in secretNames + (environmentOperations.contains(operation) ? ["value"] : []) {
            text = redactingElements(in: text, named: name)
            text = redactingMembers(in: text, named: name)
            text = replacing(in: text, after: "\(name)=", until: UInt8(ascii: "&"), requireBoundary: true)
        }
        return text
    }

    /// Replaces the content of each XML element called `name`, whatever attributes it has, up
    /// to its closing tag: a CDATA section or markup inside it is redacted too.
    private static func redactingElements(in text: String, named name: String) -> String {
        let bytes = Array(text.utf8), open = Array("<\(name)".utf8), close = Array("</\(name)>".utf8)
        var output: [UInt8] = []
        var rest = bytes[...]
        while let found = rest.firstRange(of: open) {
            output += rest[..<found.upperBound]
            rest = rest[found.upperBound...]
            // `<TokenCode>` is another element.
            guard let next = rest.first, next == UInt8(ascii: ">") || isXMLSpace(next) else { continue }
            // No `>` left: nothing after it can be an element's content. Each scan goes on from
            // where the last stopped, so a body of many open tags stays linear.
            guard let tagEnd = rest.firstIndex(of: UInt8(ascii: ">")) else { break }
            output += rest[...tagEnd]
            rest = rest[(tagEnd + 1)...]
            // `<Token/>` holds nothing.
            guard bytes[tagEnd - 1] != UInt8(ascii: "/") else { continue }
            output += redacted.utf8
            rest = rest[(rest.firstRange(of: close)?.lowerBound ?? rest.endIndex)...]
        }
        return String(decoding: output + rest, as: UTF8.self)
    }

    /// Replaces each JSON string that is the value of a member called `name`, whatever the
    /// spacing around its colon, up to its closing quote (an escaped quote does not close it).
    private static func redactingMembers(in text: String, named name: String) -> String {
        let key = Array("\"\(name)\"".utf8)
        var output: [UInt8] = []
        var rest = Array(text.utf8)[...]
        while let found = rest.firstRange(of: key) {
            output += rest[..<found.upperBound]
            rest = rest[found.upperBound...]
            var index = rest.drop(while: isXMLSpace).startIndex
            guard index < rest.endIndex, rest[index] == UInt8(ascii: ":") else { continue }
            index = rest[(index + 1)...].drop(while: isXMLSpace).startIndex
            guard index < rest.endIndex, rest[index] == UInt8(ascii: "\"") else { continue }
            output += rest[...index]
            index += 1
            while index < rest.endIndex, rest[index] != UInt8(ascii: "\"") { index += rest[index] == UInt8(ascii: "\\") ? 2 : 1 }
            output += redacted.utf8
            rest = rest[min(index, rest.endIndex)...]
        }
        return String(decoding: output + rest, as: UTF8.self)
    }

    /// Space, tab, carriage return or line feed: what XML and JSON both take as white space.
    private static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Replaces what stands between each `marker` and the next `terminator` (or the end). It
    /// matches bytes, in place: a marker followed by a combining mark still matches (a search by
    /// characters would not), and Foundation's `range(of:)` on a substring copied the rest of
    /// the text at each match, which made a body of many markers take quadratic time.
    private static func replacing(in text: String, after marker: String, until terminator: UInt8, requireBoundary: Bool = false) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.utf8.firstRange(of: marker.utf8) {
            let preceding = range.lowerBound > rest.startIndex ? rest.utf8[rest.utf8.index(before: range.lowerBound)] : output.utf8.last
            let boundaryOK = !requireBoundary || preceding == nil || preceding == UInt8(ascii: "&") || preceding == UInt8(ascii: "?")
            output += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            guard boundaryOK else { continue }
            let end = rest.utf8.firstIndex(of: terminator) ?? rest.endIndex
            output += redacted
            rest = rest[end...]
        }
        return output + rest
    }
}
