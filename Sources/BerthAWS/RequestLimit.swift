/// At most `limit` requests of one client in flight, each on a thread of its own; the others
/// wait their turn, first come first served. An app of hundreds of services reads them side by
/// side (`berth status`, `berth diff`) without a thread, and a connection, for each at once.
actor RequestLimit {
    private let limit: Int
    private var inFlight = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ limit: Int) { self.limit = max(1, limit) }

    /// Waits for a turn. A task cancelled while it waits still gets its turn: its read then
    /// stops before it is sent (its stop flag is up from the start), and its write is sent (a
    /// call that changes something is let finish).
    func enter() async {
        guard inFlight >= limit else {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Ends a turn: the longest waiting request takes it.
    func leave() {
        if waiting.isEmpty {
            inFlight -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
