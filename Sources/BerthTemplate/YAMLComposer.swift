import CYaml

/// Builds a `YAMLNode` tree from libyaml's events for one document, as YAML's composer does:
/// anchors are kept as they are read and aliases replaced by their node; mistakes come back as
/// a `SourceError` at libyaml's line and column.
struct YAMLComposer: ~Copyable {
    private let file: String
    /// libyaml's parser, at an address of its own for as long as the composer lives: libyaml
    /// keeps a pointer to it while it reads.
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// The text being read, for what an error names in it.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var anchors: [String: (node: YAMLNode, height: Int)] = [:]
    /// How deep the node being composed is, aliases expanded (the root is at 0).
    private var depth = 0
    /// The height of the node composed last (a scalar's is 1), aliases expanded.
    private var height = 0
    /// The keys and list positions from the root to the node being composed, for what a
    /// repeated key's message names (`services.api.cpu`).
    private var path: [PathStep] = []

    private enum PathStep {
        /// A key's text; `nil` for a key that is not a scalar.
        case key(String?)
        case index(Int)
    }

    /// How deep a document may nest once its aliases are expanded: as deep as libyaml lets one
    /// be written. An alias pastes in its anchor's whole tree, so a few anchors that each hold
    /// the one before could nest a small file thousands deep, past what the readers' and
    /// Swift's recursion over the tree take.
    static let maximumDepth = 1000

    /// The tag a quoted scalar without a tag of its own has: YAML's core `str`.
    static let stringTag = "tag:yaml.org,2002:str"

