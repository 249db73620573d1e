import Testing

@testable import BerthTemplate

/// `YAMLNode.parse`: libyaml's events composed into nodes. The documents are the YAML 1.1
/// specification's own examples (yaml.org/spec/1.1, chapter 2), read as the specification says.
@Suite struct YAMLNodeTests {
    private func parse(_ text: String) throws -> YAMLNode {
        guard let node = try YAMLNode.parse(text, file: "t.yaml") else { throw SourceError(file: "t.yaml", line: 0, column: 0, message: "no document") }
        return node
    }

    private func pairs(_ node: YAMLNode) -> [(String, YAMLNode)] {
        guard case .mapping(let pairs) = node.content else { return [] }
        return pairs.map { ($0.key.text ?? "?", $0.value) }
    }

    private func texts(_ node: YAMLNode) -> [String] {
        guard case .sequence(let elements) = node.content else { return [] }
        return elements.map { $0.text ?? "?" }
    }

    /// Example 2.10: "Node for Sammy Sosa appears twice in this document"; the alias is the
    /// anchored node itself, at the anchor's position.
    @Test func aliasesAreTheNodeTheirAnchorNames() throws {
        let root = try parse("""
            ---
            hr:
              - Mark McGwire
              # Following node labeled SS
              - &SS Sammy Sosa
            rbi:
              - *SS # Subsequent occurrence
              - Ken Griffey
            """)
        let entries = pairs(root)
        #expect(entries.map(\.0) == ["hr", "rbi"])
        #expect(texts(entries[0].1) == ["Mark McGwire", "Sammy Sosa"])
        #expect(texts(entries[1].1) == ["Sammy Sosa", "Ken Griffey"])
        guard case .sequence(let rbi) = entries[1].1.content else { return }
        #expect(rbi[0].mark == YAMLMark(line: 5, column: 5))
        // The node keeps the anchor given there; where an alias stands for it, it has none.
        guard case .sequence(let hr) = entries[0].1.content else { return }
        #expect(hr[1].anchor == "SS" && hr[0].anchor == nil && rbi[0].anchor == nil)
        #expect(rbi[0].alias == "SS" && hr[1].alias == nil)
    }

    /// Anchors that each hold the one before nest deeper than they are written: the depth with
    /// the aliases expanded is held to libyaml's 1000 levels, where the alias that passes it is.
    @Test func aliasesNestNoDeeperThanTextMay() throws {
        func chain(_ count: Int, depth: Int) -> String {
            "deep:\n" + (0..<count).map { index in
                "  - &a\(index) " + String(repeating: "[", count: depth) + (index == 0 ? "1" : "*a\(index - 1)") + String(repeating: "]", count: depth) + "\n"
            }.joined()
        }
        // 2 × 450 levels, within the sequence and the mapping above them: read.
        _ = try parse(chain(2, depth: 450))
        do {
            _ = try parse(chain(3, depth: 450))
            Issue.record("expected an error")
        } catch let error as SourceError {
            #expect(error.line == 4 && error.column == 459, "\(error)")
            #expect(error.message == "not valid YAML: with the aliases expanded (*a1 here), it nests more than 1000 levels deep")
        }
    }

    /// An anchor may be given again; an alias after it names the later node (YAML 1.1, 3.2.2.2).
    @Test func aLaterAnchorOfTheSameNameTakesOver() throws {
        let root = try parse("a: &x first\nb: *x\nc: &x second\nd: *x\n")
        #expect(pairs(root).map { $0.1.text } == ["first", "first", "second", "second"])
    }

