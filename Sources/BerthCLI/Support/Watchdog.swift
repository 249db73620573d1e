import Foundation

/// The last resort behind `CommandDeadline`: a thread of its own, outside Swift's cooperative
/// pool, that ends the process when the work outlasts its deadline or a signal by far. Work that
/// keeps every pool thread busy without ever suspending also keeps the tasks that would end it
/// from running; this thread still runs.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var disarmed = false
    private var stopped = false

    /// Starts the thread. It calls `fire(false)` at `deadline`, or `fire(true)` once `afterSignal`
    /// has passed since `signals()` first changed from what it is now (2 s after a second
    /// change), as `WatchdogState` decides, and then stops; it stops without firing once disarmed.
    init(
        deadline: ContinuousClock.Instant, afterSignal: Duration, signals: @escaping @Sendable () -> Int,
        fire: @escaping @Sendable (_ interrupted: Bool) -> Void
    ) {
        let initial = signals()
        let thread = Thread { [self] in
            var state = WatchdogState(deadline: deadline, afterSignal: afterSignal, initialSignals: initial)
            defer { lock.withLock { stopped = true } }
            while !isDisarmed {
                if let interrupted = state.look(at: .now, signals: signals()) {
                    if !isDisarmed { fire(interrupted) }
                    return
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        thread.start()
    }

    private var isDisarmed: Bool { lock.withLock { disarmed } }

    /// Whether the thread has ended (fired, or seen that it was disarmed).
    var hasStopped: Bool { lock.withLock { stopped } }

    /// Stops the thread without firing.
    func disarm() { lock.withLock { disarmed = true } }
}
