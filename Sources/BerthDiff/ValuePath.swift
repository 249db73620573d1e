import BerthTemplate

/// Where a value sits inside a template entry: keys and list indexes, `Properties.Rules[0].Port`.
public struct ValuePath: Sendable, Hashable, CustomStringConvertible {
    /// A key or a list index; keys are the same when their code points are (`ExactText`).
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)

        public static func == (lhs: Component, rhs: Component) -> Bool {
            switch (lhs, rhs) {
            case (.key(let left), .key(let right)): ExactText(left) == ExactText(right)
            case (.index(let left), .index(let right)): left == right
            default: false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case .key(let key): hasher.combine(ExactText(key))
            case .index(let index): hasher.combine(index)
            }
        }
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public func appending(_ component: Component) -> ValuePath {
        ValuePath(components + [component])
    }

    /// Whether `self` starts with `prefix`.
    public func hasPrefix(_ prefix: ValuePath) -> Bool {
        components.starts(with: prefix.components)
    }

    /// The path without a leading `Properties`, as people read resource changes.
    public var withoutProperties: ValuePath {
        components.first == .key("Properties") ? ValuePath(Array(components.dropFirst())) : self
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
