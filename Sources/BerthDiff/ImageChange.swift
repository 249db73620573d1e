/// A container whose image changes.
public struct ImageChange: Sendable, Hashable {
    /// The task definition's logical ID.
    public var taskDefinition: String
    public var container: String
    /// `nil` when the stack is not deployed.
    public var old: String?
    public var new: String

    /// `repo:old → new` when only the tag (or only the digest) changes, `old → new` otherwise.
    public var summary: String {
        guard let old else { return new }
        let (oldRepository, oldReference) = Self.split(old)
        let (newRepository, newReference) = Self.split(new)
        if oldRepository == newRepository, let oldReference, let newReference, oldReference.first == newReference.first {
            return "\(oldRepository)\(oldReference) → \(newReference.dropFirst())"
        }
        return "\(old) → \(new)"
    }

    /// The repository and the `:tag` or `@digest` after it.
    static func split(_ image: String) -> (String, String?) {
        if let at = image.lastIndex(of: "@") { return (String(image[..<at]), String(image[at...])) }
        let lastSlash = image.lastIndex(of: "/") ?? image.startIndex
        if let colon = image[lastSlash...].lastIndex(of: ":") { return (String(image[..<colon]), String(image[colon...])) }
        return (image, nil)
    }
}
