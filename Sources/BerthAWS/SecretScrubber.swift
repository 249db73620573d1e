import Foundation

/// The secrets a request carried (the signing key, the session token, the signature, a web
/// identity token), taken out of what a server answers before it reaches an error or the
/// `--debug` log: a proxy or a fake that echoes the request would otherwise have Berth print
/// them. A copy is found whichever way each of its characters was written: as sent,
/// percent-encoded (the form body of a query request, a URI; `%2F` or `%2f`, or encoded twice,
/// `%252F`), escaped as JSON escapes it (`\/`, `\u002B`) or as XML does (`&#x2B;`, `&#43;`,
/// `&amp;`), in any mixture (`abc%2Fdef+ghi%3D` and `abc/def%2Bghi=` alike).
struct SecretScrubber: Sendable {
    /// The secrets' bytes, the longest first.
    private let secrets: [[UInt8]]

    /// Secrets shorter than 8 characters are not taken: too short to be one, too likely to
    /// match ordinary text.
    init(_ secrets: [String]) {
        self.secrets = Set(secrets.filter { $0.utf8.count >= 8 }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// The secrets of a signed request: the secret key, the session token and the signature.
    init(signed request: HTTPRequest, credentials: Credentials, more: [String] = []) {
        let signature = request.headers.first { $0.name.lowercased() == "authorization" }?.value
            .components(separatedBy: "Signature=").dropFirst().first
        self.init([credentials.secretAccessKey] + [credentials.sessionToken, signature].compactMap { $0 } + more)
    }

    /// `text` with every copy of a secret replaced by `<redacted>`.
    func scrub(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        let bytes = Array(text.utf8)
        let scrubbed = scrub(bytes)
        return scrubbed == bytes ? text : String(decoding: scrubbed, as: UTF8.self)
    }

    /// `bytes` with every copy of a secret replaced by `<redacted>`; unchanged when there is
    /// nothing to take out.
    func scrub(_ bytes: [UInt8]) -> [UInt8] {
        guard !secrets.isEmpty else { return bytes }
        let found = bytes.withUnsafeBufferPointer { text in secrets.flatMap { Self.copies(of: $0, in: text) } }
        guard !found.isEmpty else { return bytes }
        // Copies that overlap (one secret inside another, a copy in two encodings) go as one.
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var written = 0
        for range in found.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.upperBound > written {
            if range.lowerBound >= written {
                output += bytes[written..<range.lowerBound]
                output += WireLog.redacted.utf8
            }
            written = range.upperBound
        }
        output += bytes[written...]
        return output
    }

    /// Where `secret` is in `text`, each of its bytes as it is or encoded (`unit`).
    static func copies(of secret: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard let first = secret.first else { return [] }
        var found: [Range<Int>] = []
        var start = 0
        while start < text.count {
            // Most bytes start no copy: neither the secret's first byte nor the start of an escape.
            let byte = text[start]
            guard byte == first || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "&") else {
                start += 1
                continue
            }
            if let end = end(of: secret, in: text, from: start) {
                found.append(start..<end)
                start = end
            } else {
                start += 1
            }
        }
        return found
    }

    /// The end of a copy of `secret` that begins at `start`, or `nil` when none does. Each byte
    /// is taken decoded when an escape is there and decodes to it, else as it is.
    private static func end(of secret: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var position = start
        for expected in secret {
            guard position < text.count else { return nil }
            if let (decoded, length) = unit(in: text, at: position), decoded == expected {
                position += length
            } else if text[position] == expected {
                position += 1
            } else {
                return nil
            }
        }
        return position
    }

    /// The byte an escape at `position` stands for, and its length: `%HH` (either case) and
    /// `%25HH` (percent-encoded twice), JSON's `\/` and `\u00HH`, XML's `&#xHH;`, `&#DD;`
    /// and its five named entities; `nil` when no escape starts there.
    static func unit(in text: UnsafeBufferPointer<UInt8>, at position: Int) -> (byte: UInt8, length: Int)? {
        func at(_ offset: Int) -> UInt8? { position + offset < text.count ? text[position + offset] : nil }
        func hexByte(_ offset: Int) -> UInt8? {
            guard let high = at(offset).flatMap(hexValue), let low = at(offset + 1).flatMap(hexValue) else { return nil }
            return high << 4 | low
        }
        switch text[position] {
        case UInt8(ascii: "%"):
            if at(1) == UInt8(ascii: "2"), at(2) == UInt8(ascii: "5"), let byte = hexByte(3) { return (byte, 5) }
            return hexByte(1).map { ($0, 3) }
        case UInt8(ascii: "\\"):
            if at(1) == UInt8(ascii: "/") { return (UInt8(ascii: "/"), 2) }
            guard at(1) == UInt8(ascii: "u"), at(2) == UInt8(ascii: "0"), at(3) == UInt8(ascii: "0"), let byte = hexByte(4), byte < 0x80 else { return nil }
            return (byte, 6)
        case UInt8(ascii: "&"):
            return entity(in: text, at: position)
        default:
            return nil
        }
    }

    /// XML's five named entities, as bytes, and the byte each stands for: made once, not at each
    /// `&` of an answer (GetTemplate's XML has one for every quote of the template).
    private static let namedEntities: [(name: [UInt8], byte: UInt8)] = [
        (Array("&amp;".utf8), 0x26), (Array("&lt;".utf8), 0x3C), (Array("&gt;".utf8), 0x3E), (Array("&quot;".utf8), 0x22), (Array("&apos;".utf8), 0x27),
    ]

    /// An XML character reference or named entity at `position` that stands for one ASCII byte.
    private static func entity(in text: UnsafeBufferPointer<UInt8>, at position: Int) -> (byte: UInt8, length: Int)? {
        for entity in namedEntities where text[position...].starts(with: entity.name) { return (entity.byte, entity.name.count) }
        guard position + 2 < text.count, text[position + 1] == UInt8(ascii: "#") else { return nil }
        let hex = text[position + 2] == UInt8(ascii: "x") || text[position + 2] == UInt8(ascii: "X")
        var value = 0
        var index = position + (hex ? 3 : 2)
        let digitsStart = index
        // Leading zeros are allowed: at most 8 digits, as no ASCII character needs more.
        while index < text.count, index - digitsStart < 8 {
            let digit: Int? = hex ? hexValue(text[index]).map(Int.init) : (0x30...0x39).contains(text[index]) ? Int(text[index] - 0x30) : nil
            guard let digit else { break }
            value = value * (hex ? 16 : 10) + digit
            index += 1
        }
        guard index > digitsStart, index < text.count, text[index] == UInt8(ascii: ";"), value < 0x80 else { return nil }
        return (UInt8(value), index + 1 - position)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
