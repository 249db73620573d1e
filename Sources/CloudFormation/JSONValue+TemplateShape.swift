extension JSONValue {
    /// What keeps this value from being a CloudFormation template, or `nil` when it has a
    /// template's shape: a mapping whose `Resources` is a mapping of resources, each a mapping
    /// with a string `Type`, and whose other sections are mappings. (The values inside are not
    /// checked: that is what comparing them is for.)
    public var templateShapeProblem: String? {
        guard case .object(let sections) = self else {
            return "the document is \(kindName), not a mapping of sections such as Resources"
        }
        for section in sections where ["Parameters", "Mappings", "Conditions", "Outputs", "Rules", "Metadata"].contains(section.key) {
            if section.value.members == nil { return "\(section.key) is \(section.value.kindName), not a mapping" }
        }
        guard let resources = self["Resources"] else { return "it has no Resources" }
        guard let entries = resources.members else { return "Resources is \(resources.kindName), not a mapping" }
        for entry in entries {
            guard entry.value.members != nil else { return "resource \(entry.key) is \(entry.value.kindName), not a mapping" }
            guard entry.value["Type"]?.stringValue != nil else { return "resource \(entry.key) has no Type" }
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
