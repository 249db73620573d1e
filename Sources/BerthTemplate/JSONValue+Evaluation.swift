extension JSONValue {
    /// A scalar as CloudFormation passes it on: its text.
    public var scalarText: String? {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// The text and variable map of an `Fn::Sub` argument (`"text"` or `["text", {…}]`).
    public var subArguments: (text: String?, variables: [Member]?) {
        if let text = stringValue { return (text, nil) }
        let elements = elements ?? []
        return (elements.first?.stringValue, elements.count > 1 ? elements[1].members : nil)
    }
}
