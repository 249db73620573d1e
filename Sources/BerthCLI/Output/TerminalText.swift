import BerthAWS
import Foundation

/// Text from files and servers made safe to print on a terminal: a control character in a
/// key, a value or a server's answer (an escape sequence that recolours or rewrites the screen,
/// a carriage return that hides what came before), or an invisible one, is written as Swift
/// writes it, `\u{1B}`.
/// Line feeds and tabs stay: Berth's own messages use them.
enum TerminalText {
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A message of a program's own (a log event), printed after a prefix: laid out as
    /// `ServerText.message` lays it out (each further line led by `    | `), its control
    /// characters escaped.
    static func message(_ text: String) -> String {
        printable(ServerText.message(text))
    }

    /// C0 and C1 controls and DEL, but the line feed and the tab; and the invisible characters
    /// that change what a line shows (format characters: a zero-width space that makes a key look
    /// like another, a right-to-left override that reverses the line, a byte-order mark) and
    /// Unicode's line and paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
