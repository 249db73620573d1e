/// The page tokens a paged read has followed, kept as hashes (a server's tokens can be large,
/// and only a repeat matters): a repeated token or more than `maximumPages` pages stop the read
/// with a `PaginationError` instead of reading for ever.
struct PageTokens {
    /// More pages than any listing Berth reads has (10,000 pages of 100 or more items).
    static let maximumPages = 10_000

    private var seen: Set<Int> = []

    /// Records the token that leads to the next page of `operation` (`nil` at the last page);
    /// throws when the server repeated it or the read has reached `maximumPages`.
    mutating func follow(_ token: String?, of operation: String) throws(PaginationError) {
        guard let token else { return }
        guard seen.insert(token.hashValue).inserted else {
            throw PaginationError(operation: operation, pages: seen.count + 1, repeatedToken: true)
        }
        guard seen.count < Self.maximumPages else { throw PaginationError(operation: operation, pages: seen.count + 1, repeatedToken: false) }
    }
}
