import BerthTemplate

/// One changed value inside a resource, parameter, condition or output.
public struct ValueChange: Sendable, Hashable {
    public var path: ValuePath
    /// `nil` when the value is added.
    public var old: JSONValue?
    /// `nil` when the value is removed.
    public var new: JSONValue?
    public var replacement: Replacement
    /// Set when the text is the same but the value changes through a reference:
    /// "ImageTag changes", "TaskDefinition is replaced".
    public var cause: String?

    public init(path: ValuePath, old: JSONValue?, new: JSONValue?, replacement: Replacement = .never, cause: String? = nil) {
        self.path = path
        self.old = old
        self.new = new
        self.replacement = replacement
        self.cause = cause
    }
}