    /// Example 2.17 (quoted scalars) and 2.18 (multi-line flow scalars): quoted text is a string
    /// tagged `!!str`; plain text is untagged, and only it can resolve to another type.
    @Test func quotedScalarsAreStringsAndPlainOnesResolve() throws {
        let root = try parse("""
            unicode: "Sosa did fine.\\u263A"
            control: "\\b1998\\t1999\\t2000\\n"
            single: '"Howdy!" he cried.'
            quoted: ' # not a ''comment''.'
            plain:
              This unquoted scalar
              spans many lines.
            number: 12
            text: "12"
            """)
        let entries = Dictionary(uniqueKeysWithValues: pairs(root))
        #expect(entries["unicode"]?.text == "Sosa did fine.\u{263A}")
        #expect(entries["control"]?.text == "\u{8}1998\t1999\t2000\n")
        #expect(entries["single"]?.text == "\"Howdy!\" he cried.")
        #expect(entries["quoted"]?.text == " # not a 'comment'.")
        #expect(entries["plain"]?.text == "This unquoted scalar spans many lines.")
        #expect(entries["number"]?.scalar == .int(12))
        #expect(entries["number"]?.tag == "")
        #expect(entries["text"]?.scalar == .string("12"))
        #expect(entries["text"]?.tag == "tag:yaml.org,2002:str")
    }

    /// Example 2.23 (various explicit tags) and 2.24 (global tags): `!!` expands to YAML's
    /// prefix; a local tag stays as written.
    @Test func tagsAreKeptInFull() throws {
        let root = try parse("""
            not-date: !!str 2002-04-28
            application specific tag: !something |
             The semantics of the tag
             above may be different for
             different documents.
            list: !!seq [a]
            """)
        let entries = pairs(root)
        #expect(entries[0].1.tag == "tag:yaml.org,2002:str")
        #expect(entries[1].1.tag == "!something")
        #expect(entries[1].1.text == "The semantics of the tag\nabove may be different for\ndifferent documents.\n")
        #expect(entries[1].1.scalar == .string(entries[1].1.text ?? ""))
        #expect(entries[2].1.tag == "tag:yaml.org,2002:seq")
        #expect(YAMLScalar.foreignStandardTag(of: entries[2].1) == nil)
        #expect(YAMLScalar.foreignStandardTag(of: try parse("!!binary R0lG")) == "!!binary")
    }

