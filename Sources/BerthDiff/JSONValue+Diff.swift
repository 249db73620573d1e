import BerthTemplate

extension JSONValue {
    /// Whether two template values mean the same to CloudFormation: key order does not count,
    /// `8080` and `"8080"` are the same, `Fn::GetAtt` may be `"A.B"` or `["A", "B"]`, `Fn::Sub`
    /// a string or the string with no variables, and a member set to `AWS::NoValue` is no
    /// member. Text and keys are compared by their code points, as CloudFormation does: `é`
    /// written as one code point or as `e` and a combining accent differs.
    package func means(_ other: JSONValue) -> Bool {
        switch (self.normalizedIntrinsic, other.normalizedIntrinsic) {
        case (.object(var left), .object(var right)):
            left.removeAll { $0.value.isNoValue }
            right.removeAll { $0.value.isNoValue }
            guard left.count == right.count else { return false }
            for member in left {
                guard let match = right.first(where: { ExactText($0.key) == ExactText(member.key) }), member.value.means(match.value) else {
                    return false
                }
            }
            return true
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.means($1) }
        case (.null, .null):
            return true
        case (let left, let right):
            guard let leftText = left.scalarText, let rightText = right.scalarText else { return false }
            return leftText.utf8.elementsEqual(rightText.utf8)
        }
    }

    /// `{"Ref": "AWS::NoValue"}`: the property is left out.
    var isNoValue: Bool {
        guard case .object(let members) = self, members.count == 1, members[0].key == "Ref" else { return false }
        return members[0].value.stringValue == "AWS::NoValue"
    }

    /// `{"Fn::GetAtt": "A.B"}` in the list form every other spelling uses, and
    /// `{"Fn::Sub": ["text", {}]}` in the string form.
    private var normalizedIntrinsic: JSONValue {
        if case .object(let members) = self, members.count == 1, members[0].key == "Fn::GetAtt",
            case .string(let text) = members[0].value, let dot = text.firstIndex(of: ".")
        {
            return ["Fn::GetAtt": [.string(String(text[..<dot])), .string(String(text[text.index(after: dot)...]))]]
        }
        if case .object(let members) = self, members.count == 1, members[0].key == "Fn::Sub", case .array(let parts) = members[0].value,
            parts.count == 2, case .string = parts[0], case .object(let variables) = parts[1], variables.isEmpty
        {
            return ["Fn::Sub": parts[0]]
        }
        return self
    }

    /// Whether this is an intrinsic function call (`{"Ref": …}`, `{"Fn::…": …}`, `{"Condition": …}`),
    /// which is compared and shown as one value.
    var isIntrinsic: Bool {
        guard case .object(let members) = self, members.count == 1 else { return false }
        let key = members[0].key
        return key == "Ref" || key == "Condition" || key.hasPrefix("Fn::")
    }

    /// The parameters, resources and conditions this value refers to, through `Ref`,
    /// `Fn::GetAtt`, `${…}` in `Fn::Sub`, `Fn::If` and `{"Condition": …}`. Pseudo parameters are left out.
    var referencedNames: Set<String> {
        var names: Set<String> = []
        collectReferences(into: &names)
        return names
    }

    private func collectReferences(into names: inout Set<String>) {
        switch self {
        case .array(let elements):
            for element in elements { element.collectReferences(into: &names) }
        case .object(let members):
            if members.count == 1 {
                let (key, argument) = (members[0].key, members[0].value)
                switch key {
                case "Ref", "Condition":
                    if let name = argument.stringValue, !name.hasPrefix("AWS::") { names.insert(name) }
                    return
                case "Fn::GetAtt":
                    if let text = argument.stringValue {
                        names.insert(String(text.split(separator: ".", maxSplits: 1).first ?? ""))
                    } else if let name = argument.elements?.first?.stringValue {
                        names.insert(name)
                    }
                    return
                case "Fn::Sub":
                    let (text, variables) = argument.subArguments
                    let local = Set(variables?.compactMap { $0.key } ?? [])
                    for name in Self.substitutionNames(in: text ?? "") where !local.contains(name) { names.insert(name) }
                    for variable in variables ?? [] { variable.value.collectReferences(into: &names) }
                    return
                case "Fn::If":
                    if let condition = argument.elements?.first?.stringValue { names.insert(condition) }
                    for branch in argument.elements?.dropFirst() ?? [] { branch.collectReferences(into: &names) }
                    return
                default:
                    break
                }
            }
            for member in members { member.value.collectReferences(into: &names) }
        case .null, .bool, .int, .double, .string:
            return
        }
    }

    /// The names in `${Name}` and `${Resource.Attribute}` of an `Fn::Sub` text, without `${!literal}` and `AWS::` names.
    static func substitutionNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let inside = rest[start.upperBound..<end]
            if !inside.hasPrefix("!"), !inside.hasPrefix("AWS::") {
                names.append(String(inside.split(separator: ".", maxSplits: 1).first ?? inside))
            }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// The value at `path`, when there is one.
    func value(at path: ValuePath) -> JSONValue? {
        var current: JSONValue? = self
        for component in path.components {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let index):
                guard let elements = current?.elements, elements.indices.contains(index) else { return nil }
                current = elements[index]
            }
        }
        return current
    }
}
