import BerthModel
import BerthTemplate

/// The values of a task definition's plain environment variables that look secret (by their
/// name, or a URL with a password): a diff shows that they change, never what they are, as synth
/// warns about them without quoting them. A diff's text and JSON land in CI logs and pull
/// requests.
enum SecretValues {
    /// What a diff shows in place of such a value.
    static func withheld(_ name: String) -> JSONValue { .string("(withheld: \(name) looks like a secret)") }

    /// `change` of a task definition with the values of secret-looking variables withheld:
    /// those it holds (an entry added, a container changed whole), and the one it is (an entry's
    /// `Value`, whose `Name` is read from the resource as it was and as it will be).
    static func masked(_ change: ValueChange, before: JSONValue, after: JSONValue) -> ValueChange {
        var change = change
        let components = change.path.components
        if components.count >= 3, components.last == .key("Value"), case .index = components[components.count - 2],
            components[components.count - 3] == .key("Environment")
        {
            // Each side by its own entry's name: sorted entries may shift under one path.
            let entry = ValuePath(Array(components.dropLast()))
            func side(_ value: JSONValue?, in resource: JSONValue) -> JSONValue? {
                guard let value else { return nil }
                let name = resource.value(at: entry)?["Name"]?.stringValue
                let secret = name.map(SecretNames.looksSecret) == true || SecretNames.holdsURLPassword(value.stringValue ?? "")
                return secret ? withheld(name ?? "the value") : value
            }
            change.old = side(change.old, in: before)
            change.new = side(change.new, in: after)
            return change
        }
        change.old = change.old.map(masked)
        change.new = change.new.map(masked)
        return change
    }

    /// `value` with the `Value` of every `{Name, Value}` object in it that looks secret withheld.
    static func masked(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            if let name = value["Name"]?.stringValue, let secret = value["Value"]?.stringValue,
                SecretNames.looksSecret(name) || SecretNames.holdsURLPassword(secret)
            {
                return .object(members.map { $0.key == "Value" ? .init($0.key, withheld(name)) : $0 })
            }
            return .object(members.map { .init($0.key, masked($0.value)) })
        case .array(let elements):
            return .array(elements.map(masked))
        default:
            return value
        }
    }
}
