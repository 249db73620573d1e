import Foundation

/// An error answer from an AWS service.
public struct AWSServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `cloudformation`, `ecr`, `ecs`, `sts`.
    public let service: String
    /// `DescribeStacks`, `DescribeImages`, …
    public let operation: String
    public let status: Int
    /// AWS's error code: `ValidationError`, `ImageNotFoundException`, `Throttling`, …
    public let code: String
    public let message: String
    public let requestID: String?

    public init(service: String, operation: String, status: Int, code: String, message: String, requestID: String?) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// The most characters of a server's message that Berth shows.
    public static let messageLimit = 1024

    /// The error on one line: the code, message and request ID as the server sent them, without
    /// control characters, and the message cut at `messageLimit` characters.
    public var description: String {
        let request = requestID.map { ", request \(ServerText.line($0).prefix(200))" } ?? ""
        return "\(service) \(operation) failed: \(summary) (HTTP \(status)\(request))"
    }

    /// `Code: message`, safe to print in any error: on one line without control characters, the
    /// message cut at `messageLimit` characters.
    public var summary: String {
        let line = ServerText.line(message)
        let shown = line.count > Self.messageLimit ? line.prefix(Self.messageLimit) + "… (cut)" : line
        return "\(ServerText.line(code).prefix(200)): \(shown)"
    }
}

/// An answer that is neither the expected document nor an AWS error, such as an HTML error
/// page from a proxy.
public struct UnexpectedResponseError: Error, Sendable, CustomStringConvertible {
    public let service: String
    public let operation: String
    public let status: Int
    /// The first characters of the body; empty when the body is withheld.
    public let bodyStart: String
    /// How long the body was.
    public let bodyLength: Int
    /// Whether the body was left out because the answer may hold secrets (credentials, a
    /// container's environment values).
    public let bodyWithheld: Bool

    /// With `withholdingBody`, the error says only the answer's shape (status and size): the
    /// answer to a credentials call may hold secrets, even when it is malformed.
    public init(service: String, operation: String, status: Int, body: [UInt8], withholdingBody: Bool = false) {
        self.service = service
        self.operation = operation
        self.status = status
        self.bodyLength = body.count
        self.bodyWithheld = withholdingBody
        self.htmlTitle = withholdingBody ? nil : Self.htmlTitle(of: body)
        let text = withholdingBody || htmlTitle != nil ? "" : String(decoding: body.prefix(300), as: UTF8.self)
        self.bodyStart = Self.oneLine(text)
    }

    /// When the body is an HTML page (a proxy's or a local server's error page), its title, first
    /// heading or the start of its text, on one line and possibly empty; the page itself is never shown.
    public let htmlTitle: String?

    public var description: String {
        if bodyWithheld {
            let expected = (200..<300).contains(status) ? "the \(operation)Response document" : "an AWS error document"
            return "\(service) \(operation): unexpected answer (HTTP \(status), \(bodyLength) bytes, not \(expected); not shown, as it may hold secrets)"
        }
        if let htmlTitle {
            let title = htmlTitle.isEmpty ? "" : " \"\(htmlTitle)\""
            return "\(service) \(operation): unexpected answer (HTTP \(status)): an HTML page\(title) of \(bodyLength) bytes, not an AWS answer"
        }
        return "\(service) \(operation): unexpected answer (HTTP \(status)): \(bodyStart.isEmpty ? "empty body" : bodyStart)"
    }

    /// `text` on one line: line breaks, tabs and other control characters become single spaces.
    static func oneLine(_ text: String) -> String { ServerText.line(text) }

    /// The title (else the first `h1`, else the start of its text) of `body` when it is an HTML
    /// page, `nil` when it is not HTML.
    static func htmlTitle(of body: [UInt8]) -> String? {
        let start = String(decoding: body.prefix(4096), as: UTF8.self)
        let trimmed = start.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        func begins(_ prefix: String) -> Bool { trimmed.prefix(prefix.count).lowercased() == prefix }
        let isHTML = begins("<!doctype html") || begins("<html")
            || (!begins("<?xml") && start.range(of: "<title>", options: .caseInsensitive) != nil)
        guard isHTML else { return nil }
        for tag in ["title", "h1"] {
            guard let open = start.range(of: "<\(tag)", options: .caseInsensitive),
                let close = start.range(of: "</\(tag)>", options: .caseInsensitive, range: open.upperBound..<start.endIndex),
                let end = start[open.upperBound..<close.lowerBound].firstIndex(of: ">")
            else { continue }
            var text = ""
            var inTag = false
            for character in start[start.index(after: end)..<close.lowerBound] {
                if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
            }
            let line = oneLine(text)
            if !line.isEmpty { return line.count > 100 ? "\(line.prefix(100))…" : line }
        }
        let text = oneLine(visibleText(start))
        return text.count > 100 ? "\(text.prefix(100))…" : text
    }

    /// `html` without its tags, comments, scripts and styles.
    private static func visibleText(_ html: String) -> String {
        var text = ""
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            text += rest[..<open]
            let tag = rest[open...].prefix(8).lowercased()
            let closing = tag.hasPrefix("<script") ? "</script>" : tag.hasPrefix("<style") ? "</style>" : tag.hasPrefix("<!--") ? "-->" : ">"
            guard let close = rest[open...].range(of: closing, options: .caseInsensitive) else { return text }
            text += " "
            rest = rest[close.upperBound...]
        }
        return text + rest
    }
}
