import Yams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a plain YAML scalar means, decided without regular expressions.
///
/// Yams's default resolver compiles a set of `NSRegularExpression`s on first use, which costs
/// several milliseconds and megabytes at start-up; Berth reads YAML with `Resolver.basic` (every
/// scalar a string) and resolves plain scalars here instead, following YAML 1.1's core rules as
/// CloudFormation and cfn-lint read them.
public enum YAMLScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    /// Resolves `scalar`: quoted and block scalars are always strings.
    public init(_ scalar: Node.Scalar) {
        guard scalar.style == .plain || scalar.style == .any else {
            self = .string(scalar.string)
            return
        }
        self = Self.resolvePlain(scalar.string)
    }

    /// Reads YAML with the resolver that leaves every scalar a string (see the type's note).
    public static func compose(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text, .basic, constructor, encoding)
    }

    /// Yams's constructor turns nodes into Swift values (`Node.any`), which Berth never asks for:
    /// it resolves scalars itself (above). An empty one spares building `Constructor.default`'s
    /// tables on every file. `Parser.Encoding.default` reads the whole process environment through
    /// `ProcessInfo` on every use, for `YAMS_DEFAULT_ENCODING`, and is otherwise UTF-8 (Swift's
    /// native strings): decided once per process, and by Yams only when that variable is set.
    nonisolated(unsafe) private static let constructor = Constructor([:], [:], [:])
    nonisolated(unsafe) private static let encoding: Parser.Encoding =
        getenv("YAMS_DEFAULT_ENCODING") == nil ? .utf8 : Parser.Encoding.default

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

    /// Whether `node` was written without a tag, as almost every node is: its tag is then the
    /// core schema's `str`, `map` or `seq`, neither foreign nor local, known without resolving
    /// and comparing it.
    public static func isUntagged(_ node: Node) -> Bool {
        let tag: Tag
        switch node {
        case .scalar(let scalar): tag = scalar.tag
        case .mapping(let mapping): tag = mapping.tag
        case .sequence(let sequence): tag = sequence.tag
        case .alias(let alias): tag = alias.tag
        }
        return tag.rawValue == Tag.Name.implicit.rawValue
    }

    /// The tag of `node` when it is a standard tag outside YAML's core schema, such as
    /// `!!python/object` or `!!binary`: a language-specific type that Berth never reads.
    public static func foreignStandardTag(of node: Node) -> String? {
        let tag = node.tag.rawValue
        guard tag.hasPrefix("tag:yaml.org,2002:"), !coreTags.contains(tag) else { return nil }
        return "!!" + tag.dropFirst("tag:yaml.org,2002:".count)
    }
}
