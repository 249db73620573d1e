import Testing

@testable import BerthTemplate

@Suite struct JSONReadingTests {
    private func parse(_ text: String) throws(SourceError) -> JSONValue {
        try JSONValue.parseJSON(text, file: "t.json")
    }

    /// Expects `text` to be refused at `line`:`column` with `message`.
    private func expectError(
        _ text: String, line: Int, column: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            throws: SourceError(file: "t.json", line: line, column: column, message: message), sourceLocation: sourceLocation
        ) {
            try JSONValue.parseJSON(text, file: "t.json")
        }
    }

    // MARK: - Values

    @Test func objectsKeepKeyOrder() throws {
        let value = try parse(#"{"zeta": 1, "alpha": {"y": 2, "b": 3, "m": 4}, "mid": [3, 1]}"#)
        #expect(value.members?.map(\.key) == ["zeta", "alpha", "mid"])
        #expect(value["alpha"]?.members?.map(\.key) == ["y", "b", "m"])
        #expect(value == ["zeta": 1, "alpha": ["y": 2, "b": 3, "m": 4], "mid": [3, 1]])
    }

    @Test func largeObjectsKeepOrderAndRefuseRepeatedKeys() throws {
        let keys = (0..<40).map { "k\(39 - $0)" }
        let text = "{" + keys.map { "\"\($0)\": 0" }.joined(separator: ", ") + "}"
        #expect(try parse(text).members?.map(\.key) == keys)
        #expect(throws: SourceError.self) { try parse(String(text.dropLast()) + #", "k5": 1}"#) }
    }

    @Test func scalarsAndEmptyContainers() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == true)
        #expect(try parse("false") == false)
        #expect(try parse(#""""#) == "")
        #expect(try parse("[]") == [])
        #expect(try parse("{ }") == [:])
        #expect(try parse("[[], {}, [[]]]") == [[], [:], [[]]])
        #expect(try parse("\t\r\n [ 1 ,\n2 ] \n") == [1, 2])
    }

    @Test func everyEscapeIsDecoded() throws {
        #expect(try parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
        #expect(try parse(#""\u0041\u00e9\u00E9\u20AC\u0000\u001f""#) == .string("Aéé€\u{0}\u{1F}"))
        #expect(try parse(#""\ud83d\ude80""#) == "🚀")
        #expect(try parse(#""rocket \uD83D\uDE80 launch""#) == "rocket 🚀 launch")
        #expect(try parse(#""plain text, then \n""#) == "plain text, then \n")
    }

    @Test func rawNonASCIITextIsKept() throws {
        #expect(try parse(#""héllo wörld ✓ 日本語 🚀""#) == "héllo wörld ✓ 日本語 🚀")
        #expect(try parse(#"{"ключ": "значение\n🚀"}"#) == ["ключ": "значение\n🚀"])
    }

    @Test func loneOrMismatchedSurrogatesAreRefused() {
        expectError(
            #""\ud83d""#, line: 1, column: 2,
            "the escape \\uD83D is the high half of a surrogate pair but no \\uDC00–\\uDFFF follows it")
        expectError(
            #""x\ud83dy""#, line: 1, column: 3,
            "the escape \\uD83D is the high half of a surrogate pair but no \\uDC00–\\uDFFF follows it")
        expectError(
            #""\ude80""#, line: 1, column: 2, "the escape \\uDE80 is the low half of a surrogate pair with no high half before it")
        expectError(
            #""\ud83d\u0041""#, line: 1, column: 8, "expected a low surrogate \\uDC00–\\uDFFF after \\uD83D, found \\u0041")
        expectError(#""\ud83d\ud83d""#, line: 1, column: 8, "expected a low surrogate \\uDC00–\\uDFFF after \\uD83D, found \\uD83D")
    }

    @Test func badEscapesAreRefused() {
        expectError(#""a\x""#, line: 1, column: 3, #"expected an escape (\" \\ \/ \b \f \n \r \t or \uXXXX) after '\', found 'x'"#)
        expectError(#""\u12G4""#, line: 1, column: 6, #"expected four hex digits after '\u', found 'G4'"#)
        expectError(#""\u12"#, line: 1, column: 6, #"expected four hex digits after '\u', found the end of the document"#)
    }

    @Test func rawControlCharactersInStringsAreRefused() {
        expectError(
            "\"a\tb\"", line: 1, column: 3,
            "expected '\"' or more of the string, found a tab (control characters in strings must be escaped)")
        expectError(
            "[\"a\nb\"]", line: 1, column: 4,
            "expected '\"' or more of the string, found a line break (control characters in strings must be escaped)")
        expectError(
            "\"a\\n\u{01}\"", line: 1, column: 5,
            "expected '\"' or more of the string, found the control character U+0001 (control characters in strings must be escaped)"
        )
    }

    @Test func integersDoublesAndNegativeNumbers() throws {
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("42") == .int(42))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("-9223372036854775808") == .int(Int.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("-10000000000000000000") == .double(-1e19))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("1E+2") == .double(100))
        #expect(try parse("25e-2") == .double(0.25))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("-0.25") == .double(-0.25))
        #expect(try parse("1.0") == .double(1))
        #expect(try parse("-2.5e10") == .double(-2.5e10))
        #expect(try parse("[1,-1,1.5]") == [.int(1), .int(-1), .double(1.5)])
    }

    @Test func malformedNumbersAreRefused() {
        expectError("01", line: 1, column: 1, "a number may not start with a leading zero")
        expectError("[-01]", line: 1, column: 2, "a number may not start with a leading zero")
        expectError("-", line: 1, column: 2, "expected a digit after '-', found the end of the document")
        expectError("-a", line: 1, column: 2, "expected a digit after '-', found 'a'")
        expectError("1.", line: 1, column: 3, "expected a digit after the decimal point, found the end of the document")
        expectError("1.e5", line: 1, column: 3, "expected a digit after the decimal point, found 'e5'")
        expectError("1e", line: 1, column: 3, "expected a digit in the exponent, found the end of the document")
        expectError("1e+", line: 1, column: 4, "expected a digit in the exponent, found the end of the document")
        expectError(".5", line: 1, column: 1, "expected a value (an object, array, string, number, true, false or null), found '.'")
        expectError("+1", line: 1, column: 1, "expected a value (an object, array, string, number, true, false or null), found '+'")
        expectError("1e400", line: 1, column: 1, "the number 1e400 is out of range")
        expectError("[NaN]", line: 1, column: 2, "expected a value or ']' after '[', found 'NaN'")
        expectError("[1, Infinity]", line: 1, column: 5, "expected a value after ',', found 'Infinity'")
    }

    @Test func writtenJSONReadsBackAsTheSameValue() throws {
        let value: JSONValue = [
            "null": .null,
            "flags": [true, false],
            "ints": [0, 1, -1, .int(Int.max), .int(Int.min)],
            "doubles": [1.5, -2.25, 0.001, 1e20, -3.5e-7],
            "strings": ["", "plain", "quote \" backslash \\ slash /", "line\nbreak\ttab\r\u{08}\u{0C}\u{01}\u{1F}", "é ✓ 🚀 日本"],
            "nested": [
                "array": [[1, [2, [3, [:]]]], [], ["k": "v"]],
                "object": ["z": ["y": ["x": .null]], "a": [:], "m": []],
            ],
            "empty object": [:],
            "empty array": [],
        ]
        #expect(try parse(value.jsonText()) == value)
        #expect(try parse(value.jsonText(pretty: false)) == value)
    }

    @Test func leadingByteOrderMarkIsSkipped() throws {
        #expect(try parse("\u{FEFF}{\"a\": 1}") == ["a": 1])
        expectError("\u{FEFF}[1,]", line: 1, column: 4, "expected a value after ',', found ']' (JSON allows no trailing comma)")
    }

    // MARK: - Mistakes

    @Test func errorOnALaterLineCarriesItsLineAndColumn() {
        let text = """
            {
              "a": 1,
              "b": 2 x
            }
            """
        expectError(text, line: 3, column: 10, "expected ',' or '}' after an object member, found 'x'")
        expectError("[\r\n1,\r\n2\r\n3]", line: 4, column: 1, "expected ',' or ']' after an array element, found '3'")
        expectError("{\n  \"a\" 1\n}", line: 2, column: 7, "expected ':' after the object key a, found '1'")
    }

    @Test func trailingCommasAreRefused() {
        expectError("[1, 2,]", line: 1, column: 7, "expected a value after ',', found ']' (JSON allows no trailing comma)")
        expectError(#"{"a": 1,}"#, line: 1, column: 9, "expected a string key after ',', found '}' (JSON allows no trailing comma)")
        expectError("[,]", line: 1, column: 2, "expected a value or ']' after '[', found ','")
    }

    @Test func repeatedKeysAreRefused() {
        expectError(#"{"a": 1, "a": 2}"#, line: 1, column: 10, "the object repeats the key a; each key may appear once")
        expectError(
            "{\"Resources\": {\n  \"Bucket\": {},\n  \"Bucket\": {}\n}}", line: 3, column: 3,
            "the object repeats the key Bucket; each key may appear once")
    }

    /// Keys are the same when their code points are, as JSON compares them: `é` as one code
    /// point and `e` with a combining accent are two keys (Swift's strings call them equal),
    /// in a small object and in one large enough that its keys are hashed.
    @Test func keysThatDifferOnlyInNormalizationAreTwoKeys() throws {
        let filler = (1...20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        for prefix in ["", filler + ", "] {
            let value = try parse("{" + prefix + "\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}")
            let keys = (value.members ?? []).suffix(2).map { Array($0.key.utf8) }
            #expect(keys == [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8)])
        }
        // Columns count bytes: é is two.
        expectError("{\"caf\u{E9}\": 1, \"caf\u{E9}\": 2}", line: 1, column: 14, "the object repeats the key caf\u{E9}; each key may appear once")
    }

    @Test func repeatedKeysInDifferentObjectsAreFine() throws {
        #expect(try parse(#"{"a": {"a": 1}, "b": {"a": 2}}"#) == ["a": ["a": 1], "b": ["a": 2]])
    }

    @Test func unterminatedStringsAreRefused() {
        expectError(#"{"a": "abc"#, line: 1, column: 7, "unterminated string")
        expectError(#"{"a": "abc\"#, line: 1, column: 7, "unterminated string")
        expectError(#"{"a": "a\nbc\"#, line: 1, column: 7, "unterminated string")
        expectError(#"["abc"#, line: 1, column: 2, "unterminated string")
    }

    @Test func emptyDocumentsAreRefused() {
        expectError("", line: 1, column: 1, "the document is empty")
        expectError("  \n ", line: 2, column: 2, "the document is empty")
        expectError("\u{FEFF}", line: 1, column: 1, "the document is empty")
    }

    @Test func unclosedContainersAreRefused() {
        expectError("[1, 2", line: 1, column: 6, "expected ',' or ']' after an array element, found the end of the document")
        expectError(#"{"a": 1"#, line: 1, column: 8, "expected ',' or '}' after an object member, found the end of the document")
        expectError(#"{"a":"#, line: 1, column: 6, "expected a value after ':', found the end of the document")
        expectError("{", line: 1, column: 2, "expected a string key or '}' after '{', found the end of the document")
        expectError("[1}", line: 1, column: 3, "expected ',' or ']' after an array element, found '}'")
        expectError(#"{"a": [1], "b": }"#, line: 1, column: 17, "expected a value after ':', found '}'")
        expectError(#"[{"a": 1}, ]"#, line: 1, column: 12, "expected a value after ',', found ']' (JSON allows no trailing comma)")
    }

    @Test func nestingDeeperThan512IsRefused() throws {
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try parse(fine)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements.first ?? .null
        }
        #expect(depth == 512)

        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        expectError(deep, line: 1, column: 513, "arrays and objects nest deeper than 512 levels")
        let deepObjects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        expectError(deepObjects, line: 1, column: 5 * 512 + 1, "arrays and objects nest deeper than 512 levels")
        // Far deeper than any stack would allow for a recursive reader.
        #expect(throws: SourceError.self) { try parse(String(repeating: "[", count: 1_000_000)) }
    }

    @Test func contentAfterTheValueIsRefused() {
        expectError("1 2", line: 1, column: 3, "expected the end of the document after the value, found '2'")
        expectError("{}\n}", line: 2, column: 1, "expected the end of the document after the value, found '}'")
        expectError("truex", line: 1, column: 5, "expected the end of the document after the value, found 'x'")
    }

    @Test func nonJSONSyntaxIsRefused() {
        expectError("// note\n{}", line: 1, column: 1, "expected a value (an object, array, string, number, true, false or null), found '/'")
        expectError("{} /* note */", line: 1, column: 4, "expected the end of the document after the value, found '/'")
        expectError("['a']", line: 1, column: 2, "expected a value or ']' after '[', found '''")
        expectError("{'a': 1}", line: 1, column: 2, "expected a string key or '}' after '{', found '''")
        expectError("{a: 1}", line: 1, column: 2, "expected a string key or '}' after '{', found 'a'")
        expectError("[tru]", line: 1, column: 2, "expected a value or ']' after '[', found 'tru'")
        expectError("nul", line: 1, column: 1, "expected a value (an object, array, string, number, true, false or null), found 'nul'")
        expectError("[1, None]", line: 1, column: 5, "expected a value after ',', found 'None'")
        expectError("é", line: 1, column: 1, "expected a value (an object, array, string, number, true, false or null), found 'é'")
    }

    // MARK: - Templates

    @Test func templatesStartingWithABraceAreJSON() throws {
        let json = #"{"Resources": {"A": {"Type": "X", "Properties": {"B": {"Ref": "C"}}}}}"#
        #expect(try JSONValue.parseTemplate(json, file: "t") == JSONValue.parseJSON(json, file: "t"))
        #expect(try JSONValue.parseTemplate("\u{FEFF}\n  " + json, file: "t") == JSONValue.parseJSON(json, file: "t"))
        // The JSON reader's own messages show which reader ran.
        #expect(
            throws: SourceError(file: "t", line: 2, column: 11, message: "the object repeats the key a; each key may appear once")
        ) {
            try JSONValue.parseTemplate("\n {\"a\": 1, \"a\": 2}", file: "t")
        }
        #expect(
            throws: SourceError(file: "t", line: 1, column: 9, message: "expected a string key after ',', found '}' (JSON allows no trailing comma)")
        ) {
            try JSONValue.parseTemplate(#"{"a": 1,}"#, file: "t")
        }
    }

    @Test func otherTemplatesAreYAMLWithShortForms() throws {
        let yaml = "Resources:\n  A:\n    Type: X\n    Properties:\n      B: !Ref C"
        let json = #"{"Resources": {"A": {"Type": "X", "Properties": {"B": {"Ref": "C"}}}}}"#
        let fromYAML = try JSONValue.parseTemplate(yaml, file: "t.yaml")
        #expect(fromYAML == (try JSONValue.parseTemplate(json, file: "t.json")))
        #expect(fromYAML == ["Resources": ["A": ["Type": "X", "Properties": ["B": ["Ref": "C"]]]]])
        #expect(try JSONValue.parseTemplate("# comment\nA: [1, 2]", file: "t.yaml") == ["A": [1, 2]])
    }
}
