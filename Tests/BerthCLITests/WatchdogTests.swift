import Foundation
import Testing

@testable import BerthCLI

/// The watchdog behind every command's deadline runs on a thread of its own: it fires while the
/// cooperative pool is busy with work that never suspends, after a first signal's grace or soon
/// after a second signal, and never once disarmed.
@Suite struct WatchdogTests {
    /// What the watchdog did, and a signal count the test raises.
    final class Probe: @unchecked Sendable {
        private let lock = NSLock()
        private var fired: Bool?
        private var count = 0
        var firedInterrupted: Bool? { lock.withLock { fired } }
        var signals: Int { lock.withLock { count } }
        func fire(_ interrupted: Bool) { lock.withLock { fired = interrupted } }
        func signal() { lock.withLock { count += 1 } }
    }

    @Test func itFiresAtTheDeadlineWhileEveryPoolThreadSpins() async {
        let probe = Probe()
        let watchdog = Watchdog(deadline: .now + .milliseconds(200), afterSignal: .seconds(600), signals: { probe.signals }) { probe.fire($0) }
        defer { watchdog.disarm() }
        // Every pool thread spins without a suspension point until the watchdog has fired (10 s at most).
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(2, ProcessInfo.processInfo.activeProcessorCount) {
                group.addTask {
                    let end = ContinuousClock.now + .seconds(10)
                    while probe.firedInterrupted == nil && ContinuousClock.now < end {}
                }
            }
        }
        #expect(probe.firedInterrupted == false)
    }

    @Test func aSecondSignalFiresItLongBeforeTheFirstOnesGrace() async throws {
        let probe = Probe()
        let watchdog = Watchdog(deadline: .now + .seconds(600), afterSignal: .seconds(600), signals: { probe.signals }) { probe.fire($0) }
        defer { watchdog.disarm() }
        probe.signal()
        try await Task.sleep(for: .milliseconds(300))
        #expect(probe.firedInterrupted == nil)
        probe.signal()
        try await waitUntilFired(probe)
        #expect(probe.firedInterrupted == true)
    }

    @Test func aFirstSignalFiresItAfterItsGrace() async throws {
        let probe = Probe()
        let watchdog = Watchdog(deadline: .now + .seconds(600), afterSignal: .milliseconds(300), signals: { probe.signals }) { probe.fire($0) }
        defer { watchdog.disarm() }
        try await Task.sleep(for: .milliseconds(500))
        #expect(probe.firedInterrupted == nil)
        probe.signal()
        try await waitUntilFired(probe)
        #expect(probe.firedInterrupted == true)
    }

    @Test func aDisarmedWatchdogNeverFires() async throws {
        let probe = Probe()
        let watchdog = Watchdog(deadline: .now + .milliseconds(300), afterSignal: .seconds(600), signals: { probe.signals }) { probe.fire($0) }
        watchdog.disarm()
        try await Task.sleep(for: .milliseconds(800))
        #expect(probe.firedInterrupted == nil)
    }

    private func waitUntilFired(_ probe: Probe) async throws {
        let end = ContinuousClock.now + .seconds(20)
        while probe.firedInterrupted == nil && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
    }
}
