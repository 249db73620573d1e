import Foundation

/// The last resort behind `CommandDeadline`: a thread of its own, outside Swift's cooperative
/// pool, that ends the process when the work outlasts its deadline or a signal by far. Work that
/// keeps every pool thread busy without ever suspending also keeps the tasks that would end it
/// from running; this thread still runs.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var disarmed = false

    /// Starts the thread. It calls `fire(false)` at `deadline`, or `fire(true)` once `afterSignal`
    /// has passed since `signals()` first changed from what it is now (2 s after a second
    /// change), and then stops; it stops without firing once disarmed.
    init(
        deadline: ContinuousClock.Instant, afterSignal: Duration, signals: @escaping @Sendable () -> Int,
        fire: @escaping @Sendable (_ interrupted: Bool) -> Void
    ) {
        let initial = signals()
        let thread = Thread { [self] in
            var first: ContinuousClock.Instant?
            var second: ContinuousClock.Instant?
            while !isDisarmed {
                let now = ContinuousClock.now
                let count = signals() - initial
                if count >= 1, first == nil { first = now }
                if count >= 2, second == nil { second = now }
                let interrupted = first.map { now >= $0 + afterSignal } == true || second.map { now >= $0 + .seconds(2) } == true
                if interrupted || now >= deadline {
                    if !isDisarmed { fire(interrupted) }
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        thread.start()
    }

    private var isDisarmed: Bool { lock.withLock { disarmed } }

    /// Stops the thread without firing.
    func disarm() { lock.withLock { disarmed = true } }
}
