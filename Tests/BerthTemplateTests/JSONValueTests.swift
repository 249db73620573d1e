import Testing

@testable import BerthTemplate

@Suite struct JSONValueSerializationTests {
    @Test func objectsKeepInsertionOrder() {
        let value: JSONValue = ["zeta": 1, "alpha": 2, "mid": 3]
        #expect(value.jsonText(pretty: false) == #"{"zeta":1,"alpha":2,"mid":3}"#)
    }

    @Test func prettyTextUsesTwoSpacesAndEndsWithNewline() {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": []]
        #expect(value.jsonText() == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}\n")
    }

    @Test func stringsAreEscaped() {
        let value = JSONValue.string("quote \" backslash \\ newline \n tab \t bell \u{07} é ✓")
        #expect(value.jsonText(pretty: false) == #""quote \" backslash \\ newline \n tab \t bell \u0007 é ✓""#)
    }

    @Test func everyByteThatNeedsAnEscapeIsFoundWhereverItIsInTheString() throws {
        // The writer checks eight bytes at a time: each byte value at each offset of strings long
        // enough to fill words and a tail, beside multi-byte UTF-8 (bytes of 0x80 and above).
        for length in [1, 7, 8, 9, 16, 23] {
            for offset in 0..<length {
                for byte in UInt8(0)...UInt8(0x7F) {
                    var bytes = Array("é".utf8) + Array(repeating: UInt8(ascii: "a"), count: length) + Array("ü".utf8)
                    bytes[2 + offset] = byte
                    let needs = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    let found = bytes.withUnsafeBufferPointer { JSONWriter.needsEscape($0) }
                    #expect(found == needs, "byte \(byte) at \(offset) of \(length)")
                }
            }
        }
        // Every control character, as text, comes back the same from the JSON it renders to.
        let controls = String(decoding: (UInt8(0)..<0x20).map { $0 } + Array("\"\\/ ok".utf8), as: UTF8.self)
        let rendered = JSONValue.string(String(repeating: "word ", count: 3) + controls).jsonText(pretty: false)
        #expect(try JSONValue.parseJSON(rendered, file: "t.json") == .string(String(repeating: "word ", count: 3) + controls))
    }

    @Test func numbersRenderWithoutNeedlessFractions() {
        #expect(JSONValue.double(60).jsonText(pretty: false) == "60")
        #expect(JSONValue.double(0.5).jsonText(pretty: false) == "0.5")
        #expect(JSONValue.double(-2.25).jsonText(pretty: false) == "-2.25")
        #expect(JSONValue.int(-7).jsonText(pretty: false) == "-7")
        #expect(JSONValue.double(.nan).jsonText(pretty: false) == "null")
    }

    @Test func nilMembersAreLeftOut() {
        let missing: String? = nil
        let value = JSONValue.object(["kept": "x", "dropped": missing.map(JSONValue.string), "also": .null])
        #expect(value.jsonText(pretty: false) == #"{"kept":"x","also":null}"#)
    }

    @Test func subscriptFindsMembers() {
        let value: JSONValue = ["a": ["b": "c"]]
        #expect(value["a"]?["b"] == "c")
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["a"] == nil)
    }

    @Test func mapsRenderWithSortedKeys() {
        let map: [String: Value<String>] = ["b": "2", "a": "1", "c": .ref("X")]
        #expect(map.templateValue.jsonText(pretty: false) == #"{"a":"1","b":"2","c":{"Ref":"X"}}"#)
    }
}
