extension JSONValue {
    /// The YAML text of a template, with CloudFormation's short-form tags for intrinsics
    /// (`!Ref`, `!GetAtt A.B`, `!Sub`, `!Join`, …). Block style, two-space indentation; strings are
    /// written plain only when no YAML 1.1 reader could take them for anything else.
    public func yamlText() -> String {
        var emitter = YAMLEmitter()
        emitter.writeDocument(self)
        return emitter.output
    }
}

/// Writes `JSONValue`s as block-style YAML with short-form intrinsic tags.
struct YAMLEmitter {
    var output = ""

    /// Long-form keys written with a short-form tag instead.
    static let shortForms: [String: String] = [
        "Ref": "!Ref", "Fn::Base64": "!Base64", "Fn::Cidr": "!Cidr", "Fn::FindInMap": "!FindInMap",
        "Fn::GetAtt": "!GetAtt", "Fn::GetAZs": "!GetAZs", "Fn::ImportValue": "!ImportValue", "Fn::Join": "!Join",
        "Fn::Select": "!Select", "Fn::Split": "!Split", "Fn::Sub": "!Sub", "Fn::And": "!And",
        "Fn::Equals": "!Equals", "Fn::If": "!If", "Fn::Not": "!Not", "Fn::Or": "!Or",
    ]

    mutating func writeDocument(_ value: JSONValue) {
        switch value {
        case .object(let members) where !members.isEmpty: writeMembers(members, indent: 0)
        case .array(let elements) where !elements.isEmpty: writeElements(elements, indent: 0)
        default:
            output.append(inline(value) ?? "null")
            output.append("\n")
        }
    }

    /// Writes the members of a mapping, each on its own line at `indent`. When `continuing`, the
    /// first member goes on the current line (after a `- `).
    private mutating func writeMembers(_ members: [JSONValue.Member], indent: Int, continuing: Bool = false) {
        for (index, member) in members.enumerated() {
            if index > 0 || !continuing { pad(indent) }
            output.append(Self.scalarText(member.key))
            output.append(":")
            writeNested(member.value, indent: indent)
        }
    }

    /// Writes the elements of a sequence, each behind `- ` at `indent`. When `continuing`, the
    /// first element goes on the current line (after an outer `- `).
    private mutating func writeElements(_ elements: [JSONValue], indent: Int, continuing: Bool = false) {
        for (index, element) in elements.enumerated() {
            if index > 0 || !continuing { pad(indent) }
            output.append("-")
            switch element {
            case .object(let members) where !members.isEmpty && Self.tagged(element) == nil:
                output.append(" ")
                writeMembers(members, indent: indent + 2, continuing: true)
            case .array(let nested) where !nested.isEmpty:
                output.append(" ")
                writeElements(nested, indent: indent + 2, continuing: true)
            default:
                writeNested(element, indent: indent)
            }
        }
    }

    /// Writes a value after `key:` or `-`: on the same line when it is a scalar (or a short
    /// form with a scalar argument), else as a block on the following lines.
    private mutating func writeNested(_ value: JSONValue, indent: Int) {
        if let text = inline(value) {
            output.append(" ")
            output.append(text)
            output.append("\n")
            return
        }
        if let (tag, argument) = Self.tagged(value) {
            output.append(" ")
            output.append(tag)
            switch argument {
            case .array(let elements):
                output.append("\n")
                writeElements(elements, indent: indent + 2)
            case .object(let members):
                output.append("\n")
                writeMembers(members, indent: indent + 2)
            default:
                output.append("\n")
            }
            return
        }
        output.append("\n")
        switch value {
        case .object(let members): writeMembers(members, indent: indent + 2)
        case .array(let elements): writeElements(elements, indent: indent + 2)
        default: break
        }
    }

    /// The one-line form of a value, when it has one.
    private func inline(_ value: JSONValue) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return JSONValue.numberText(number)
        case .string(let text): return Self.scalarText(text)
        case .array(let elements): return elements.isEmpty ? "[]" : nil
        case .object(let members):
            if members.isEmpty { return "{}" }
            guard let (tag, argument) = Self.tagged(value) else { return nil }
            if tag == "!GetAtt", case .array(let parts) = argument, parts.count == 2,
                let resource = parts[0].stringValue, let attribute = parts[1].stringValue
            {
                return "!GetAtt \(resource).\(attribute)"
            }
            switch argument {
            case .array, .object: return nil
            default: return inline(argument).map { "\(tag) \($0)" }
            }
        }
    }

    /// The short-form tag and argument of a one-member intrinsic object.
    static func tagged(_ value: JSONValue) -> (String, JSONValue)? {
        guard case .object(let members) = value, members.count == 1, let tag = shortForms[members[0].key] else {
            return nil
        }
        return (tag, members[0].value)
    }

    private mutating func pad(_ indent: Int) {
        output.append(String(repeating: " ", count: indent))
    }

    /// Words a YAML 1.1 reader would take for a boolean or null if written plain.
    private static let reservedWords: Set<String> = [
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    ]

    /// A string as a YAML scalar: plain when it is unambiguous, else double-quoted. JSON's
    /// quoting escapes the C0 controls; YAML also takes DEL, the C1 controls, U+FFFE and U+FFFF
    /// for unprintable, and NEL, U+2028 and U+2029 for line breaks (which a quoted scalar
    /// folds), so those are escaped too (`\u007F`).
    static func scalarText(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        var quoted = ""
        JSONValue.writeQuoted(text, to: &quoted)
        guard quoted.unicodeScalars.contains(where: needsEscapeInYAML) else { return quoted }
        var escaped = ""
        for scalar in quoted.unicodeScalars {
            if needsEscapeInYAML(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// What YAML's `c-printable` leaves out above the C0 controls (which JSON escapes), and the
    /// line breaks beyond `\n` and `\r`.
    private static func needsEscapeInYAML(_ scalar: Unicode.Scalar) -> Bool {
        (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0xFFFE, 0xFFFF].contains(scalar.value)
    }

    /// Plain only for a letter or `_` or `/` followed by letters, digits and `_ . / -`, and not
    /// a reserved word: nothing in it can be read as a number, a boolean, an indicator or a comment.
    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        let startsWell = TemplateLimits.isASCIILetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: "/")
        guard startsWell, !reservedWords.contains(text.lowercased()) else { return false }
        return text.utf8.allSatisfy { byte in
            TemplateLimits.isASCIILetter(byte) || TemplateLimits.isASCIIDigit(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: "-")
        }
    }
}
