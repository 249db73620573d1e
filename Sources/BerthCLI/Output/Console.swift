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
    public static let standard: Console = {
        let environment = ProcessEnvironment.current()
        return Console(
            write: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            writeError: { text in FileHandle.standardError.write(Data(text.utf8)) },
            isInteractive: isatty(STDOUT_FILENO) == 1 && environment["CI"] != "true",
            usesColor: usesColor(isTerminal: isatty(STDOUT_FILENO) == 1, environment: environment),
            readLine: { isatty(STDIN_FILENO) == 1 ? Swift.readLine(strippingNewline: true) : nil })
    }()

    /// Colour only on a terminal that can show it, and never when `NO_COLOR` is set to anything
    /// (https://no-color.org).
    static func usesColor(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }
}
