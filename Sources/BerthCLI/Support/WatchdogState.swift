/// What the watchdog decides at each look, as a value: fire at the deadline, `afterSignal` after
/// the first signal, or 2 s after a second one; until then, keep watching.
struct WatchdogState {
    let deadline: ContinuousClock.Instant
    let afterSignal: Duration
    /// The signal count when the watchdog started: only signals after it count.
    let initialSignals: Int
    private var first: ContinuousClock.Instant?
    private var second: ContinuousClock.Instant?

    init(deadline: ContinuousClock.Instant, afterSignal: Duration, initialSignals: Int) {
        self.deadline = deadline
        self.afterSignal = afterSignal
        self.initialSignals = initialSignals
    }

    /// The look at `now`, with the signal count then: `nil` to keep watching, else whether to
    /// fire as interrupted (`true`) or at the deadline (`false`).
    mutating func look(at now: ContinuousClock.Instant, signals: Int) -> Bool? {
        let count = signals - initialSignals
        if count >= 1, first == nil { first = now }
        if count >= 2, second == nil { second = now }
        let interrupted = first.map { now >= $0 + afterSignal } == true || second.map { now >= $0 + .seconds(2) } == true
        return interrupted || now >= deadline ? interrupted : nil
    }
}
