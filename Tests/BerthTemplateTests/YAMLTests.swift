import Foundation
import Testing

@testable import BerthTemplate

@Suite struct YAMLWritingTests {
    @Test func intrinsicsUseShortFormTags() {
        let value: JSONValue = [
            "A": Intrinsic.ref("Vpc").templateValue,
            "B": Intrinsic.getAtt("Lb", "DNSName").templateValue,
            "C": Intrinsic.sub("${AWS::StackName}-x").templateValue,
            "D": Intrinsic.select(0, Intrinsic.availabilityZones.templateValue).templateValue,
            "E": Intrinsic.importValue("shared").templateValue,
        ]
        #expect(value.yamlText() == """
            A: !Ref Vpc
            B: !GetAtt Lb.DNSName
            C: !Sub "${AWS::StackName}-x"
            D: !Select
              - 0
              - !GetAZs ""
            E: !ImportValue shared

            """)
    }

    @Test func ambiguousStringsAreQuoted() {
        let value: JSONValue = [
            "yes": "yes", "number": "123", "float": "1.5", "cidr": "0.0.0.0/0", "empty": "", "colon": "a: b",
            "comment": "#x", "space": " lead", "null": "null", "plain": "api-v2_x.y/z", "version": "2012-10-17",
        ]
        #expect(value.yamlText() == """
            "yes": "yes"
            number: "123"
            float: "1.5"
            cidr: "0.0.0.0/0"
            empty: ""
            colon: "a: b"
            comment: "#x"
            space: " lead"
            "null": "null"
            plain: api-v2_x.y/z
            version: "2012-10-17"

            """)
    }

    @Test func nestedCollectionsUseBlockStyle() {
        let value: JSONValue = ["List": [["Key": "Name", "Value": "x"], [1, 2]], "Empty": [], "None": [:]]
        #expect(value.yamlText() == """
            List:
              - Key: Name
                Value: x
              - - 1
                - 2
            Empty: []
            None: {}

            """)
    }

    @Test func writtenYAMLReadsBackAsTheSameValue() throws {
        let value: JSONValue = [
            "Conditions": ["Prod": Intrinsic.not(Intrinsic.equals(Intrinsic.ref("Env").templateValue, "").templateValue).templateValue],
            "Resources": [
                "Thing": [
                    "Type": "AWS::X::Y",
                    "Properties": [
                        "Image": Intrinsic.if("Prod", Intrinsic.sub("${A}@${B}"), Intrinsic.join(":", ["a", Intrinsic.ref("B")])).templateValue,
                        "Numbers": [1, 2.5, -3],
                        "Flags": [true, false, .null],
                        "Text": "line one\nline \"two\"",
                        "Vars": Intrinsic.sub("${X}", variables: [.init("X", Intrinsic.getAtt("R", "Arn").templateValue)]).templateValue,
                        "Azs": Intrinsic.getAZs(Intrinsic.ref(.region).templateValue).templateValue,
                        "Split": Intrinsic.split(",", Intrinsic.ref("L").templateValue).templateValue,
                        "And": Intrinsic.and([Intrinsic.condition("Prod").templateValue, "x"]).templateValue,
                    ],
                ]
            ],
        ]
        let parsed = try JSONValue.parseYAML(value.yamlText(), file: "t.yaml")
        #expect(parsed == value)
    }

    /// YAML's c-printable leaves out DEL, the C1 controls, U+FFFE and U+FFFF (libyaml refuses
    /// them raw), and NEL, U+2028 and U+2029 are line breaks a quoted scalar would fold: all are
    /// escaped, and read back as they were.
    @Test func charactersYAMLCannotPrintAreEscaped() throws {
        let text = "a\u{7F}b\u{80}c\u{85}d\u{9F}e\u{FFFE}f\u{FFFF}g\u{1}h\u{2028}i"
        let value: JSONValue = ["Resources": ["Thing": ["Type": "AWS::X::Y", "Properties": ["Text": .string(text)]]]]
        let written = value.yamlText()
        #expect(written.contains("\"a\\u007Fb\\u0080c\\u0085d\\u009Fe\\uFFFEf\\uFFFFg\\u0001h\\u2028i\""), "\(written)")
        #expect(try JSONValue.parseYAML(written, file: "t.yaml") == value)
    }
}

@Suite struct YAMLReadingTests {
    @Test func shortFormsBecomeLongForms() throws {
        let text = """
            A: !Ref Vpc
            B: !GetAtt Lb.DNSName
            C: !Sub
              - "${X}"
              - X: !Ref Y
            D: !Condition IsProd
            E: !GetAtt [Lb, Arn]
            F: !Join [",", [a, b]]
            """
        let value = try JSONValue.parseYAML(text, file: "t.yaml")
        #expect(value["A"] == ["Ref": "Vpc"])
        #expect(value["B"] == ["Fn::GetAtt": ["Lb", "DNSName"]])
        #expect(value["C"] == ["Fn::Sub": ["${X}", ["X": ["Ref": "Y"]]]])
        #expect(value["D"] == ["Condition": "IsProd"])
        #expect(value["E"] == ["Fn::GetAtt": ["Lb", "Arn"]])
        #expect(value["F"] == ["Fn::Join": [",", ["a", "b"]]])
    }

    @Test func scalarsResolveAsYAMLDoes() throws {
        let value = try JSONValue.parseYAML("a: 1\nb: 1.5\nc: true\nd: ~\ne: \"1\"\nf: text", file: "t.yaml")
        #expect(value == ["a": 1, "b": 1.5, "c": true, "d": .null, "e": "1", "f": "text"])
    }

    @Test func everyPlainScalarWordResolvesAsYAML11Does() {
        for word in ["", "~", "null", "Null", "NULL"] { #expect(YAMLScalar.resolvePlain(word) == .null, "\(word)") }
        for word in ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"] { #expect(YAMLScalar.resolvePlain(word) == .bool(true), "\(word)") }
        for word in ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"] { #expect(YAMLScalar.resolvePlain(word) == .bool(false), "\(word)") }
        // Near misses stay text: other spellings, longer words, full-width letters, combining marks.
        for word in ["nULL", "tRUE", "nO", "n", "y", "Y", "onn", "offf", "nulls", "truee", "ｔrue", "Ｎo", "no\u{301}", "~~", "\u{212A}"] {
            #expect(YAMLScalar.resolvePlain(word) == .string(word), "\(word)")
        }
        #expect(YAMLScalar.resolvePlain("0") == .int(0))
        #expect(YAMLScalar.resolvePlain("-12") == .int(-12))
        #expect(YAMLScalar.resolvePlain("+7") == .int(7))
        #expect(YAMLScalar.resolvePlain("1e3") == .double(1000))
        #expect(YAMLScalar.resolvePlain(".5") == .double(0.5))
        for word in ["01", "+", "-", "0x1F", "1_000", "１２", "1\u{301}", "-\u{301}1", "12a", ".", "1e", "2012-10-17"] {
            #expect(YAMLScalar.resolvePlain(word) == .string(word), "\(word)")
        }
    }

    @Test func mistakesCarryLineAndColumn() {
        #expect(throws: SourceError(file: "t.yaml", line: 2, column: 4, message: "unknown tag !bogus-tag; short forms are !Ref, !Condition and !Name for Fn::Name")) {
            try JSONValue.parseYAML("a: 1\nb: !bogus-tag x", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 1, column: 4, message: "the tag !!python/object:os.system is not allowed in a template")) {
            try JSONValue.parseYAML("a: !!python/object:os.system x", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 2, column: 1, message: "a is given again here (first at line 1); each key may appear once")) {
            try JSONValue.parseYAML("a: 1\na: 2", file: "t.yaml")
        }
        #expect(throws: SourceError(file: "t.yaml", line: 1, column: 4, message: "!GetAtt takes Resource.Attribute, got NoDot")) {
            try JSONValue.parseYAML("a: !GetAtt NoDot", file: "t.yaml")
        }
        do {
            _ = try JSONValue.parseYAML("a: [1, 2\nb: 3", file: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("not valid YAML"))
        }
    }

    @Test func everyShortFormIsFnName() throws {
        let value = try JSONValue.parseYAML("a: !Contains [[x], !Ref P]\nb: !ForEach [x]\nc: !Length [1]\nd: !Bogus x", file: "t.yaml")
        #expect(value == [
            "a": ["Fn::Contains": [["x"], ["Ref": "P"]]], "b": ["Fn::ForEach": ["x"]], "c": ["Fn::Length": [1]], "d": ["Fn::Bogus": "x"],
        ])
    }

    /// A CDK-shaped template and its YAML form as cfn-flip writes it (see Fixtures/README.md)
    /// read to the same value.
    @Test func aCDKTemplateFlippedToYAMLByCfnFlipReadsAsItsJSON() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"
        let json = try String(contentsOfFile: fixtures + "/cdk-service.template.json", encoding: .utf8)
        let yaml = try String(contentsOfFile: fixtures + "/cdk-service.template.yaml", encoding: .utf8)
        #expect(yaml.contains("!Contains") && yaml.contains("!ToJsonString") && yaml.contains("!Cidr"))
        let fromJSON = try JSONValue.parseTemplate(json, file: "cdk-service.template.json")
        let fromYAML = try JSONValue.parseTemplate(yaml, file: "cdk-service.template.yaml")
        #expect(fromYAML == fromJSON)
        #expect(fromYAML["Rules"]?["CheckBootstrapVersion"]?["Assertions"]?.elements?.first?["Assert"]?["Fn::Not"]?.elements?.first?["Fn::Contains"] != nil)
    }

    @Test func aliasesThatRepeatEachOtherAreRefused() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        do {
            _ = try JSONValue.parseYAML(lines.joined(separator: "\n"), file: "bomb.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("the document expands to more than 1000000 values"))
        }
    }
}
