import Foundation

/// Waits until `condition` holds, asking every `interval`, for what a test must not race: a
/// state of a server or a process it does not control. Throws, naming `what`, when `timeout`
/// passes first. A test waits on this, never on a fixed sleep.
public func waitUntil(
    _ what: @autoclosure () -> String, timeout: Duration = .seconds(20), interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestServerError("gave up after \(timeout) waiting for \(what())") }
        try await Task.sleep(for: interval)
    }
}
