import Foundation

extension Task where Failure == any Error {
    /// The task's value, for one of several callers that share the task: a caller cancelled
    /// meanwhile (an interrupt, a timeout) stops waiting at once with a `CancellationError`, and
    /// the task runs on, uncancelled, for the others (a clean-up that signs its calls with the
    /// same credentials, say).
    func valueUnlessCancelled() async throws -> Success {
        let waiter = SharedTaskWaiter<Success>()
        Task<Void, Never> { waiter.finish(await self.result) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiter.wait($0) }
        } onCancel: {
            waiter.finish(.failure(_Concurrency.CancellationError()))
        }
    }
}

/// One caller's wait for a shared task: resumed once, by the task's outcome or by the caller's
/// cancellation, whichever comes first.
private final class SharedTaskWaiter<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var outcome: Result<Value, any Error>?

    func wait(_ continuation: CheckedContinuation<Value, any Error>) {
        let ready: Result<Value, any Error>? = lock.withLock {
            if outcome == nil { self.continuation = continuation }
            return outcome
        }
        if let ready { continuation.resume(with: ready) }
    }

    func finish(_ result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = lock.withLock {
            guard outcome == nil else { return nil }
            outcome = result
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
