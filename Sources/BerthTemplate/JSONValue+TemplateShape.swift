extension JSONValue {
    /// What keeps this value from being a CloudFormation template, or `nil` when it has a
    /// template's shape, part by part, as CloudFormation's template anatomy gives it:
    ///
    /// - the document is a mapping of sections; `AWSTemplateFormatVersion` and `Description` are
    ///   strings; `Metadata`, `Rules`, `Hooks` and `Conditions` mappings (each condition a
    ///   mapping, a condition function); `Transform` a string, a mapping or a list of them;
    /// - `Parameters` maps names to mappings with a string `Type`;
    /// - `Mappings` maps names to mappings of mappings;
    /// - `Outputs` maps names to mappings with a `Value` (an `Export` a mapping, a `Condition` a
    ///   string);
    /// - `Resources` is present and maps logical IDs to mappings with a string `Type`, whose
    ///   `Properties`, `Metadata`, `CreationPolicy` and `UpdatePolicy` are mappings, `DependsOn`
    ///   a logical ID or a list of them, `Condition` a string, and `DeletionPolicy` and
    ///   `UpdateReplacePolicy` strings (or, with the language extensions, an intrinsic mapping).
    ///   `Fn::ForEach` loops of the language extensions are left as they are.
    ///
    /// It also holds no more resources, parameters, outputs and mappings than CloudFormation
    /// allows in a template (`TemplateLimits`). The values inside properties, outputs and
    /// conditions are not checked: comparing them is what the template is read for. Sections
    /// CloudFormation does not know are left alone.
    public var templateShapeProblem: String? {
        guard case .object(let sections) = self else {
            return "the document is \(kindName), not a mapping of sections such as Resources"
        }
        for section in sections {
            if let problem = Self.sectionProblem(section.key, section.value) { return problem }
        }
        guard self["Resources"] != nil else { return "it has no Resources" }
        let quotas = [
            ("Resources", "resources", TemplateLimits.maxResources), ("Parameters", "parameters", TemplateLimits.maxParameters),
            ("Outputs", "outputs", TemplateLimits.maxOutputs), ("Mappings", "mappings", TemplateLimits.maxMappings),
        ]
        for (section, noun, limit) in quotas {
            if let count = self[section]?.members?.count, count > limit {
                return "it has \(count) \(noun), over the \(limit) CloudFormation allows in a template"
            }
        }
        return nil
    }

    private static func sectionProblem(_ name: String, _ value: JSONValue) -> String? {
        switch name {
        case "AWSTemplateFormatVersion", "Description":
            return value.stringValue == nil ? "\(name) is \(value.kindName), not a string" : nil
        case "Metadata", "Rules", "Hooks":
            return value.members == nil ? "\(name) is \(value.kindName), not a mapping" : nil
        case "Transform":
            let parts = value.elements ?? [value]
            let valid = parts.allSatisfy { $0.stringValue != nil || $0.members != nil } && (value.elements == nil || !parts.isEmpty)
            return valid ? nil : "Transform is \(value.kindName), not a transform's name or a list of them"
        case "Parameters":
            return entriesProblem(value, section: name) { key, parameter in
                guard parameter.members != nil else { return "parameter \(key) is \(parameter.kindName), not a mapping" }
                guard let type = parameter["Type"] else { return "parameter \(key) has no Type" }
                return type.stringValue == nil ? "parameter \(key)'s Type is \(type.kindName), not a string" : nil
            }
        case "Mappings":
            return entriesProblem(value, section: name) { key, mapping in
                guard let levels = mapping.members else { return "mapping \(key) is \(mapping.kindName), not a mapping" }
                for level in levels where level.value.members == nil {
                    return "mapping \(key)'s \(level.key) is \(level.value.kindName), not a mapping of names to values"
                }
                return nil
            }
        case "Conditions":
            return entriesProblem(value, section: name) { key, condition in
                condition.members == nil ? "condition \(key) is \(condition.kindName), not a condition function (a mapping)" : nil
            }
        case "Outputs":
            return entriesProblem(value, section: name) { key, output in
                guard output.members != nil else { return "output \(key) is \(output.kindName), not a mapping" }
                guard let outputValue = output["Value"], outputValue != .null else { return "output \(key) has no Value" }
                if let export = output["Export"], export.members == nil { return "output \(key)'s Export is \(export.kindName), not a mapping" }
                if let condition = output["Condition"], condition.stringValue == nil {
                    return "output \(key)'s Condition is \(condition.kindName), not a condition's name"
                }
                return nil
            }
        case "Resources":
            return entriesProblem(value, section: name, resourceProblem)
        default:
            return nil
        }
    }

    /// The first problem `check` finds among the entries of the section `section`, which must be a mapping.
    private static func entriesProblem(_ value: JSONValue, section: String, _ check: (String, JSONValue) -> String?) -> String? {
        guard let entries = value.members else { return "\(section) is \(value.kindName), not a mapping" }
        for entry in entries {
            if let problem = check(entry.key, entry.value) { return problem }
        }
        return nil
    }

    private static func resourceProblem(_ key: String, _ resource: JSONValue) -> String? {
        if key.hasPrefix("Fn::ForEach::") { return nil }
        guard let attributes = resource.members else { return "resource \(key) is \(resource.kindName), not a mapping" }
        guard let type = resource["Type"] else { return "resource \(key) has no Type" }
        guard let typeName = type.stringValue, !typeName.isEmpty else {
            return "resource \(key)'s Type is \(type.kindName == "a string" ? "empty" : type.kindName), not a resource type such as AWS::SNS::Topic"
        }
        for attribute in attributes {
            let value = attribute.value
            switch attribute.key {
            case "Properties", "Metadata", "CreationPolicy", "UpdatePolicy":
                if value.members == nil { return "resource \(key)'s \(attribute.key) is \(value.kindName), not a mapping" }
            case "DependsOn":
                let names = value.elements ?? [value]
                if !names.allSatisfy({ $0.stringValue != nil }) {
                    return "resource \(key)'s DependsOn is \(value.kindName), not a resource's logical ID or a list of them"
                }
            case "Condition":
                if value.stringValue == nil { return "resource \(key)'s Condition is \(value.kindName), not a condition's name" }
            case "DeletionPolicy", "UpdateReplacePolicy":
                if value.stringValue == nil && value.members == nil {
                    return "resource \(key)'s \(attribute.key) is \(value.kindName), not a policy such as Retain"
                }
            default:
                break
            }
        }
        return nil
    }

    /// `a mapping`, `a list`, `a string`, … for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}
