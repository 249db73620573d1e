import BerthDeploy
import CBerthShims
import Foundation

/// Runs the AWS part of a command under its `--timeout` and Ctrl-C (or SIGTERM).
///
/// A signal only raises a flag, which cancels the work: CloudFormation is never interrupted.
/// At the deadline the work is cancelled too. Either way it is given time to clean up (a diff
/// deletes its preview change set, a job's run stops its task); the command then ends with exit
/// status 130 or 4 even if a call is still waiting on a server that never answers. After a
/// signal, a second one ends the wait at once.
enum CommandDeadline {
    /// How long cancelled work may take to finish cleaning up after the deadline.
    static let grace: Duration = .seconds(5)
    /// How long it may take after a signal (unless a second signal comes): a task's StopTask is
    /// retried with backoff, and its note that the task was stopped is worth the wait.
    static let interruptGrace: Duration = .seconds(30)
    /// How long past those the `Watchdog` waits before it ends the process itself.
    static let lastResortMargin: Duration = .seconds(10)
    /// What the command adds when it ends before the work's own clean-up did.
    static let unfinishedCleanUp =
        "Berth stopped waiting for its clean-up: a job's task it started may still run (berth status shows it; aws ecs stop-task stops it), "
        + "a change set of a deploy or a diff's preview may be left (it is never executed), and a repository's tags or policy that an update "
        + "removed may not be put back (berth diff of its repository stack shows them)"

    /// `message` and `more` as one message: `…; more`, without a stop before the semicolon.
    static func joined(_ message: String, _ more: String) -> String {
        (message.hasSuffix(".") ? String(message.dropLast()) : message) + "; " + more
    }

    /// `whenInterrupted` and `whenTimedOut` are worded when the work ends, so that they can say
    /// what it had under way.
    static func run<T: Sendable>(
        within limit: Duration, whenInterrupted: @autoclosure @escaping @Sendable () -> String,
        whenTimedOut: @autoclosure @escaping @Sendable () -> String,
        _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await work() }
        let outcome = Outcome<T>()
        let watcher = cancelOnSignals(task) { signals in
            let end = ContinuousClock.now + interruptGrace
            while ContinuousClock.now < end, berth_signals_count() == signals, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
            }
            guard !Task.isCancelled else { return }
            outcome.finish(.failure(CommandFailure(.interrupted, joined(whenInterrupted(), unfinishedCleanUp))))
        }
        // The last resort, should CPU-bound work keep the tasks above from running: 10 s past
        // what they allow, the process ends. Only when berth is the process: a program that runs
        // berth's commands in-process (its tests) is not ended.
        let watchdog = (try? Berth.currentContext())?.exitsAfterward == true
            ? Watchdog(
                deadline: .now + limit + grace + lastResortMargin, afterSignal: interruptGrace + lastResortMargin,
                signals: { Int(berth_signals_count()) }
            ) { interrupted in
                let (status, message) =
                    (interrupted ? ExitStatus.interrupted : ExitStatus.timedOut, joined(interrupted ? whenInterrupted() : whenTimedOut(), unfinishedCleanUp))
                let text = "error: \(message); the work did not stop when asked, so berth ended it\n"
                _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
                _exit(status.rawValue)
            } : nil
        defer {
            watchdog?.disarm()
            watcher.cancel()
            berth_signals_restore()
        }
        return try await withCheckedThrowingContinuation { continuation in
            outcome.continuation = continuation
            Task {
                do {
                    outcome.finish(.success(try await task.value))
                } catch is CancellationError where outcome.timedOut {
                    outcome.finish(.failure(CommandFailure(.timedOut, whenTimedOut())))
                } catch is CancellationError {
                    outcome.finish(.failure(CommandFailure(.interrupted, whenInterrupted())))
                } catch let error where Self.stoppedWork(error) != nil {
                    // The work stopped what it had started (a job's task), and says so.
                    let note = Self.stoppedWork(error) ?? ""
                    outcome.finish(
                        .failure(
                            outcome.timedOut
                                ? CommandFailure(.timedOut, joined(whenTimedOut(), note)) : CommandFailure(.interrupted, joined(whenInterrupted(), note))))
                } catch {
                    outcome.finish(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                guard outcome.markTimedOut() else { return }
                task.cancel()
                try? await Task.sleep(for: grace)
                // The work did not end within the grace: its clean-up may not have run.
                outcome.finish(.failure(CommandFailure(.timedOut, joined(whenTimedOut(), unfinishedCleanUp))))
            }
        }
    }

    /// What cancelled work stopped on its way out, or left to do, when the error says so: a
    /// job's task; a repository's tags and policy that an unsettled update may still remove.
    static func stoppedWork(_ error: any Error) -> String? {
        let cause = (error as? AppDeployError)?.cause ?? error
        if let failure = cause as? ChangeSetPreview.Failure, failure.cause is CancellationError { return "\(failure.leftBehind)" }
        if case DeployError.repositorySettingsAtRisk(let stack, let kept, let inner) = cause, inner is CancellationError {
            return "\(stack) had not settled, and its update may remove the \(kept.what) of its repository, which the templates do not declare: "
                + "once it has settled, set what is missing again: " + kept.commands.joined(separator: "; ")
        }
        guard case JobRunError.interrupted(let job, let taskArn, let stopped) = cause else { return nil }
        let id = taskArn.split(separator: "/").last.map(String.init) ?? taskArn
        return stopped
            ? "Berth stopped \(job)'s task \(id) before it finished"
            : "\(job)'s task \(id) could not be stopped: aws ecs stop-task stops it"
    }

    /// Ctrl-C and SIGTERM are counted while the work runs; a watcher turns a new one into the
    /// cancellation of `task`, then runs `afterwards` with the count of signals so far.
    static func cancelOnSignals<Success>(
        _ task: Task<Success, any Error>, afterwards: @escaping @Sendable (_ signals: Int) async -> Void
    ) -> Task<Void, Never> {
        berth_signals_install()
        let before = berth_signals_count()
        return Task {
            while !Task.isCancelled {
                let signals = berth_signals_count()
                if signals != before {
                    task.cancel()
                    await afterwards(Int(signals))
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
