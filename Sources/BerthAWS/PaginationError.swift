/// A paged answer that would never end: the server handed back a page token it had already
/// given, or more pages than any real listing has.
public struct PaginationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The paged call (`FilterLogEvents`).
    public let operation: String
    /// How many pages were read before stopping.
    public let pages: Int
    /// Whether the server repeated a token (else: too many pages).
    public let repeatedToken: Bool

    public var description: String {
        repeatedToken
            ? "\(operation): the server repeated a page token after \(pages) pages; stopped instead of reading the same pages for ever"
            : "\(operation): the answer ran past \(pages) pages; stopped"
    }
}
