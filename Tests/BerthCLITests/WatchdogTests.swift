import BerthTestSupport
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

    /// The decisions themselves, at instants the test chooses: no time passes.
    @Test func aSecondSignalFiresItLongBeforeTheFirstOnesGrace() {
        let start = ContinuousClock.now
        var state = WatchdogState(deadline: start + .seconds(600), afterSignal: .seconds(600), initialSignals: 3)
        #expect(state.look(at: start, signals: 3) == nil)
        #expect(state.look(at: start + .milliseconds(300), signals: 4) == nil)
        #expect(state.look(at: start + .milliseconds(400), signals: 5) == nil)
        #expect(state.look(at: start + .milliseconds(2_399), signals: 5) == nil)
        #expect(state.look(at: start + .milliseconds(2_400), signals: 5) == true)
    }

    @Test func aFirstSignalFiresItAfterItsGrace() {
        let start = ContinuousClock.now
        var state = WatchdogState(deadline: start + .seconds(600), afterSignal: .milliseconds(300), initialSignals: 0)
        // No signal: nothing fires before the deadline, however long it waits.
        #expect(state.look(at: start + .seconds(500), signals: 0) == nil)
        #expect(state.look(at: start + .seconds(500), signals: 1) == nil)
        #expect(state.look(at: start + .seconds(500) + .milliseconds(299), signals: 1) == nil)
        #expect(state.look(at: start + .seconds(500) + .milliseconds(300), signals: 1) == true)
    }

    @Test func theDeadlineFiresItUninterrupted() {
        let start = ContinuousClock.now
        var state = WatchdogState(deadline: start + .seconds(10), afterSignal: .seconds(600), initialSignals: 0)
        #expect(state.look(at: start + .seconds(9), signals: 0) == nil)
        #expect(state.look(at: start + .seconds(10), signals: 0) == false)
    }

    /// The thread, disarmed before its deadline: it stops without firing.
    @Test func aDisarmedWatchdogNeverFires() async throws {
        let probe = Probe()
        let watchdog = Watchdog(deadline: .now + .milliseconds(300), afterSignal: .seconds(600), signals: { probe.signals }) { probe.fire($0) }
        watchdog.disarm()
        try await waitUntil("the watchdog's thread to stop") { watchdog.hasStopped }
        #expect(probe.firedInterrupted == nil)
    }

    /// The thread, signalled: it fires as interrupted once the grace has passed.
    @Test func theThreadFiresOnASignal() async throws {
        let probe = Probe()
        let watchdog = Watchdog(deadline: .now + .seconds(600), afterSignal: .milliseconds(200), signals: { probe.signals }) { probe.fire($0) }
        defer { watchdog.disarm() }
        probe.signal()
        try await waitUntilFired(probe)
        #expect(probe.firedInterrupted == true)
        try await waitUntil("the watchdog's thread to stop") { watchdog.hasStopped }
    }

    private func waitUntilFired(_ probe: Probe) async throws {
        let end = ContinuousClock.now + .seconds(20)
        while probe.firedInterrupted == nil && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
    }
}
