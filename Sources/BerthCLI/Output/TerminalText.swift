import BerthAWS
import Foundation

/// Text from files and servers made safe to print on a terminal: a control character in a
/// key, a value or a server's answer (an escape sequence that recolours or rewrites the screen,
/// a carriage return that hides what came before), or an invisible one, is written as Swift
/// writes it, `\u{1B}`.
/// Line feeds and tabs stay: Berth's own messages use them.
enum TerminalText {
    /// `text` with its control characters and every invisible format character escaped: what
    /// Berth prints of names, keys and values, where a zero-width space would make one name look
    /// like another.
    static func printable(_ text: String) -> String {
        escaped(text, where: isControlOrFormat)
    }

    /// A value from a server or a file printed within a line (a tag, a commit, a build time
    /// read from a task definition): `printable`, and the line feed and the tab escaped too, so
    /// that no value starts a line of its own.
    static func inline(_ text: String) -> String {
        escaped(text, where: { isControlOrFormat($0) || $0 == "\n" || $0 == "\t" })
    }

    /// A field of `status` or `history` read from a task definition or ECS: `inline`, or `-`
    /// when there is none.
    static func field(_ text: String?) -> String { text.map(inline) ?? "-" }

    /// A message of a program's own (a log event), printed after a prefix: laid out as
    /// `ServerText.message` lays it out (each further line led by `    | `), its control
    /// characters escaped, and of the invisible ones those that reorder or break the line. The
    /// joiners that writing needs (U+200D in an emoji sequence, U+200C in Persian) stay.
    static func message(_ text: String) -> String {
        escaped(ServerText.message(text), where: isControlOrReordering)
    }

    private static func escaped(_ text: String, where escapes: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if escapes(scalar) {
                escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// C0 and C1 controls and DEL, but the line feed and the tab; and Unicode's line and
    /// paragraph separators.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// A control character, or any format character (a zero-width space, a right-to-left
    /// override, a byte-order mark, a joiner).
    private static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || (!scalar.isASCII && scalar.properties.generalCategory == .format)
    }

    /// A control character, a bidirectional embedding, override or isolate (U+202A to U+202E,
    /// U+2066 to U+2069), which reorders what follows on the line, or a byte-order mark.
    private static func isControlOrReordering(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0xFEFF
    }
}
