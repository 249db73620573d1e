/// Anything that renders to a template value: literals, intrinsic functions, typed properties.
public protocol TemplateValueConvertible: Sendable {
    /// The value as it appears in the template.
    var templateValue: JSONValue { get }
}

extension JSONValue: TemplateValueConvertible {
    @inlinable public var templateValue: JSONValue { self }
}

extension String: TemplateValueConvertible {
    @inlinable public var templateValue: JSONValue { .string(self) }
}

extension Int: TemplateValueConvertible {
    @inlinable public var templateValue: JSONValue { .int(self) }
}

extension Double: TemplateValueConvertible {
    @inlinable public var templateValue: JSONValue { .double(self) }
}

extension Bool: TemplateValueConvertible {
    @inlinable public var templateValue: JSONValue { .bool(self) }
}

extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    @inlinable public var templateValue: JSONValue { .array(map { $0.templateValue }) }
}

extension Dictionary: TemplateValueConvertible where Key == String, Value: TemplateValueConvertible {
    /// A map renders with its keys sorted, so that output does not depend on hashing.
    @inlinable public var templateValue: JSONValue {
        .object(sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, $0.value.templateValue) })
    }
}
