extension JSONValue {
    /// Reads a YAML (or JSON) template, turning short-form tags (`!Ref X`, `!GetAtt A.B`,
    /// `!Sub …`, …) into the long form, so that both spellings give the same value.
    /// Mistakes are reported with `file:line:column`.
    public static func parseYAML(_ text: String, file: String) throws(SourceError) -> JSONValue {
        guard let root = try YAMLNode.parse(text, file: file) else { throw SourceError(file: file, line: 1, column: 1, message: "the document is empty") }
        return try YAMLTemplateReader(file: file, budget: YAMLTemplateReader.Budget()).value(of: root)
    }
}

/// Converts YAML nodes into `JSONValue`s, expanding CloudFormation's short-form tags.
private struct YAMLTemplateReader {
    let file: String
    let budget: Budget

    /// How many values a document may expand to. Aliases (`*a`) repeat what their anchor holds,
    /// so a few lines of them can stand for billions of values: reading stops at the limit.
    final class Budget {
        static let maximumValues = 1_000_000
        /// How much text its scalars may hold, aliases expanded (64 MiB; CloudFormation takes
        /// templates of 1 MB): a long value aliased thousands of times is refused too.
        static let maximumTextBytes = 64 << 20
        var remaining = maximumValues
        var remainingBytes = maximumTextBytes
    }

    /// The long-form key of a short-form tag, as CloudFormation and cfn-flip write them: `!Ref`
    /// and `!Condition` stand for themselves, every other `!Name` for `Fn::Name` (`!Sub`,
    /// `!Contains`, `!ForEach`, `!ToJsonString`, …). `nil` when the tag is no such name.
    static func longForm(of tag: String) -> String? {
        let name = tag.dropFirst()
        guard tag.hasPrefix("!"), let first = name.first, first.isASCII, first.isUppercase,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        return name == "Ref" || name == "Condition" ? String(name) : "Fn::" + name
    }

    func value(of node: YAMLNode) throws(SourceError) -> JSONValue {
        budget.remaining -= 1
        guard budget.remaining >= 0 else {
            throw SourceError(
                file: file, mark: node.mark,
                message: "the document expands to more than \(Budget.maximumValues) values, far more than a template needs; aliases (*name) that repeat each other, if it has any, are refused too")
        }
        budget.remainingBytes -= node.text?.utf8.count ?? 0
        guard budget.remainingBytes >= 0 else {
            throw SourceError(
                file: file, mark: node.mark,
                message: "the document's values expand to more than \(Budget.maximumTextBytes >> 20) MiB of text; aliases (*name) that repeat a long value are refused")
        }
        let tag = node.tag
        if let foreign = YAMLScalar.foreignStandardTag(of: node) {
            throw SourceError(file: file, mark: node.mark, message: "the tag \(foreign) is not allowed in a template")
        }
        if tag.hasPrefix("!") && !tag.hasPrefix("!!") {
            guard let key = Self.longForm(of: tag) else {
                throw SourceError(file: file, mark: node.mark, message: "unknown tag \(tag); short forms are !Ref, !Condition and !Name for Fn::Name")
            }
            return .object([JSONValue.Member(key, try taggedArgument(tag, node))])
        }
        switch node.content {
        case .scalar: return Self.value(of: node.scalar ?? .null)
        case .sequence(let elements): return .array(try elements.map { node throws(SourceError) in try value(of: node) })
        case .mapping(let pairs):
            // The composer has already refused repeated keys.
            var members: [JSONValue.Member] = []
            members.reserveCapacity(pairs.count)
            for pair in pairs {
                guard let key = pair.key.text else {
                    throw SourceError(file: file, mark: pair.key.mark, message: "a mapping key must be a string")
                }
                members.append(JSONValue.Member(key, try value(of: pair.value)))
            }
            return .object(members)
        }
    }

    /// The argument of a short-form tag, in the shape its long form takes.
    private func taggedArgument(_ tag: String, _ node: YAMLNode) throws(SourceError) -> JSONValue {
        guard let text = node.text else {
            // The collection as it is, without the tag.
            if case .sequence(let elements) = node.content {
                return .array(try elements.map { node throws(SourceError) in try value(of: node) })
            }
            var untagged = node
            untagged.tag = ""
            return try value(of: untagged)
        }
        if tag == "!GetAtt" {
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw SourceError(file: file, mark: node.mark, message: "!GetAtt takes Resource.Attribute, got \(text)")
            }
            return [.string(parts[0]), .string(parts[1])]
        }
        // A tagged scalar keeps its text: `!Ref 123` names the logical ID "123".
        return .string(text)
    }

    /// An untagged plain scalar as YAML's core schema resolves it.
    private static func value(of scalar: YAMLScalar) -> JSONValue {
        switch scalar {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .string(let value): .string(value)
        }
    }
}
