extension Template {
    /// Everything wrong with the template: invalid or duplicate logical IDs, references to
    /// things that do not exist, and CloudFormation's quotas. An empty list means valid.
    public func validate(stack: String? = nil) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        func report(_ location: String, _ message: String) {
            problems.append(ValidationProblem(stack: stack, location: location, message: message))
        }

        let sections: [(String, [String])] = [
            ("Parameters", parameters.map(\.name)), ("Mappings", mappings.map(\.name)),
            ("Conditions", conditions.map(\.name)), ("Resources", resources.map(\.name)),
            ("Outputs", outputs.map(\.name)),
        ]
        for (section, names) in sections {
            var seen: Set<String> = []
            for name in names {
                if !TemplateLimits.isValidLogicalID(name) {
                    report("\(section).\(name)", "logical ID must be 1 to 255 ASCII letters and digits (^[A-Za-z0-9]{1,255}$)")
                }
                if !seen.insert(name).inserted {
                    report("\(section).\(name)", "logical ID is used more than once")
                }
            }
        }
        let parameterNames = Set(parameters.map(\.name))
        for resource in resources where parameterNames.contains(resource.name) {
            report("Resources.\(resource.name)", "a parameter has the same logical ID; Ref could not tell them apart")
        }

        let limits: [(String, Int, Int)] = [
            ("Resources", resources.count, TemplateLimits.maxResources),
            ("Parameters", parameters.count, TemplateLimits.maxParameters),
            ("Outputs", outputs.count, TemplateLimits.maxOutputs),
            ("Mappings", mappings.count, TemplateLimits.maxMappings),
        ]
        for (section, count, limit) in limits where count > limit {
            report(section, "\(count) entries, over CloudFormation's limit of \(limit) per stack: split the stack")
        }
        if resources.isEmpty {
            report("Resources", "a template needs at least one resource")
        }

        let scope = ReferenceScope(
            refTargets: parameterNames.union(resources.map(\.name)),
            resources: Set(resources.map(\.name)),
            conditions: Set(conditions.map(\.name)),
            mappings: Set(mappings.map(\.name)))
        for condition in conditions {
            scope.check(condition.value, at: ["Conditions", condition.name], report: report)
        }
        for resource in resources {
            let location = "Resources.\(resource.name)"
            for target in resource.value.dependsOn where !scope.resources.contains(target) {
                report("\(location).DependsOn", "depends on \(target), which is not a resource in this template")
            }
            if let condition = resource.value.condition, !scope.conditions.contains(condition) {
                report("\(location).Condition", "names condition \(condition), which is not defined under Conditions")
            }
            scope.check(resource.value.properties, at: ["Resources", resource.name, "Properties"], report: report)
            if let metadata = resource.value.metadata {
                scope.check(metadata, at: ["Resources", resource.name, "Metadata"], report: report)
            }
        }
        for output in outputs {
            let location = "Outputs.\(output.name)"
            if let condition = output.value.condition, !scope.conditions.contains(condition) {
                report("\(location).Condition", "names condition \(condition), which is not defined under Conditions")
            }
            scope.check(output.value.templateValue, at: ["Outputs", output.name], report: report)
        }
        return problems
    }
}

/// The names a template's values may refer to, and the walk that checks them.
///
/// The walk keeps its position as path segments and joins them into a location string only
/// when it reports a problem, so that a valid template costs no string building.
private struct ReferenceScope {
    let refTargets: Set<String>
    let resources: Set<String>
    let conditions: Set<String>
    let mappings: Set<String>

    /// One step of the walk's position: a key, or an index into a list (written `[0]` only
    /// when a problem is reported).
    private enum Segment {
        case key(String)
        case index(Int)
    }

    /// Reports at a path such as `Resources.A.Properties.List[0].Ref`.
    private func report(_ report: (String, String) -> Void, _ path: [Segment], _ message: String) {
        var location = ""
        for segment in path {
            switch segment {
            case .key(let key):
                if !location.isEmpty && !key.hasPrefix("[") { location += "." }
                location += key
            case .index(let index):
                location += "[\(index)]"
            }
        }
        report(location, message)
    }

    func check(_ value: JSONValue, at path: [String], report: (String, String) -> Void) {
        var path = path.map(Segment.key)
        walk(value, path: &path, report: report)
    }

