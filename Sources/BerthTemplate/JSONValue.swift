/// A JSON value whose objects keep their keys in insertion order.
///
/// Templates are built and compared as `JSONValue`s; the order of object keys is the order
/// in which they were added, so the same input always renders to the same bytes.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One key of an object and its value.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// An object from key/value pairs, in the given order; `nil` values are left out.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var members: [Member] = []
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            if let value { members.append(Member(key, value)) }
        }
        return .object(members)
    }

    /// An object from key/value pairs, in the given order; `nil` values are left out.
    public static func object(pairs: consuming [(String, JSONValue?)]) -> JSONValue {
        // Generated property types list every property, most of them unset: sized to the set ones.
        var count = 0
        for index in pairs.indices where pairs[index].1 != nil { count += 1 }
        var members: [Member] = []
        members.reserveCapacity(count)
        // Moved out from the end, so that the pairs' array is freed empty: no pair is copied,
        // and none destroyed one by one through the runtime's generic tuple destructor.
        while let (key, value) = pairs.popLast() {
            if let value { members.append(Member(key, value)) }
        }
        members.reverse()
        return .object(members)
    }

    /// The value of `key` when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The members when this is an object.
    public var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements when this is an array.
    public var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member($0.0, $0.1) })
    }
}
