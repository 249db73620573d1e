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

    /// The first write to standard output or error that failed (a full disk, a closed stream),
    /// said as `Berth.main` reports it; the command goes on, so that nothing is left half done.
    private static let failure = Mutex<String?>(nil)

    /// Why writing to standard output or error failed, if it did.
    static var standardWriteFailure: String? { failure.withLock { $0 } }

    /// Records that `stream` could not be written, unless a failure is recorded already.
    static func recordWriteFailure(_ reason: String) {
        failure.withLock { if $0 == nil { $0 = reason } }
    }

    /// Writes `text`'s UTF-8 bytes from the string's own storage, all of them (a write may take
    /// part), and records a failure instead of trapping as `FileHandle.write` does.
    private static func emit(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    let stream = descriptor == STDOUT_FILENO ? "standard output" : "standard error"
                    recordWriteFailure("cannot write to \(stream): \(String(cString: strerror(errno)))")
                    return
                }
            }
        }
    }

    /// Opens `/dev/null` on standard input, output or error when the process was started with
    /// one closed: a file Berth opens would take its number and receive what is printed. A
    /// closed output is recorded as a failure.
    static func guardStandardDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            _ = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if descriptor != STDIN_FILENO {
                recordWriteFailure("cannot write to \(descriptor == STDOUT_FILENO ? "standard output" : "standard error"): it is closed")
            }
        }
    }

    /// Colour only on a terminal that can show it, and never when `NO_COLOR` is set to anything
    /// (https://no-color.org).
    static func usesColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
