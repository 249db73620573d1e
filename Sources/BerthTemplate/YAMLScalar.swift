#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a plain YAML scalar means, decided without regular expressions.
///
/// YAML libraries commonly decide with regular expressions, which cost milliseconds to compile at
/// start-up; Berth composes every scalar as text (`YAMLNode`) and resolves plain scalars here,
/// following YAML 1.1's core rules as CloudFormation and cfn-lint read them.
public enum YAMLScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    static func resolvePlain(_ text: String) -> YAMLScalar {
        guard let first = text.utf8.first else { return .null }
        // Each word below starts with one of these bytes and has at most five: most scalars
        // (names, numbers, paths) are told apart by their first byte, without comparing strings.
        if text.utf8.count <= 5, Self.mayStartKeyword(first) {
            switch text {
            case "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
            default: break
            }
        }
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        if isDecimalInteger(text), let value = Int(text) { return .int(value) }
        if isDecimalFloat(text), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    /// The first bytes of the words that mean null or a boolean (`~`, `null`, `true`, `yes`, `on`,
    /// `false`, `no`, `off`, in any of their spellings). Only ASCII text can equal one of them:
    /// none holds the three ASCII characters (`K`, `;`, `` ` ``) that a non-ASCII one is
    /// canonically equivalent to.
    private static func mayStartKeyword(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "y"),
            UInt8(ascii: "Y"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            true
        default: false
        }
    }

    /// `[-+]?(0|[1-9][0-9]*)`, over the UTF-8 bytes: a byte outside ASCII is never a digit.
    private static func isDecimalInteger(_ text: String) -> Bool {
        var digits = Substring(text).utf8
        if digits.first == UInt8(ascii: "-") || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard let first = digits.first, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        return first != UInt8(ascii: "0") || digits.count == 1
    }

    /// `[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?` with at least one of `.` or an exponent.
    private static func isDecimalFloat(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var mantissa = digits()
        var marked = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            mantissa += digits()
            marked = true
        }
        guard mantissa > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return false }
            marked = true
        }
        return marked && index == bytes.count
    }
}

extension YAMLScalar {
    /// YAML's core schema, the only standard tags a template or an environment file may carry.
    private static let coreTags: [String] = ["str", "map", "seq", "int", "bool", "null", "float"].map { "tag:yaml.org,2002:" + $0 }

    /// The tag of `node` when it is a standard tag outside YAML's core schema, such as
    /// `!!python/object` or `!!binary`: a language-specific type that Berth never reads.
    public static func foreignStandardTag(of node: YAMLNode) -> String? {
        let tag = node.tag
        guard tag.hasPrefix("tag:yaml.org,2002:"), !coreTags.contains(tag) else { return nil }
        return "!!" + tag.dropFirst("tag:yaml.org,2002:".count)
    }
}
