extension JSONValue {
    /// The JSON text: two-space indentation and `"key": value` when `pretty`, else compact.
    /// Keys keep their order; the same value always gives the same bytes.
    public func jsonText(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        writer.write(self, indent: 0)
        if pretty { writer.bytes.append(UInt8(ascii: "\n")) }
        return String(decoding: writer.bytes, as: UTF8.self)
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
        var writer = JSONWriter(pretty: false)
        writer.writeQuoted(text)
        output.append(String(decoding: writer.bytes, as: UTF8.self))
    }
}

/// Serializes `JSONValue`s into UTF-8 bytes.
struct JSONWriter {
    let pretty: Bool
    var bytes: [UInt8] = []

    init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(16_384)
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
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { append("{}"); return }
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                writeQuoted(member.key)
                bytes.append(UInt8(ascii: ":"))
                if pretty { bytes.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<indent * 2 { bytes.append(UInt8(ascii: " ")) }
    }

    /// Writes `text` as a JSON string literal, escaping quotes, backslashes and control characters.
    mutating func writeQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
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
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
