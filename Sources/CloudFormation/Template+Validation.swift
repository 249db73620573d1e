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
            scope.check(condition.value, at: "Conditions.\(condition.name)", report: report)
        }
        for resource in resources {
            let location = "Resources.\(resource.name)"
            for target in resource.value.dependsOn where !scope.resources.contains(target) {
                report("\(location).DependsOn", "depends on \(target), which is not a resource in this template")
            }
            if let condition = resource.value.condition, !scope.conditions.contains(condition) {
                report("\(location).Condition", "names condition \(condition), which is not defined under Conditions")
            }
            scope.check(resource.value.properties, at: "\(location).Properties", report: report)
            if let metadata = resource.value.metadata {
                scope.check(metadata, at: "\(location).Metadata", report: report)
            }
        }
        for output in outputs {
            let location = "Outputs.\(output.name)"
            if let condition = output.value.condition, !scope.conditions.contains(condition) {
                report("\(location).Condition", "names condition \(condition), which is not defined under Conditions")
            }
            scope.check(output.value.templateValue, at: location, report: report)
        }
        return problems
    }
}

/// The names a template's values may refer to, and the walk that checks them.
private struct ReferenceScope {
    let refTargets: Set<String>
    let resources: Set<String>
    let conditions: Set<String>
    let mappings: Set<String>

    func check(_ value: JSONValue, at location: String, report: (String, String) -> Void) {
        switch value {
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                check(element, at: "\(location)[\(index)]", report: report)
            }
        case .object(let members):
            if members.count == 1, let member = members.first, checkIntrinsic(member, at: location, report: report) {
                return
            }
            for member in members {
                check(member.value, at: "\(location).\(member.key)", report: report)
            }
        default:
            return
        }
    }

    /// Checks the targets an intrinsic names; returns whether `member` was one whose
    /// arguments were already walked.
    private func checkIntrinsic(_ member: JSONValue.Member, at location: String, report: (String, String) -> Void) -> Bool {
        let here = "\(location).\(member.key)"
        switch member.key {
        case "Ref":
            guard let name = member.value.stringValue else {
                report(here, "Ref takes the logical ID of a parameter or resource as a string")
                return true
            }
            if !isRefTarget(name) {
                report(here, "Ref to \(name), which is neither a parameter, a resource nor a pseudo parameter")
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
                report(here, "Fn::GetAtt takes [logicalID, attribute]")
                return true
            }
            if !resources.contains(target) {
                report(here, "Fn::GetAtt of \(target), which is not a resource in this template")
            }
            if case .array(let parts) = member.value { check(parts[1], at: "\(here)[1]", report: report) }
            return true
        case "Fn::Sub":
            let text: String?
            var variables: Set<String> = []
            switch member.value {
            case .string(let body): text = body
            case .array(let parts) where parts.count == 2:
                text = parts[0].stringValue
                variables = Set(parts[1].members?.map(\.key) ?? [])
                check(parts[1], at: "\(here)[1]", report: report)
            default: text = nil
            }
            guard let text else {
                report(here, "Fn::Sub takes a string, or [string, {variables}]")
                return true
            }
            for name in Self.substitutedNames(in: text) where !variables.contains(name) {
                let target = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
                if name.contains(".") && !name.hasPrefix("AWS::") {
                    if !resources.contains(target) {
                        report(here, "Fn::Sub names ${\(name)}, but \(target) is not a resource in this template")
                    }
                } else if !isRefTarget(name) {
                    report(here, "Fn::Sub names ${\(name)}, which is neither a parameter, a resource nor a pseudo parameter")
                }
            }
            return true
        case "Fn::If":
            guard case .array(let parts) = member.value, parts.count == 3, let condition = parts[0].stringValue else {
                report(here, "Fn::If takes [condition name, value if true, value if false]")
                return true
            }
            if !conditions.contains(condition) {
                report(here, "Fn::If names condition \(condition), which is not defined under Conditions")
            }
            check(parts[1], at: "\(here)[1]", report: report)
            check(parts[2], at: "\(here)[2]", report: report)
            return true
        case "Condition":
            guard let name = member.value.stringValue else { return false }
            if !conditions.contains(name) {
                report(here, "names condition \(name), which is not defined under Conditions")
            }
            return true
        case "Fn::FindInMap":
            if case .array(let parts) = member.value, let map = parts.first?.stringValue, !mappings.contains(map) {
                report(here, "Fn::FindInMap names mapping \(map), which is not defined under Mappings")
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
        var names: [String] = []
        let characters = Array(text)
        var index = 0
        while index + 1 < characters.count {
            guard characters[index] == "$", characters[index + 1] == "{" else {
                index += 1
                continue
            }
            guard let close = characters[(index + 2)...].firstIndex(of: "}") else { break }
            let name = String(characters[(index + 2)..<close]).filter { $0 != " " }
            if !name.hasPrefix("!") { names.append(name) }
            index = close + 1
        }
        return names
    }
}
