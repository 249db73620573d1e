/// The items of a paged API call, fetched a page at a time as they are iterated.
public struct Paginated<Element: Sendable>: AsyncSequence, Sendable {
    /// Fetches the page after `token` (`nil` for the first) and returns its items and the next token.
    public typealias FetchPage = @Sendable (_ token: String?) async throws -> (items: [Element], next: String?)

    /// The call that fetches the pages (`DescribeStacks`), for the error of one that never ends.
    let operation: String
    let fetch: FetchPage

    public init(_ operation: String, fetch: @escaping FetchPage) {
        self.operation = operation
        self.fetch = fetch
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let operation: String
        let fetch: FetchPage
        var buffer: [Element] = []
        var index = 0
        var next: String?
        var started = false
        var tokens = PageTokens()

        public mutating func next() async throws -> Element? {
            while index >= buffer.count {
                if started && next == nil { return nil }
                let page = try await fetch(next)
                started = true
                buffer = page.items
                index = 0
                next = page.next.flatMap { $0.isEmpty ? nil : $0 }
                try tokens.follow(next, of: operation)
                if buffer.isEmpty && next == nil { return nil }
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(operation: operation, fetch: fetch) }

    /// Every item of every page.
    public func collect() async throws -> [Element] {
        var items: [Element] = []
        for try await item in self { items.append(item) }
        return items
    }
}
