/// How a wait passes time: the sleep between polls, and the clock its deadline is read on.
/// Tests pass one that does not sleep, or that advances a clock of their own.
public struct PollClock: Sendable {
    public let sleep: @Sendable (Duration) async throws -> Void
    public let now: @Sendable () -> ContinuousClock.Instant

    public init(
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.sleep = sleep
        self.now = now
    }

    /// Real time: `Task.sleep` and the continuous clock.
    public static let system = PollClock(sleep: { try await Task.sleep(for: $0) })
}
