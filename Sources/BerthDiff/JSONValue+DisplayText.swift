import BerthTemplate

extension JSONValue {
    /// A value as one line of text: strings as they are, `${Name}` for a `Ref`, `${Name.Attribute}`
    /// for an `Fn::GetAtt`, the text of an `Fn::Sub`, and compact JSON for anything else.
    public var displayText: String {
        if let text = scalarText { return text }
        if let name = self["Ref"]?.stringValue, isIntrinsic { return "${\(name)}" }
        if let parts = self["Fn::GetAtt"]?.elements?.compactMap(\.stringValue), parts.count == 2 { return "${\(parts[0]).\(parts[1])}" }
        if let text = self["Fn::GetAtt"]?.stringValue { return "${\(text)}" }
        if let text = self["Fn::Sub"]?.subArguments.text, self["Fn::Sub"]?.subArguments.variables == nil { return text }
        if let parts = self["Fn::Join"]?.elements, parts.count == 2, let separator = parts[0].stringValue, let list = parts[1].elements {
            return list.map(\.displayText).joined(separator: separator)
        }
        return jsonText(pretty: false)
    }
}
