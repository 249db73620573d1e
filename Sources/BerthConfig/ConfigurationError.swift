import BerthTemplate

/// The configuration could not be read: every mistake found, each with its file, line and column.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var errors: [SourceError]

    public init(errors: [SourceError]) { self.errors = errors }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
