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
