import Foundation

/// Free text from a server (a stack event's reason, an ECS service event), made safe to print:
/// on one line, with line breaks, tabs and other control characters as single spaces; and a
/// program's messages, laid out so that none of their lines stands alone. An XML
/// answer can carry `&#10;` and a JSON one `\u001b`: printed as they are, a reason could start a
/// line of its own (`::error::` in GitHub Actions) or drive the terminal.
public enum ServerText {
    /// `text` on one line, without control characters.
    public static func line(_ text: String) -> String {
        let spaced = String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
        return spaced.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// A program's own message (a log event) as it is printed after a prefix: a `\r\n` line end
    /// read as `\n`, the line breaks around it dropped, and each further line led by `    | `, so
    /// that no line of it reads as a line of its own, nor, led by something that is not white
    /// space, as a command to a CI runner (which trims leading spaces before `::`). Other control
    /// characters stay, for the printer to escape.
    public static func message(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\n    | ")
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
