extension JSONValue {
    /// The JSON text: two-space indentation and `"key": value` when `pretty`, else compact.
    /// Keys keep their order; the same value always gives the same bytes.
    public func jsonText(pretty: Bool = true) -> String {
        var output = ""
        output.reserveCapacity(4096)
        write(to: &output, pretty: pretty, indent: 0)
        if pretty { output.append("\n") }
        return output
    }

    private func write(to output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): output.append(String(value))
        case .double(let value): output.append(JSONValue.numberText(value))
        case .string(let value): JSONValue.writeQuoted(value, to: &output)
        case .array(let elements):
            if elements.isEmpty { output.append("[]"); return }
            output.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(",") }
                if pretty { JSONValue.newline(&output, indent + 1) }
                element.write(to: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONValue.newline(&output, indent) }
            output.append("]")
        case .object(let members):
            if members.isEmpty { output.append("{}"); return }
            output.append("{")
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(",") }
                if pretty { JSONValue.newline(&output, indent + 1) }
                JSONValue.writeQuoted(member.key, to: &output)
                output.append(pretty ? ": " : ":")
                member.value.write(to: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONValue.newline(&output, indent) }
            output.append("}")
        }
    }

    private static func newline(_ output: inout String, _ indent: Int) {
        output.append("\n")
        output.append(String(repeating: "  ", count: indent))
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
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }
}