    /// The non-specific tag `!` (YAML 1.1, 3.3.2) reads as no tag: `! cpu` is the key `cpu`, and
    /// `! text` the text it would be untagged.
    @Test func theNonSpecificTagReadsAsNoTag() throws {
        let root = try parse("a: ! text\nb: ! [x]\n")
        #expect(pairs(root).map(\.1.tag) == ["", ""])
        #expect(throws: SourceError(file: "t.yaml", line: 2, column: 1, message: "cpu is given again here (first at line 1); each key may appear once")) {
            try YAMLNode.parse("cpu: 256\n! cpu: 1024\n", file: "t.yaml")
        }
        #expect(try JSONValue.parseYAML("QueueName: ! plain\nList: ! [a]\n", file: "t.yaml") == ["QueueName": "plain", "List": ["a"]])
    }

    /// A core tag on a plain scalar decides its type, as YAML says: `!!str 2` is text; `!!float 2`
    /// is 2.0; a tag the text cannot be (`!!null 256`, `!!bool 1`) leaves the text as it is.
    @Test func coreTagsOnPlainScalarsDecideTheirType() throws {
        let root = try parse("a: !!str 2\nb: !!float 2\nc: !!null 256\nd: !!bool 1\ne: !!int 7\nf: !!str false\ng: 3\nh: !!null ~\n")
        #expect(pairs(root).map(\.1.scalar) == [
            .string("2"), .double(2), .string("256"), .string("1"), .int(7), .string("false"), .int(3), .null,
        ])
        // Templates read the same way: CloudFormation takes `!!str 123` as text.
        #expect(try JSONValue.parseYAML("A: !!str 123\nB: 123\nC: !!str true\n", file: "t.yaml") == ["A": "123", "B": 123, "C": "true"])
    }

    /// A tag of YAML's repository on a node of another kind (`!!seq` on a scalar, `!!str` on a
    /// list, `!!map` on a list) is refused where it stands; tags the repository does not hold are
    /// left to the reader.
    @Test func coreTagsOfAnotherKindOfNodeAreRefused() throws {
        for (text, column, message) in [
            ("a: !!seq 10\n", 4, "a scalar tagged !!seq, a list's tag"), ("a: !!str [x]\n", 4, "a list tagged !!str, a scalar's tag"),
            ("a: !!map [x]\n", 4, "a list tagged !!map, a mapping's tag"), ("a: !!int {b: 1}\n", 4, "a mapping tagged !!int, a scalar's tag"),
            ("a: !!set [x]\n", 4, "a list tagged !!set, a mapping's tag"), ("- !!omap {b: 1}\n", 3, "a mapping tagged !!omap, a list's tag"),
        ] {
            #expect(throws: SourceError(file: "t.yaml", line: 1, column: column, message: "not valid YAML: \(message): remove the tag")) {
                try YAMLNode.parse(text, file: "t.yaml")
            }
        }
        let fitting = try parse("a: !!seq [x]\nb: !!map {c: 1}\nc: !!omap [{d: 1}]\nd: !!set {e: ~}\ne: !!binary R0lG\nf: !!python/name:os x\n")
        #expect(pairs(fitting).map(\.1.tag.isEmpty) == [false, false, false, false, false, false])
    }

    /// A UTF-8 byte-order mark (editors on Windows write one) is skipped: it used to count as the
    /// first line's first column, which indented the first key past the ones below it.
    @Test func aByteOrderMarkIsSkipped() throws {
        let root = try parse("\u{FEFF}app: shop\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n")
        #expect(pairs(root).map(\.0) == ["app", "region", "services"])
        #expect(pairs(root)[0].1.mark == YAMLMark(line: 1, column: 6))
        #expect(try JSONValue.parseYAML("\u{FEFF}A: 1\nB: 2\n", file: "t.yaml") == ["A": 1, "B": 2])
        // Only at the start: elsewhere it is text.
        #expect(try JSONValue.parseYAML("A: \"\u{FEFF}x\"\n", file: "t.yaml") == ["A": "\u{FEFF}x"])
    }

    @Test func marksAreOneBasedLinesAndColumns() throws {
        let root = try parse("app: shop\nservices:\n  web:\n    cpu: 256\n")
        let services = pairs(root)[1].1
        let web = pairs(services)[0]
        #expect(services.mark == YAMLMark(line: 3, column: 3))
        #expect(pairs(web.1)[0].1.mark == YAMLMark(line: 4, column: 10))
    }

    @Test func anEmptyStreamHasNoDocument() throws {
        #expect(try YAMLNode.parse("", file: "t.yaml") == nil)
        #expect(try YAMLNode.parse("# only a comment\n", file: "t.yaml") == nil)
        #expect(try parse("---\n").scalar == .null)
    }

    /// Keys are the same when their code points are: `é` as one code point and `e` with a
    /// combining accent are two keys, in a small mapping and in one whose keys are hashed.
    @Test func keysThatDifferOnlyInNormalizationAreTwoKeys() throws {
        let filler = (1...20).map { "k\($0): \($0)\n" }.joined()
        for prefix in ["", filler] {
            let root = try parse(prefix + "caf\u{E9}: 1\ncafe\u{301}: 2\n")
            #expect(pairs(root).suffix(2).map { Array($0.0.utf8) } == [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8)])
        }
        #expect(throws: SourceError(file: "t.yaml", line: 2, column: 1, message: "caf\u{E9} is given again here (first at line 1); each key may appear once")) {
            try YAMLNode.parse("caf\u{E9}: 1\ncaf\u{E9}: 2\n", file: "t.yaml")
        }
    }

    /// A no-break space (U+00A0, pasted from a page or a document) is no space to YAML: after a
    /// colon or in an indentation it breaks the file, and the error stands at it rather than
    /// where libyaml stopped (a later line). Inside a value it is the value's own.
    @Test func aNoBreakSpaceWhereASpaceGoesIsNamed() throws {
        let named = "not valid YAML: a no-break space (U+00A0), which YAML does not read as a space: replace it with a plain space"
        #expect(throws: SourceError(file: "t.yaml", line: 2, column: 19, message: named)) {
            try YAMLNode.parse("app: shop\ncontainerInsights:\u{A0}false\n\n# services\nservices: {}\n", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 3, column: 1, message: named)) {
            try YAMLNode.parse("web:\n  cpu: 256\n\u{A0} memory: 512\n", file: "t.yaml")
        }
        #expect(pairs(try parse("name: a\u{A0}b\n")).map { $0.1.scalar } == [.string("a\u{A0}b")])
        // In a value, a block scalar or a quoted text that goes on to another line, it is the
        // text's own: the error is libyaml's, at the real mistake.
        for text in ["title: Heure:\u{A0}12h\nweb: [unclosed\n", "command: |\n  echo a\n  \u{A0}b\nweb: [unclosed\n",
                     "desc: \"line one\n  x:\u{A0}y\"\nweb: [unclosed\n"] {
            do {
                _ = try YAMLNode.parse(text, file: "t.yaml")
                Issue.record("\(text) was taken")
            } catch {
                #expect(!error.message.contains("no-break space"), "\(text): \(error)")
            }
        }
        // In a comment or a quoted text before the mistake, it is not what is named.
        #expect(throws: SourceError(file: "t.yaml", line: 3, column: 5, message: named)) {
            try YAMLNode.parse("# note:\u{A0}x\nname: \"a:\u{A0}b\"\ncpu:\u{A0}1\nmemory: 2\n", file: "t.yaml")
        }
    }

    /// A key may appear once in a mapping (YAML 1.1, 3.2.1.1); `a` and `"a"` are the same key.
    /// The error stands at the first repeat, says where the key was first given, and names the
    /// other repeated keys with their lines.
    @Test func repeatedKeysAreRefused() {
        #expect(throws: SourceError(file: "t.yaml", line: 4, column: 1, message: "a is given again here (first at line 2); each key may appear once; also given again: b (line 5)")) {
            try YAMLNode.parse("z: 0\na: 1\nb: 2\n\"a\": 3\nb: 4\n", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 1, column: 8, message: "x is given again here (first at column 2); each key may appear once")) {
            try YAMLNode.parse("{x: 1, !!str x: 2}", file: "t.yaml")
        }
        // A mapping of many keys, whose keys are looked up rather than compared pairwise.
        let many = (1...40).map { "k\($0): \($0)" }.joined(separator: "\n")
        #expect(throws: SourceError(file: "t.yaml", line: 41, column: 1, message: "k7 is given again here (first at line 7); each key may appear once; also given again: k3 (line 42)")) {
            try YAMLNode.parse(many + "\nk7: again\n\"k3\": again\n!!str k7: and again\n", file: "t.yaml")
        }
        // Nested, the key is named by its path from the root, list positions included.
        #expect(throws: SourceError(file: "t.yaml", line: 5, column: 5, message: "services.api.cpu is given again here (first at line 4); each key may appear once")) {
            try YAMLNode.parse("app: a\nservices:\n  api:\n    cpu: 256\n    cpu: 512\n", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 3, column: 14, message: "Tags[1].Key is given again here (first at column 6); each key may appear once")) {
            try YAMLNode.parse("Tags:\n  - {Key: a}\n  - {Key: b, Key: c}\n", file: "t.yaml")
        }
        let repeats = (1...12).map { "r\($0): 1\nr\($0): 2" }.joined(separator: "\n")
        #expect(
            throws: SourceError(
                file: "t.yaml", line: 2, column: 1,
                message: "r1 is given again here (first at line 1); each key may appear once; also given again: r2 (line 4), r3 (line 6), r4 (line 8), "
                    + "r5 (line 10), r6 (line 12), r7 (line 14), r8 (line 16), r9 (line 18), r10 (line 20), r11 (line 22) and 1 more")
        ) {
            try YAMLNode.parse(repeats, file: "t.yaml")
        }
        // A local tag makes another key.
        #expect(throws: Never.self) { try YAMLNode.parse("x: 1\n!k x: 2\n", file: "t.yaml") }
    }

    /// libyaml stops at about 1,000 levels; the composer recurses once per level, on a test's
    /// thread too.
    @Test func nestingIsReadToLibyamlsLimit() throws {
        var node = try parse(String(repeating: "[", count: 999) + String(repeating: "]", count: 999))
        var depth = 1
        while case .sequence(let elements) = node.content, let first = elements.first {
            node = first
            depth += 1
        }
        #expect(depth == 999)
        let tooDeep = String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100)
        #expect(throws: SourceError.self) { _ = try YAMLNode.parse(tooDeep, file: "t.yaml") }
    }

    /// A value YAML reads as syntax because it is not quoted gets the quoting that mends it.
    @Test func unquotedValuesThatYAMLReadsAsSyntaxSayToQuote() {
        for (text, hint) in [
            ("hosts: [*.example.com]\n", "; a value starting with * is read as an alias: quote it (\"*.example.com\")"),
            ("DB: arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf:password::\n", "; a value holding \": \" or ending in \":\" must be quoted"),
            ("user: @me\n", "; a value starting with @ must be quoted"),
            ("user: `me`\n", "; a value starting with ` must be quoted"),
            // After text of other scripts on the line above: the byte is found by character.
            ("# café — naïve\nuser: @team\n", "; a value starting with @ must be quoted"),
            // A key indented past its mapping's keys is no value to quote.
            ("web:\n  cpu: 256\n    memory: 512\n", "; if the line is a key of the mapping above, indent it as the keys before it"),
        ] {
            #expect {
                try YAMLNode.parse(text, file: "t.yaml")
            } throws: { error in
                (error as? SourceError)?.message.hasSuffix(hint) == true
            }
        }
    }

    @Test func malformedStreamsAreReportedWhereLibyamlStops() {
        #expect(
            throws: SourceError(
                file: "t.yaml", line: 2, column: 8,
                message: "not valid YAML: found undefined alias; a value starting with * names an anchor (&name): quote it if it is text (\"*-latest\")")
        ) {
            try YAMLNode.parse("a: 1\nb: [1, *nowhere]\n", file: "t.yaml")
        }
        #expect(
            throws: SourceError(
                file: "t.yaml", line: 2, column: 1, message: "not valid YAML: expected a single document in the stream, but found another document (a line of ---)")
        ) {
            try YAMLNode.parse("a: 1\n---\nb: 2\n", file: "t.yaml")
        }
        #expect(
            throws: SourceError(
                file: "t.yaml", line: 3, column: 1, message: "not valid YAML: could not find expected ':' while scanning a simple key")
        ) {
            try YAMLNode.parse("a: 1\nb\nc: 2\n", file: "t.yaml")
        }
        // Where the reader stopped, by its byte offset (the column in characters).
        #expect(throws: SourceError(file: "t.yaml", line: 1, column: 4, message: "not readable as UTF-8 YAML: control characters are not allowed (U+0007)")) {
            try YAMLNode.parse("a: \u{7}\n", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 3, column: 4, message: "not readable as UTF-8 YAML: control characters are not allowed (U+001B)")) {
            try YAMLNode.parse("a: 1\r\nb: 2\r\n# é\u{1B}\n", file: "t.yaml")
        }
        // A Unicode line break would number every later line one more than an editor does.
        for separator in ["\u{2028}", "\u{2029}", "\u{85}"] {
            #expect(throws: SourceError(
                file: "t.yaml", line: 2, column: 7,
                message: "a Unicode line break (NEL, U+2028 or U+2029), which YAML counts as a new line and editors do not; remove it, or write it as \\u2028 in a double-quoted string"
            )) {
                try YAMLNode.parse("a: 1\n# note\(separator)b: 2\nc: 3\n", file: "t.yaml")
            }
        }
    }
}
