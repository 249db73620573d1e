import CBerthShims
import Foundation

/// Runs the AWS part of a command under its `--timeout` and Ctrl-C (or SIGTERM).
///
/// A signal only raises a flag, which cancels the work: CloudFormation is never interrupted.
/// At the deadline the work is cancelled too, and given a few seconds to clean up (a diff
/// deletes its preview change set); the command then ends with exit status 4 even if a call is
/// still waiting on a server that never answers.
enum CommandDeadline {
    /// How long cancelled work may take to finish cleaning up.
    static let grace: Duration = .seconds(5)

    static func run<T: Sendable>(
        within limit: Duration, whenInterrupted: String, whenTimedOut: String,
        _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await work() }
        let watcher = cancelOnSignals(task)
        defer {
            watcher.cancel()
            berth_signals_restore()
        }
        let outcome = Outcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.continuation = continuation
            Task {
                do {
                    outcome.finish(.success(try await task.value))
                } catch is CancellationError where outcome.timedOut {
                    outcome.finish(.failure(CommandFailure(.timedOut, whenTimedOut)))
                } catch is CancellationError {
                    outcome.finish(.failure(CommandFailure(.interrupted, whenInterrupted)))
                } catch {
                    outcome.finish(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                guard outcome.markTimedOut() else { return }
                task.cancel()
                try? await Task.sleep(for: grace)
                outcome.finish(.failure(CommandFailure(.timedOut, whenTimedOut)))
            }
        }
    }

    /// Ctrl-C and SIGTERM are counted while the work runs; a watcher turns a new one into the
    /// cancellation of `task`.
    static func cancelOnSignals<Success>(_ task: Task<Success, any Error>) -> Task<Void, Never> {
        berth_signals_install()
        let before = berth_signals_count()
        return Task {
            while !Task.isCancelled {
                if berth_signals_count() != before {
                    task.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// The one answer the caller gets, whichever of the work and the deadline comes first.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var answered = false
        private var deadlinePassed = false
        var continuation: CheckedContinuation<T, any Error>?

        var timedOut: Bool { lock.withLock { deadlinePassed } }

        /// Records that the deadline came first; `false` when the work had already answered.
        func markTimedOut() -> Bool {
            lock.withLock {
                guard !answered else { return false }
                deadlinePassed = true
                return true
            }
        }

        func finish(_ result: Result<T, any Error>) {
            let continuation: CheckedContinuation<T, any Error>? = lock.withLock {
                guard !answered else { return nil }
                answered = true
                return self.continuation
            }
            continuation?.resume(with: result)
        }
    }
}
