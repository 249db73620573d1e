/// A parameter whose value changes; `nil` when it has none on that side.
public struct ParameterValueChange: Sendable, Hashable {
    public var name: String
    public var old: String?
    public var new: String?
}
