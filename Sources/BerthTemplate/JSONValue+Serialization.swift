extension JSONValue {
    /// The JSON text: two-space indentation and `"key": value` when `pretty`, else compact.
    /// Keys keep their order; the same value always gives the same bytes.
    public func jsonText(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.write(self, indent: 0)
        if pretty { writer.append(UInt8(ascii: "\n")) }
        return writer.text()
    }

    /// A number as JSON writes it: integral values without a fraction, others in Swift's
    /// shortest round-tripping form. Non-finite values have no JSON form and become `null`.
    static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// Writes `text` as a JSON string literal.
    static func writeQuoted(_ text: String, to output: inout String) {
        var writer = JSONWriter(pretty: false, capacity: text.utf8.count + 2)
        writer.writeQuoted(text)
        output.append(writer.text())
    }
}

/// Serializes `JSONValue`s into UTF-8 bytes, in a buffer of its own: a template is some 10,000
/// small writes, and each `Array.append` would check the array's uniqueness and capacity.
struct JSONWriter: ~Copyable {
    let pretty: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(pretty: Bool, capacity: Int = 16_384) {
        self.pretty = pretty
        self.capacity = max(capacity, 16)
        buffer = .allocate(capacity: self.capacity)
    }

    deinit { buffer.deallocate() }

    /// What was written, as text.
    func text() -> String {
        String(decoding: UnsafeBufferPointer(start: buffer, count: count), as: UTF8.self)
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if extra > capacity - count { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        let larger = max(capacity * 2, needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = moved
        capacity = larger
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        buffer[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (buffer + count).initialize(from: base, count: bytes.count)
        count += bytes.count
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): append(String(number))
        case .double(let number): append(JSONValue.numberText(number))
        case .string(let text): writeQuoted(text)
        case .array(let elements):
            if elements.isEmpty { append("[]"); return }
            append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { append("{}"); return }
            append(UInt8(ascii: "{"))
            var first = true
            for member in members {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                newline(indent + 1)
                writeQuoted(member.key)
                append(UInt8(ascii: ":"))
                if pretty { append(UInt8(ascii: " ")) }
                write(member.value, indent: indent + 1)
            }
            newline(indent)
            append(UInt8(ascii: "}"))
        }
    }

    /// A line break and `indent` levels of two spaces, when pretty.
    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        let spaces = indent * 2
        reserve(1 + spaces)
        buffer[count] = UInt8(ascii: "\n")
        (buffer + count + 1).initialize(repeating: UInt8(ascii: " "), count: spaces)
        count += 1 + spaces
    }

    /// Writes `text` as a JSON string literal, escaping quotes, backslashes and control characters.
    mutating func writeQuoted(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            append(UInt8(ascii: "\""))
            // Most strings need no escape: copied whole.
            if !Self.needsEscape(utf8) {
                append(utf8)
            } else {
                for byte in utf8 { appendEscaped(byte) }
            }
            append(UInt8(ascii: "\""))
        }
    }

    /// Whether `utf8` holds a quote, a backslash or a control character: eight bytes at a time
    /// (the "has a byte less than n" and "has a zero byte" tests of Bit Twiddling Hacks, each exact
    /// for the question whether there is one), the rest one by one.
    static func needsEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= utf8.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
            let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
            let control = (word &- ones &* 0x20) & ~word
            let quote = (quotes &- ones) & ~quotes
            let backslash = (backslashes &- ones) & ~backslashes
            if (control | quote | backslash) & highs != 0 { return true }
            index += 8
        }
        while index < utf8.count {
            let byte = base[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            index += 1
        }
        return false
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case UInt8(ascii: "\n"): append("\\n")
        case UInt8(ascii: "\r"): append("\\r")
        case UInt8(ascii: "\t"): append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case 0..<0x20:
            let hex = String(byte, radix: 16)
            append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default:
            append(byte)
        }
    }
}
