import BerthTemplate

extension JSONValue {
    /// A value as one line of text: strings as they are, `${Name}` for a `Ref`, `${Name.Attribute}`
    /// for an `Fn::GetAtt`, the text of an `Fn::Sub`, and compact JSON for anything else.
    public var displayText: String {
        if let text = scalarText { return text }
        if let name = self["Ref"]?.stringValue, isIntrinsic { return "${\(name)}" }
        if let parts = self["Fn::GetAtt"]?.elements?.compactMap(\.stringValue), parts.count == 2 { return "${\(parts[0]).\(parts[1])}" }
        if let text = self["Fn::GetAtt"]?.stringValue { return "${\(text)}" }
        if let text = self["Fn::Sub"]?.subArguments.text, self["Fn::Sub"]?.subArguments.variables?.isEmpty ?? true { return text }
        if let parts = self["Fn::Join"]?.elements, parts.count == 2, let separator = parts[0].stringValue, let list = parts[1].elements {
            return list.map(\.displayText).joined(separator: separator)
        }
        return jsonText(pretty: false)
    }

    /// The most bytes of one value a rendering shows: a template can repeat a long value
    /// through YAML aliases, and a diff must not print it thousands of times whole.
    public static let displayLimit = 4096

    /// `displayText`, cut at `displayLimit` bytes (at a character boundary) with how much was left out.
    public var boundedDisplayText: String { displayText.boundedForDisplay }

    /// The value itself when its compact JSON fits `displayLimit`, else a string saying its size.
    public var boundedForDisplay: JSONValue {
        let size = jsonText(pretty: false).utf8.count
        return size > Self.displayLimit ? .string("(a value of \(size) bytes of JSON, not shown)") : self
    }
}
