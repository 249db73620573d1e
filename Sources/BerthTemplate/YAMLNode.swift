/// A node of a YAML document as Berth reads environment files and YAML templates: a scalar's
/// text, a list or a mapping, with its tag and where it starts. Aliases (`*name`) are already
/// replaced by the node their anchor names, and no mapping has two scalar keys of the same text
/// and tag (untagged and `!!str` keys count as the same).
///
/// `YAMLNode.parse(_:file:)` composes it from libyaml's events, the parser Yams wraps, without
/// Yams's node tree: reading a file is a fraction of what it was, and nothing of Yams shows in
/// Berth's API.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        /// A scalar's text; `plain` when it was written without quotes and not as a block
        /// (`|`, `>`): only a plain scalar can mean null, a boolean or a number.
        case scalar(String, plain: Bool)
        /// A list's elements, in file order.
        case sequence([YAMLNode])
        /// Key and value pairs, in file order.
        case mapping([Pair])
    }

    /// One key and its value.
    public struct Pair: Sendable {
        /// The key: a scalar in every mapping that Berth reads, though YAML allows any node.
        public var key: YAMLNode
        /// What the key maps to.
        public var value: YAMLNode

        /// A key and its value.
        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// The scalar, list or mapping.
    public var content: Content
    /// The tag in full (`tag:yaml.org,2002:int` for `!!int`, `!Ref` for a local tag), and YAML's
    /// `tag:yaml.org,2002:str` for a quoted scalar without one; empty for a node written without
    /// a tag, as almost every node is, or with the non-specific `!`.
    public var tag: String
    /// Where the node starts.
    public var mark: YAMLMark
    /// The anchor given here (`&defaults`), for aliases to name; `nil` when it has none, and
    /// where an alias (`*defaults`) stands for the node.
    public var anchor: String?
    /// The anchor an alias (`*defaults`) named, where the node stands for it; `nil` elsewhere.
    public var alias: String?

    /// A node of `content`, untagged unless `tag` says otherwise, starting at `mark`.
    public init(_ content: Content, tag: String = "", mark: YAMLMark) {
        self.content = content
        self.tag = tag
        self.mark = mark
    }

    /// Reads YAML text: its single document's root, or `nil` when `text` holds no document.
    /// Mistakes are reported at `file:line:column`; one that libyaml finds while reading the
    /// characters themselves (a control character) at `file` alone.
    public static func parse(_ text: String, file: String) throws(SourceError) -> YAMLNode? {
        try YAMLComposer.compose(text, file: file)
    }

    /// The scalar's text, `nil` for a list or a mapping.
    public var text: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// What a scalar means under YAML's core schema (`YAMLScalar`), `nil` for a list or a
    /// mapping: quoted and block scalars are always strings, and so is a plain scalar tagged
    /// `!!str` (`!!str 2`). A plain scalar tagged `!!int`, `!!float`, `!!bool` or `!!null` is
    /// that type when its text reads as one (`!!float 2` is 2.0), else the text it is, which a
    /// reader that wants the type refuses (`!!null 256`, `!!bool 1`).
    public var scalar: YAMLScalar? {
        guard case .scalar(let text, let plain) = content else { return nil }
        guard plain else { return .string(text) }
        let resolved = YAMLScalar.resolvePlain(text)
        switch (tag, resolved) {
        case ("", _): return resolved
        case ("tag:yaml.org,2002:int", .int), ("tag:yaml.org,2002:float", .double), ("tag:yaml.org,2002:bool", .bool),
            ("tag:yaml.org,2002:null", .null):
            return resolved
        case ("tag:yaml.org,2002:float", .int(let value)): return .double(Double(value))
        case (let tag, _) where tag.hasPrefix("tag:yaml.org,2002:"): return .string(text)
        default: return resolved
        }
    }
}

/// Where a YAML node starts: its 1-based line and column.
public struct YAMLMark: Sendable, Hashable {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, counted in characters.
    public var column: Int

    /// The position at 1-based `line` and `column`.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
