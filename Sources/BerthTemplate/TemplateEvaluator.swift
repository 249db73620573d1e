/// Works out the string a template value comes to, for the few intrinsics whose result is known
/// before deploying: `Ref` to a parameter, `Fn::Sub`, `Fn::Join`, `Fn::Select`, and `Fn::If` on
/// conditions made of `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`. Anything else is unknown (`nil`).
public struct TemplateEvaluator: Sendable {
    let parameters: [String: String]
    let conditions: JSONValue?

    /// An evaluator with these parameter values and the template's `Conditions` section.
    public init(parameters: [String: String], conditions: JSONValue?) {
        self.parameters = parameters
        self.conditions = conditions
    }

    /// How many values and substitutions one evaluation takes before it gives up (`nil`):
    /// nesting is bounded by depth, but a `Fn::Sub` that uses a variable several times, nested,
    /// fans out exponentially (four uses, 28 levels deep, would take 4^28 steps).
    static let maximumSteps = 100_000
    /// The longest string an evaluation makes (64 KiB) before it gives up: what Berth evaluates
    /// (an image, an output) is far shorter, and a `Fn::Sub` that repeats a long parameter
    /// could otherwise make megabytes from a small template.
    static let maximumLength = 65_536

    /// The string `value` comes to, or `nil` when it is not known before deploying (or takes
    /// more than `maximumSteps` or `maximumLength` to work out).
    public func string(_ value: JSONValue, depth: Int = 0) -> String? {
        var steps = Self.maximumSteps
        return string(value, depth: depth, steps: &steps)
    }

    func string(_ value: JSONValue, depth: Int, steps: inout Int) -> String? {
        steps -= 1
        guard depth < 32, steps >= 0 else { return nil }
        if let text = value.scalarText { return text }
        guard case .object(let members) = value, members.count == 1 else { return nil }
        let argument = members[0].value
        switch members[0].key {
        case "Ref":
            return argument.stringValue.flatMap { parameters[$0] }
        case "Fn::Sub":
            let (text, variables) = argument.subArguments
            guard let text else { return nil }
            return substitute(text, variables: variables ?? [], depth: depth, steps: &steps)
        case "Fn::Join":
            guard let parts = argument.elements, parts.count == 2, let separator = parts[0].stringValue,
                let list = parts[1].elements
            else { return nil }
            var strings: [String] = []
            var length = 0
            for element in list {
                guard let text = string(element, depth: depth + 1, steps: &steps) else { return nil }
                length += text.utf8.count + separator.utf8.count
                guard length <= Self.maximumLength else { return nil }
                strings.append(text)
            }
            return strings.joined(separator: separator)
        case "Fn::Select":
            guard let parts = argument.elements, parts.count == 2, let index = string(parts[0], depth: depth + 1, steps: &steps).flatMap({ Int($0) }),
                let list = parts[1].elements, list.indices.contains(index)
            else { return nil }
            return string(list[index], depth: depth + 1, steps: &steps)
        case "Fn::If":
            guard let parts = argument.elements, parts.count == 3, let name = parts[0].stringValue,
                let holds = condition(named: name, depth: depth + 1, steps: &steps)
            else { return nil }
            return string(holds ? parts[1] : parts[2], depth: depth + 1, steps: &steps)
        default:
            return nil
        }
    }

    private func substitute(_ text: String, variables: [JSONValue.Member], depth: Int, steps: inout Int) -> String? {
        let variables = Dictionary(variables.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var result = ""
        var rest = text[...]
        while let start = rest.firstRange(of: "${") {
            steps -= 1
            guard steps >= 0 else { return nil }
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return nil }
            let name = String(rest[start.upperBound..<end])
            if name.hasPrefix("!") {
                result += "${" + name.dropFirst() + "}"
            } else if let variable = variables[name] {
                guard let value = string(variable, depth: depth + 1, steps: &steps) else { return nil }
                result += value
            } else {
                guard let value = parameters[name] else { return nil }
                result += value
            }
            guard result.utf8.count <= Self.maximumLength else { return nil }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return result.utf8.count <= Self.maximumLength ? result : nil
    }

    func condition(named name: String, depth: Int, steps: inout Int) -> Bool? {
        guard depth < 32, let definition = conditions?[name] else { return nil }
        return condition(definition, depth: depth + 1, steps: &steps)
    }

    private func condition(_ value: JSONValue, depth: Int, steps: inout Int) -> Bool? {
        steps -= 1
        guard depth < 32, steps >= 0, case .object(let members) = value, members.count == 1 else { return nil }
        let argument = members[0].value
        switch members[0].key {
        case "Fn::Equals":
            guard let parts = argument.elements, parts.count == 2, let left = string(parts[0], depth: depth + 1, steps: &steps),
                let right = string(parts[1], depth: depth + 1, steps: &steps)
            else { return nil }
            return left == right
        case "Fn::Not":
            guard let part = argument.elements?.first, let result = condition(part, depth: depth + 1, steps: &steps) else { return nil }
            return !result
        case "Fn::And", "Fn::Or":
            var results: [Bool] = []
            for part in argument.elements ?? [] {
                guard let result = condition(part, depth: depth + 1, steps: &steps) else { return nil }
                results.append(result)
            }
            return members[0].key == "Fn::And" ? !results.contains(false) : results.contains(true)
        case "Condition":
            guard let name = argument.stringValue else { return nil }
            return condition(named: name, depth: depth + 1, steps: &steps)
        default:
            return nil
        }
    }
}
