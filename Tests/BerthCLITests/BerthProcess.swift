import BerthTestSupport
import Foundation

/// The built `berth` in a process of its own, for a test that signals it (a signal reaches
/// every command of a process, and other suites run theirs in this one): its standard error
/// read as it comes, its standard output discarded.
final class BerthProcess {
    private let process = Process()
    /// What it writes to standard error.
    let errors: PipeReader

    /// Starts `berth arguments…` with `environment`.
    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = try builtExecutable("berth")
        process.arguments = arguments
        process.environment = environment
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        errors = PipeReader(err)
        try process.run()
    }

    deinit { if process.isRunning { process.terminate() } }

    var isRunning: Bool { process.isRunning }

    /// Its exit status, once it has ended.
    var status: Int32 { process.terminationStatus }

    /// Sends Ctrl-C's signal, SIGINT, while it runs.
    func interrupt() {
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
    }

    /// Waits (up to `timeout`) until it has ended and its standard error is read to the end.
    func waitForEnd(timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("berth to end", timeout: timeout) { !self.process.isRunning }
        try await waitUntil("the end of berth's output") { self.errors.isAtEnd }
    }
}
