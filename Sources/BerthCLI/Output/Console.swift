import Foundation
import Synchronization

/// Where the CLI writes: standard output and standard error, or buffers in tests.
public struct Console: Sendable {
    public let write: @Sendable (String) -> Void
    public let writeError: @Sendable (String) -> Void
    /// Whether output goes to a person at a terminal: then progress lines are redrawn in place.
    /// In CI (`CI=true`) or into a pipe, every line is plain and final.
    public let isInteractive: Bool
    /// Whether standard output may carry colour: a terminal, and `NO_COLOR` unset or empty.
    public let usesColor: Bool
    /// Reads one line that the person at the terminal types (`nil` at the end of the input).
    public let readLine: @Sendable () -> String?

    public init(
        write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
        isInteractive: Bool = false, usesColor: Bool = false, readLine: @escaping @Sendable () -> String? = { nil }
    ) {
        self.write = write
        self.writeError = writeError
        self.isInteractive = isInteractive
        self.usesColor = usesColor
        self.readLine = readLine
    }

    /// The process's standard output and error, unbuffered, so that CI logs show lines as they come.
    /// Off a terminal neither `isInteractive` nor `usesColor` depends on the environment, so it is
    /// read only for a terminal (a synth into a pipe spares building its dictionary).
    public static let standard: Console = {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let environment = isTerminal ? ProcessEnvironment.current() : [:]
        return Console(
            write: { text in emit(text, to: STDOUT_FILENO) },
            writeError: { text in emit(text, to: STDERR_FILENO) },
            isInteractive: isTerminal && environment["CI"] != "true",
            usesColor: usesColor(isTerminal: isTerminal, environment: environment),
            readLine: { isatty(STDIN_FILENO) == 1 ? Swift.readLine(strippingNewline: true) : nil })
    }()

    /// What went wrong with standard output: why the first write to it failed (a full disk), and
    /// whether the process started with it closed. The command goes on, so that nothing is left
    /// half done, and `Berth.main` fails it at the end: what it printed is lost. (Standard error
    /// failing fails nothing: a command's result is its output and its status.)
    private struct OutputState {
        var failure: String?
        var startedClosed = false
    }

    private static let output = Mutex(OutputState())

    /// Why writing to standard output failed, if it did.
    static var standardWriteFailure: String? { output.withLock { $0.failure } }

    /// Writes `text`'s UTF-8 bytes from the string's own storage, all of them (a write may take
    /// part, or find a non-blocking stream full), and records a failure of standard output
    /// instead of trapping as `FileHandle.write` does.
    private static func emit(_ text: String, to descriptor: Int32) {
        let isOutput = descriptor == STDOUT_FILENO
        func fail(_ reason: String) {
            guard isOutput else { return }
            output.withLock { if $0.failure == nil { $0.failure = "cannot write to standard output: \(reason)" } }
        }
        if isOutput, !text.isEmpty, output.withLock({ $0.startedClosed }) { return fail("it is closed") }
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else {
                    return fail(written < 0 ? String(cString: strerror(errno)) : "nothing was written")
                }
            }
        }
    }

    /// Opens `/dev/null` on standard input, output or error when the process was started with
    /// one closed: a file Berth opens would take its number and receive what is printed. Standard
    /// output started closed fails the command once something is printed to it.
    static func guardStandardDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            _ = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if descriptor == STDOUT_FILENO { output.withLock { $0.startedClosed = true } }
        }
    }

    /// Colour only on a terminal that can show it, and never when `NO_COLOR` is set to anything
    /// (https://no-color.org).
    static func usesColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
