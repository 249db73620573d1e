import Foundation

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
            write: { text in emit(text, to: FileHandle.standardOutput) },
            writeError: { text in emit(text, to: FileHandle.standardError) },
            isInteractive: isTerminal && environment["CI"] != "true",
            usesColor: usesColor(isTerminal: isTerminal, environment: environment),
            readLine: { isatty(STDIN_FILENO) == 1 ? Swift.readLine(strippingNewline: true) : nil })
    }()

    /// Writes `text`'s UTF-8 bytes from the string's own storage: `Data(text.utf8)` would first
    /// look up, at run time, whether the view conforms to a contiguous-bytes protocol.
    private static func emit(_ text: String, to handle: FileHandle) {
        var text = text
        text.withUTF8 { bytes in handle.write(Data(buffer: bytes)) }
    }

    /// Colour only on a terminal that can show it, and never when `NO_COLOR` is set to anything
    /// (https://no-color.org).
    static func usesColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
