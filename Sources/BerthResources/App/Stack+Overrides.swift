import BerthTemplate

/// The escape hatch: change what a construct synthesized, by resource and property path, the
/// way CDK's `addPropertyOverride` does. Every change is validated with the rest of the stack:
/// a resource or path that does not exist is a problem that synth reports, never a silent no-op.
extension Stack {
    /// Sets a property of the resource `logicalID`: `path` is dot-separated, with list indexes
    /// as numbers (`ContainerDefinitions.0.Cpu`); missing objects on the way are created.
    public mutating func override(_ logicalID: String, _ path: String, with value: any TemplateValueConvertible) {
        let json = value.templateValue
        guard !Self.holdsNonFiniteNumber(json) else {
            // JSON has no NaN or infinity: it would be written as null.
            report("Resources.\(logicalID).Properties.\(path)", "a number that is not finite (NaN or infinity), which a template cannot hold")
            return
        }
        edit(logicalID, path) { properties, keys in
            properties.setting(keys[...], to: json)
        }
    }

    private static func holdsNonFiniteNumber(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let number): !number.isFinite
        case .array(let elements): elements.contains(where: holdsNonFiniteNumber)
        case .object(let members): members.contains { holdsNonFiniteNumber($0.value) }
        default: false
        }
    }

    /// Removes a property of the resource `logicalID` (same paths as `override`).
    public mutating func removeProperty(_ logicalID: String, _ path: String) {
        edit(logicalID, path) { properties, keys in
            properties.removing(keys[...])
        }
    }

    private mutating func edit(_ logicalID: String, _ path: String, _ change: (JSONValue, [String]) -> JSONValue?) {
        let location = "Resources.\(logicalID).Properties.\(path)"
        guard let index = template.resources.firstIndex(where: { $0.name == logicalID }) else {
            report(location, "no resource \(logicalID) to override; the stack has \(template.resources.map(\.name).joined(separator: ", "))")
            return
        }
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !keys.contains(where: \.isEmpty) else {
            report(location, "is not a property path such as ContainerDefinitions.0.Cpu")
            return
        }
        guard let changed = change(template.resources[index].value.properties, keys) else {
            report(location, "does not exist in \(logicalID), or goes through a value that is not an object or list")
            return
        }
        template.resources[index].value.properties = changed
    }
}

extension JSONValue {
    /// This value with `value` at `keys`, creating objects on the way; `nil` when the path goes
    /// through a scalar or past the end of a list.
    fileprivate func setting(_ keys: ArraySlice<String>, to value: JSONValue) -> JSONValue? {
        guard let key = keys.first else { return value }
        switch self {
        case .object(var members):
            if let index = members.firstIndex(where: { $0.key == key }) {
                guard let child = members[index].value.setting(keys.dropFirst(), to: value) else { return nil }
                members[index].value = child
            } else {
                guard let child = JSONValue.object([]).setting(keys.dropFirst(), to: value) else { return nil }
                members.append(Member(key, child))
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index),
                let child = elements[index].setting(keys.dropFirst(), to: value)
            else { return nil }
            elements[index] = child
            return .array(elements)
        default:
            return nil
        }
    }

    /// This value without what `keys` lead to; `nil` when there is nothing there.
    fileprivate func removing(_ keys: ArraySlice<String>) -> JSONValue? {
        guard let key = keys.first else { return nil }
        switch self {
        case .object(var members):
            guard let index = members.firstIndex(where: { $0.key == key }) else { return nil }
            if keys.count == 1 {
                members.remove(at: index)
            } else {
                guard let child = members[index].value.removing(keys.dropFirst()) else { return nil }
                members[index].value = child
            }
            return .object(members)
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { return nil }
            if keys.count == 1 {
                elements.remove(at: index)
            } else {
                guard let child = elements[index].removing(keys.dropFirst()) else { return nil }
                elements[index] = child
            }
            return .array(elements)
        default:
            return nil
        }
    }
}