    /// A composer reading `bytes`, which must outlive it.
    private init(file: String, bytes: UnsafeBufferPointer<UInt8>) throws(SourceError) {
        // A UTF-8 byte-order mark (which editors on Windows write) is skipped: with the encoding
        // stated, as Yams stated it, libyaml would read it as the first line's first column,
        // indenting the first key past the ones below it.
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: bytes[3...]) : bytes
        // NEL, U+2028 and U+2029 are line breaks to YAML 1.1 and not to editors: every line after
        // one would be numbered one more than the editor shows it. Refused where they are.
        if let offset = Self.offsetOfUnicodeLineBreak(in: text) {
            let (line, column) = Self.position(ofByte: offset, in: text)
            throw SourceError(
                file: file, line: line, column: column,
                message: "a Unicode line break (NEL, U+2028 or U+2029), which YAML counts as a new line and editors do not; "
                    + "remove it, or write it as \\u2028 in a double-quoted string")
        }
        // Made ready before it becomes the composer's, whose deinit deletes it.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        parser.initialize(to: yaml_parser_t())
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deinitialize(count: 1)
            parser.deallocate()
            throw SourceError(file: file, line: 0, column: 0, message: "not valid YAML: out of memory")
        }
        self.file = file
        self.parser = parser
        self.bytes = text
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, text.baseAddress, text.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deinitialize(count: 1)
        parser.deallocate()
    }

    /// The single document of `text`, or `nil` when the stream holds none.
    static func compose(_ text: String, file: String) throws(SourceError) -> YAMLNode? {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(SourceError) in
                var composer = try YAMLComposer(file: file, bytes: bytes)
                return try composer.document()
            }
        }
        return try result.get()
    }

    private mutating func document() throws(SourceError) -> YAMLNode? {
        var event = try next()  // the stream's start
        event.delete()
        event = try next()
        guard event.type != YAML_STREAM_END_EVENT else {
            event.delete()
            return nil
        }
        event.delete()  // the document's start
        let root = try node(from: try next())
        try next().delete()  // the document's end
        let after = try next()
        defer { after.delete() }
        guard after.type == YAML_STREAM_END_EVENT else {
            throw SourceError(
                file: file, line: after.mark.line, column: after.mark.column,
                message: "not valid YAML: expected a single document in the stream, but found another document (a line of ---)")
        }
        return root
    }

    /// libyaml's next event, which the caller deletes.
    private func next() throws(SourceError) -> Event {
        var event = Event()
        guard yaml_parser_parse(parser, &event.raw) == 1 else { throw problem() }
        return event
    }

    /// The node that starts with `event` (deleted here), its contents read to its end.
    private mutating func node(from event: Event) throws(SourceError) -> YAMLNode {
        defer { event.delete() }
        let mark = event.mark
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.raw.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let tag = scalar.quoted_implicit == 1 ? Self.stringTag : Self.tag(scalar.tag)
            if !tag.isEmpty && scalar.quoted_implicit != 1 { try checkKind(of: tag, .scalar, at: mark) }
            let node = YAMLNode(.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), tag: tag, mark: mark)
            height = 1
            return register(scalar.anchor, node)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.raw.data.sequence_start
            let tag = start.implicit != 0 ? "" : Self.tag(start.tag)
            if !tag.isEmpty { try checkKind(of: tag, .sequence, at: mark) }
            var elements: [YAMLNode] = []
            var tallest = 0
            depth += 1
            while true {
                let element = try next()
                if element.type == YAML_SEQUENCE_END_EVENT {
                    element.delete()
                    break
                }
                enter(.index(elements.count))
                elements.append(try node(from: element))
                path.removeLast()
                tallest = max(tallest, height)
            }
            depth -= 1
            let node = YAMLNode(.sequence(elements), tag: tag, mark: mark)
            height = tallest + 1
            return register(start.anchor, node)
        case YAML_MAPPING_START_EVENT:
            let start = event.raw.data.mapping_start
            let tag = start.implicit != 0 ? "" : Self.tag(start.tag)
            if !tag.isEmpty { try checkKind(of: tag, .mapping, at: mark) }
            var pairs: [YAMLNode.Pair] = []
            var tallest = 0
            depth += 1
            while true {
                let keyEvent = try next()
                if keyEvent.type == YAML_MAPPING_END_EVENT {
                    keyEvent.delete()
                    break
                }
                let key = try node(from: keyEvent)
                // A plain key that starts with a no-break space was meant as an indented key.
                if case .scalar(let text, plain: true) = key.content, text.utf8.first == 0xC2, text.utf8.dropFirst().first == 0xA0 {
                    throw SourceError(file: file, line: key.mark.line, column: key.mark.column, message: Self.noBreakSpaceMessage)
                }
                tallest = max(tallest, height)
                enter(key: key)
                pairs.append(YAMLNode.Pair(key: key, value: try node(from: try next())))
                path.removeLast()
                tallest = max(tallest, height)
            }
            depth -= 1
            try checkUniqueKeys(pairs)
            let node = YAMLNode(.mapping(pairs), tag: tag, mark: mark)
            height = tallest + 1
            return register(start.anchor, node)
        case YAML_ALIAS_EVENT:
            guard let name = Self.string(event.raw.data.alias.anchor), let (node, aliasHeight) = anchors[name] else {
                throw SourceError(
                    file: file, line: mark.line, column: mark.column,
                    message: "not valid YAML: found undefined alias; a value starting with * names an anchor (&name): quote it if it is text (\"*-latest\")")
            }
            guard depth + aliasHeight <= Self.maximumDepth else {
                throw SourceError(
                    file: file, line: mark.line, column: mark.column,
                    message: "not valid YAML: with the aliases expanded (*\(name) here), it nests more than \(Self.maximumDepth) levels deep")
            }
            height = aliasHeight
            // The node the alias names, not an anchor given here.
            var used = node
            used.anchor = nil
            used.alias = name
            return used
        default:
            throw SourceError(file: file, line: mark.line, column: mark.column, message: "not valid YAML: unexpected event")
        }
    }

    /// The kinds of node YAML's tag repository gives its collection tags (`!!seq` a list, `!!map`
    /// a mapping); its other tags (`!!str`, `!!int`, …) are a scalar's.
    private enum Kind: String {
        case scalar
        case sequence = "list"
        case mapping

        /// The kind of YAML's `!!name`; `nil` for a name the repository does not hold.
        init?(coreTag name: Substring) {
            switch name {
            case "seq", "omap", "pairs": self = .sequence
            case "map", "set": self = .mapping
            case "str", "int", "float", "bool", "null", "binary", "timestamp", "merge", "value", "yaml": self = .scalar
            default: return nil
            }
        }
    }

    /// Refuses a tag of YAML's repository on a node of another kind (`!!seq 10`, `!!str [a]`),
    /// which would otherwise be read as if untagged.
    private func checkKind(of tag: String, _ kind: Kind, at mark: YAMLMark) throws(SourceError) {
        let core = "tag:yaml.org,2002:"
        guard tag.hasPrefix(core) else { return }
        let name = tag.dropFirst(core.count)
        guard let tagged = Kind(coreTag: name), tagged != kind else { return }
        throw SourceError(
            file: file, line: mark.line, column: mark.column,
            message: "not valid YAML: a \(kind.rawValue) tagged !!\(name), a \(tagged.rawValue)'s tag: remove the tag")
    }

    /// `node` with its anchor, kept under it for the aliases that name it; a later anchor of the
    /// same name takes its place, as YAML says.
    private mutating func register(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ node: YAMLNode) -> YAMLNode {
        guard let name = Self.string(anchor) else { return node }
        var node = node
        node.anchor = name
        anchors[name] = (node, height)
        return node
    }

    /// Refuses a mapping that repeats a key (two scalars of the same text and tag), placed at the
    /// first repeat in text order (the line a user added last, most often) and naming where the
    /// key was first given, then the other repeated keys. The keys of a small mapping, as almost
    /// every one is, are compared pairwise, which costs less than hashing them; a larger one's
    /// are looked up by text and tag.
    // Out of line: `node(from:)` recurses as deep as the text nests, and what these make would
    // otherwise take room in each of its frames.
    @inline(never)
    private mutating func enter(_ step: PathStep) { path.append(step) }

    @inline(never)
    private mutating func enter(key: YAMLNode) {
        if case .scalar(let text, _) = key.content { path.append(.key(text)) } else { path.append(.key(nil)) }
    }

    /// `key` of the mapping being composed, after the keys and list positions that lead to it:
    /// `services.api.cpu`, `Resources.Bucket.Properties.Tags[0].Key`.
    private func keyPath(_ key: String) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let name):
                if !text.isEmpty { text += "." }
                text += name ?? "?"
            case .index(let position):
                text += "[\(position)]"
            }
        }
        return text.isEmpty ? key : text + "." + key
    }

    private func checkUniqueKeys(_ pairs: [YAMLNode.Pair]) throws(SourceError) {
        guard pairs.count > 1 else { return }
        // Keys are the same when their code points are (YAML compares scalars' content, not
        // their Unicode normalization).
        var firstOf: [ExactText: YAMLMark] = [:]
        var repeated: [(text: String, first: YAMLMark, again: YAMLMark)] = []
        var repeatedTexts: Set<ExactText> = []
        for later in pairs.indices {
            guard case .scalar(let text, _) = pairs[later].key.content else { continue }
            let first: YAMLMark?
            if pairs.count <= 16 {
                first = pairs[..<later].first { Self.sameKey($0.key, pairs[later].key) }?.key.mark
            } else {
                let identity = ExactText(Self.keyTag(pairs[later].key.tag) + "\u{0}" + text)
                first = firstOf[identity]
                if first == nil { firstOf[identity] = pairs[later].key.mark }
            }
            if let first, repeatedTexts.insert(ExactText(text)).inserted { repeated.append((text, first, pairs[later].key.mark)) }
        }
        // The pairs are in text order, so the first repeat found is the first in the text.
        guard let earliest = repeated.first else { return }
        func place(_ mark: YAMLMark, from: YAMLMark) -> String {
            mark.line == from.line ? "column \(mark.column)" : "line \(mark.line)"
        }
        var message = "\(keyPath(earliest.text)) is given again here (first at \(place(earliest.first, from: earliest.again))); each key may appear once"
        let others = repeated.dropFirst()
        if !others.isEmpty {
            let listed = others.prefix(10).map { "\($0.text) (line \($0.again.line))" }
            message += "; also given again: " + listed.joined(separator: ", ") + (others.count > 10 ? " and \(others.count - 10) more" : "")
        }
        throw SourceError(file: file, line: earliest.again.line, column: earliest.again.column, message: message)
    }

    /// For a value YAML reads as syntax because it is not quoted, what to quote: one starting
    /// with `*` (an alias), `@`, `` ` `` or `%`, and one holding `: ` or ending in `:` (a secret's
    /// ARN with its JSON key, `arn:…:secret:db-AbCdEf:password::`).
    private static func quotingHint(problem: String, context: String, at byte: UInt8?, keyBefore: Bool) -> String {
        if context.contains("scanning an alias") {
            return "; a value starting with * is read as an alias: quote it (\"*.example.com\")"
        }
        if problem == "mapping values are not allowed in this context" {
            // After a key on its line, a value with a colon; else a key indented past its mapping's.
            return keyBefore
                ? "; a value holding \": \" or ending in \":\" must be quoted"
                : "; if the line is a key of the mapping above, indent it as the keys before it"
        }
        if problem.contains("cannot start any token"), let byte, "@`%".utf8.contains(byte) {
            return "; a value starting with \(Character(Unicode.Scalar(byte))) must be quoted"
        }
        return ""
    }

    /// Whether two keys are the same scalar: the same text and the same tag.
    private static func sameKey(_ first: YAMLNode, _ second: YAMLNode) -> Bool {
        guard case .scalar(let firstText, _) = first.content, case .scalar(let secondText, _) = second.content else { return false }
        return ExactText(firstText) == ExactText(secondText) && keyTag(first.tag) == keyTag(second.tag)
    }

    /// A key's tag as YAML's core schema reads it: an untagged key is a string, as `!!str` says.
    private static func keyTag(_ tag: String) -> String { tag.isEmpty ? stringTag : tag }

    /// libyaml's error, worded as before: its problem, then what it was reading.
    private func problem() -> SourceError {
        let parser = parser.pointee
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_READER_ERROR:
            // Where the reader stopped, by its byte offset: libyaml gives no line for it. The
            // text is a Swift string, so UTF-8: what stops the reader is a character YAML does
            // not allow (a control character), whose code point libyaml names.
            let offset = parser.problem_offset
            let hex = String(parser.problem_value, radix: 16, uppercase: true)
            let value = parser.problem_value >= 0 ? " (U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex))" : ""
            guard offset < bytes.count else {
                return SourceError(file: file, line: 0, column: 0, message: "not readable as UTF-8 YAML: \(problem)\(value)")
            }
            let (line, column) = Self.position(ofByte: offset, in: bytes)
            return SourceError(file: file, line: line, column: column, message: "not readable as UTF-8 YAML: \(problem)\(value)")
        case YAML_MEMORY_ERROR:
            return SourceError(file: file, line: 0, column: 0, message: "not valid YAML: out of memory")
        default:
            // libyaml's own limit, worded as such rather than as advice to call a C function.
            if problem.hasPrefix("Maximum nesting level reached") {
                return SourceError(
                    file: file, line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1,
                    message: "not valid YAML: it nests more than 1000 levels deep, past what the YAML reader takes")
            }
            let context = parser.context.map { String(cString: $0) } ?? ""
            // "while scanning …" follows the problem; "expected a single document …" leads it.
            let said = context.isEmpty ? problem : context.hasPrefix("expected") ? "\(context), \(problem)" : "\(problem) \(context)"
            let tab = indentsWithTab(line: parser.problem_mark.line) ? "; the line is indented with a tab, and YAML indents with spaces only" : ""
            // libyaml counts the mark in characters: the line's bytes up to its column.
            let line = lineBytes(Int(parser.problem_mark.line))
            var before = 0
            var characters = 0
            while before < line.count, characters < Int(parser.problem_mark.column) {
                before += 1
                while before < line.count, line[line.startIndex + before] & 0xC0 == 0x80 { before += 1 }
                characters += 1
            }
            let head = Array(line.prefix(before))
            let keyBefore = zip(head, head.dropFirst()).contains { $0 == UInt8(ascii: ":") && $1 == UInt8(ascii: " ") }
            // A no-break space (pasted from a page or a document) after a key's colon or in an
            // indentation, on the line YAML stopped at or the one before it, is why it stopped.
            // (libyaml may stop on the next line that holds something: blank and comment lines
            // between do not count.)
            let stopped = Int(parser.problem_mark.line) + 1
            var firstLine = max(1, stopped - 1)
            // (At most 50 lines back: each look reads the text from its start.)
            while firstLine > 1, stopped - firstLine < 50, holdsNothing(line: firstLine - 1) { firstLine -= 1 }
            if let offset = Self.offsetOfSyntacticNoBreakSpace(in: bytes, lines: firstLine...stopped) {
                let (line, column) = Self.position(ofByte: offset, in: bytes)
                return SourceError(file: file, line: line, column: column, message: Self.noBreakSpaceMessage)
            }
            // libyaml reads a key written without `?` as one of at most 1024 characters.
            let keyLength = Int(parser.problem_mark.column) - head.prefix { $0 == UInt8(ascii: " ") }.count
            let hint =
                problem == "mapping values are not allowed in this context" && !keyBefore && keyLength > 1024
                ? "; the key before the colon holds \(keyLength) characters, and YAML reads a key of at most 1024: shorten it"
                : Self.quotingHint(
                    problem: problem, context: context, at: before < line.count ? line[line.startIndex + before] : nil, keyBefore: keyBefore)
            return SourceError(
                file: file, line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1,
                message: "not valid YAML: \(said)\(tab)\(hint)")
        }
    }

    static let noBreakSpaceMessage = "not valid YAML: a no-break space (U+00A0), which YAML does not read as a space: replace it with a plain space"

    /// The byte offset of the first no-break space (U+00A0) on `lines` (from 1) that stands where
    /// YAML needs a space: among a line's leading spaces, or right after the colon of the line's
    /// first plain key (none after a quote, a `#` or an earlier `: ` on its line: a quoted text,
    /// a comment or a value may hold one); `nil` when none. One inside a value is the value's own.
    private static func offsetOfSyntacticNoBreakSpace(in bytes: UnsafeBufferPointer<UInt8>, lines: ClosedRange<Int>) -> Int? {
        var index = 0
        var line = 1
        var leading = true
        var firstKey = true
        while index + 1 < bytes.count, line <= lines.upperBound {
            let byte = bytes[index]
            if byte == 0xC2 && bytes[index + 1] == 0xA0 {
                let afterKey = firstKey && index > 0 && bytes[index - 1] == UInt8(ascii: ":")
                if lines.contains(line) && (leading || afterKey) { return index }
                leading = false
                index += 2
                continue
            }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if byte == UInt8(ascii: "\n") || index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "\n") { line += 1 }
                leading = true
                firstKey = true
            case UInt8(ascii: " "):
                if index > 0 && bytes[index - 1] == UInt8(ascii: ":") { firstKey = false }
            case UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                leading = false
                firstKey = false
            default:
                leading = false
            }
            index += 1
        }
        return nil
    }

    /// The byte offset of the first NEL (U+0085), U+2028 or U+2029 in `bytes`; `nil` when none.
    private static func offsetOfUnicodeLineBreak(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index + 1 < bytes.count {
            switch bytes[index] {
            case 0xC2 where bytes[index + 1] == 0x85: return index
            case 0xE2 where bytes[index + 1] == 0x80 && index + 2 < bytes.count && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                return index
            default: index += 1
            }
        }
        return nil
    }

    /// The line and column (from 1; the column in characters) of the byte at `offset`, lines
    /// ending as YAML's do: `\r\n`, `\r` or `\n`.
    private static func position(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        while index < min(offset, bytes.count) {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && (index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "\n"))) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 && byte != UInt8(ascii: "\r") {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    /// The bytes of line `line` (from 0), without its line break; empty past the last line. Lines
    /// end as YAML's do: `\r\n`, `\r` or `\n`.
    private func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        var start = 0
        var lines = 0
        while lines < line, let end = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            start = end + 1
            if bytes[end] == UInt8(ascii: "\r"), start < bytes.count, bytes[start] == UInt8(ascii: "\n") { start += 1 }
            lines += 1
        }
        guard lines == line, start <= bytes.count else { return [] }
        let end = bytes[start...].firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.count
        return ArraySlice(bytes[start..<end])
    }

    /// Whether line `line` (from 0) of the text is blank or only a comment.
    private func holdsNothing(line: Int) -> Bool {
        let content = lineBytes(line).drop { $0 == UInt8(ascii: " ") }
        return content.isEmpty || content.first == UInt8(ascii: "#")
    }

    /// Whether line `line` (from 0) of the text starts with white space that holds a tab.
    private func indentsWithTab(line: Int) -> Bool {
        lineBytes(line).prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.contains(UInt8(ascii: "\t"))
    }

    /// A node's tag as written, except YAML's non-specific `!`, which only says "not resolved
    /// by content" and reads as no tag: `! text` is the string it would be untagged, and
    /// `! cpu` the same key as `cpu`, as YAML libraries resolve them.
    private static func tag(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let tag = string(pointer), tag != "!" else { return "" }
        return tag
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }
}

/// One libyaml event; whoever takes it deletes it once.
private struct Event {
    var raw = yaml_event_t()

    var type: yaml_event_type_t { raw.type }
    var mark: YAMLMark { YAMLMark(line: raw.start_mark.line + 1, column: raw.start_mark.column + 1) }

    func delete() {
        var raw = raw
        yaml_event_delete(&raw)
    }
}