    private func walk(_ value: JSONValue, path: inout [Segment], report: (String, String) -> Void) {
        switch value {
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                path.append(.index(index))
                walk(element, path: &path, report: report)
                path.removeLast()
            }
        case .object(let members):
            if members.count == 1, let member = members.first {
                path.append(.key(member.key))
                let handled = checkIntrinsic(member, path: &path, report: report)
                path.removeLast()
                if handled { return }
            }
            for member in members {
                path.append(.key(member.key))
                walk(member.value, path: &path, report: report)
                path.removeLast()
            }
        default:
            return
        }
    }

    /// Walks one argument of an intrinsic found at `path`.
    private func walkArgument(_ value: JSONValue, _ index: Int, path: inout [Segment], report: (String, String) -> Void) {
        path.append(.index(index))
        walk(value, path: &path, report: report)
        path.removeLast()
    }

    /// Checks the targets an intrinsic names (`path` ends at its key); returns whether its
    /// arguments were already walked.
    private func checkIntrinsic(_ member: JSONValue.Member, path: inout [Segment], report: (String, String) -> Void) -> Bool {
        func problem(_ message: String) { self.report(report, path, message) }
        switch member.key {
        case "Ref":
            guard let name = member.value.stringValue else {
                problem("Ref takes the logical ID of a parameter or resource as a string")
                return true
            }
            if !isRefTarget(name) {
                problem("Ref to \(name), which is neither a parameter, a resource nor a pseudo parameter")
            }
            return true
        case "Fn::GetAtt":
            let target: String?
            switch member.value {
            case .array(let parts) where parts.count == 2: target = parts[0].stringValue
            case .string(let dotted): target = dotted.split(separator: ".", maxSplits: 1).first.map(String.init)
            default: target = nil
            }
            guard let target else {
                problem("Fn::GetAtt takes [logicalID, attribute]")
                return true
            }
            if !resources.contains(target) {
                problem("Fn::GetAtt of \(target), which is not a resource in this template")
            }
            if case .array(let parts) = member.value { walkArgument(parts[1], 1, path: &path, report: report) }
            return true
        case "Fn::Sub":
            let text: String?
            var variables: Set<String> = []
            switch member.value {
            case .string(let body): text = body
            case .array(let parts) where parts.count == 2:
                text = parts[0].stringValue
                variables = Set(parts[1].members?.map(\.key) ?? [])
                walkArgument(parts[1], 1, path: &path, report: report)
            default: text = nil
            }
            guard let text else {
                problem("Fn::Sub takes a string, or [string, {variables}]")
                return true
            }
            for name in Self.substitutedNames(in: text) where !variables.contains(name) {
                let target = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
                if name.contains(".") && !name.hasPrefix("AWS::") {
                    if !resources.contains(target) {
                        problem("Fn::Sub names ${\(name)}, but \(target) is not a resource in this template")
                    }
                } else if !isRefTarget(name) {
                    problem("Fn::Sub names ${\(name)}, which is neither a parameter, a resource nor a pseudo parameter")
                }
            }
            return true
        case "Fn::If":
            guard case .array(let parts) = member.value, parts.count == 3, let condition = parts[0].stringValue else {
                problem("Fn::If takes [condition name, value if true, value if false]")
                return true
            }
            if !conditions.contains(condition) {
                problem("Fn::If names condition \(condition), which is not defined under Conditions")
            }
            walkArgument(parts[1], 1, path: &path, report: report)
            walkArgument(parts[2], 2, path: &path, report: report)
            return true
        case "Condition":
            guard let name = member.value.stringValue else { return false }
            if !conditions.contains(name) {
                problem("names condition \(name), which is not defined under Conditions")
            }
            return true
        case "Fn::FindInMap":
            if case .array(let parts) = member.value, let map = parts.first?.stringValue, !mappings.contains(map) {
                problem("Fn::FindInMap names mapping \(map), which is not defined under Mappings")
            }
            return false
        default:
            return false
        }
    }

    private func isRefTarget(_ name: String) -> Bool {
        refTargets.contains(name) || PseudoParameter(rawValue: name) != nil
    }

    /// The names inside `${…}` in an `Fn::Sub` string, skipping `${!literal}` escapes.
    static func substitutedNames(in text: String) -> [String] {
        if let names = asciiSubstitutedNames(in: text) { return names }
        var names: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            guard text[index] == "$", next < text.endIndex, text[next] == "{" else {
                index = next
                continue
            }
            let start = text.index(after: next)
            guard let close = text[start...].firstIndex(of: "}") else { break }
            let name = String(text[start..<close].filter { $0 != " " })
            if !name.hasPrefix("!") { names.append(name) }
            index = text.index(after: close)
        }
        return names
    }

    /// `substitutedNames(in:)` over the bytes of an ASCII string, where each byte is a character
    /// of its own for `$`, `{`, `}` and the space (only `\r\n` joins two, and neither is one of
    /// them); `nil` for any other text, which is read character by character.
    private static func asciiSubstitutedNames(in text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var names: [String] = []
            var index = 0
            while index + 1 < bytes.count {
                guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else {
                    index += 1
                    continue
                }
                let start = index + 2
                guard let close = bytes[start...].firstIndex(of: UInt8(ascii: "}")) else { break }
                let name = String(decoding: bytes[start..<close].filter { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                if !name.hasPrefix("!") { names.append(name) }
                index = close + 1
            }
            return names
        }
    }
}
