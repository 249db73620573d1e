import BerthAWS

/// The events of several log groups as one sequence, oldest first. FilterLogEvents returns a
/// group's events sorted by their timestamps (CloudWatch Logs' API reference), so holding the
/// next event of each group is enough to merge them: memory stays at a page per group, however
/// long the window, and the first events are shown while later pages are read. Of two events
/// with one timestamp, the earlier group's goes first. A group that does not exist
/// (ResourceNotFoundException: deleted, or not made yet) gives none.
struct MergedLogEvents {
    /// A group to read: its name, the service it logs, and its events.
    struct Source {
        let group: String
        let service: String
        let events: Paginated<LogsClient.Event>
    }

    private let sources: [Source]
    private var iterators: [Paginated<LogsClient.Event>.AsyncIterator]
    private var heads: [LogsClient.Event?]
    private var started = false

    init(_ sources: [Source]) {
        self.sources = sources
        iterators = sources.map { $0.events.makeAsyncIterator() }
        heads = Array(repeating: nil, count: sources.count)
    }

    /// The oldest event not yet returned, with its group; `nil` once every group is read.
    mutating func next() async throws -> (group: String, entry: LogTail.Entry)? {
        if !started {
            started = true
            for index in sources.indices { heads[index] = try await advance(index) }
        }
        var oldest: (index: Int, timestamp: Int64)?
        for (index, head) in heads.enumerated() {
            guard let head else { continue }
            let timestamp = head.timestamp ?? 0
            if oldest.map({ timestamp < $0.timestamp }) ?? true { oldest = (index, timestamp) }
        }
        guard let oldest, let event = heads[oldest.index] else { return nil }
        heads[oldest.index] = try await advance(oldest.index)
        let source = sources[oldest.index]
        return (source.group, LogTail.Entry(service: source.service, event: event))
    }

    private mutating func advance(_ index: Int) async throws -> LogsClient.Event? {
        do {
            return try await iterators[index].next()
        } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
            return nil
        }
    }
}
