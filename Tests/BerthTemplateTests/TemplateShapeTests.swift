import BerthTemplate
import Foundation
import Testing

/// `templateShapeProblem`: every part of a template has the shape CloudFormation gives it.
@Suite struct TemplateShapeTests {
    private func problem(_ text: String) throws -> String? {
        try JSONValue.parseTemplate(text, file: "t.json").templateShapeProblem
    }

    private let resource = "\"A\": {\"Type\": \"AWS::SNS::Topic\"}"

    @Test func realTemplatesHaveTheShape() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"
        for name in ["cdk-service.template.json", "cdk-service.template.yaml"] {
            let text = try String(contentsOfFile: fixtures + "/" + name, encoding: .utf8)
            #expect(try JSONValue.parseTemplate(text, file: name).templateShapeProblem == nil, "\(name)")
        }
        let full = """
            {"AWSTemplateFormatVersion": "2010-09-09", "Description": "d", "Transform": ["AWS::LanguageExtensions"],
             "Metadata": {"x": 1}, "Parameters": {"P": {"Type": "String"}}, "Mappings": {"M": {"k": {"v": 1}}},
             "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}}, "Rules": {}, "Hooks": {},
             "Resources": {"A": {"Type": "AWS::SNS::Topic", "Properties": {}, "Metadata": {}, "DependsOn": "B", "Condition": "C",
                                 "DeletionPolicy": "Retain", "UpdateReplacePolicy": {"Fn::If": ["C", "Retain", "Delete"]}},
                           "B": {"Type": "AWS::SNS::Topic", "DependsOn": ["A"], "CreationPolicy": {}, "UpdatePolicy": {}},
                           "Fn::ForEach::Topics": ["T", ["a"], {"Topic${T}": {"Type": "AWS::SNS::Topic"}}]},
             "Outputs": {"O": {"Value": {"Ref": "A"}, "Export": {"Name": "x"}, "Condition": "C"}}}
            """
        #expect(try problem(full) == nil)
    }

    @Test func everyPartWithTheWrongShapeIsNamed() throws {
        let cases: [(String, String)] = [
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"Properties\": \"x\"}}}", "resource A's Properties is a string, not a mapping"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"Properties\": [1]}}}", "resource A's Properties is a list, not a mapping"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"Properties\": null}}}", "resource A's Properties is null, not a mapping"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"Metadata\": 1}}}", "resource A's Metadata is a number, not a mapping"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"UpdatePolicy\": true}}}", "resource A's UpdatePolicy is a boolean, not a mapping"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"CreationPolicy\": \"x\"}}}", "resource A's CreationPolicy is a string"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"DependsOn\": 1}}}", "resource A's DependsOn is a number, not a resource's logical ID"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"DependsOn\": [\"B\", 2]}}}", "resource A's DependsOn is a list, not a resource's logical ID"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"DependsOn\": {\"Ref\": \"B\"}}}}", "resource A's DependsOn is a mapping"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"Condition\": [\"C\"]}}}", "resource A's Condition is a list, not a condition's name"),
            ("{\"Resources\": {\"A\": {\"Type\": \"T\", \"DeletionPolicy\": 1}}}", "resource A's DeletionPolicy is a number, not a policy"),
            ("{\"Resources\": {\"A\": {\"Type\": 7}}}", "resource A's Type is a number, not a resource type"),
            ("{\"Resources\": {\"A\": {\"Type\": \"\"}}}", "resource A's Type is empty, not a resource type"),
            ("{\"Resources\": {\"A\": {\"Type\": {\"Ref\": \"P\"}}}}", "resource A's Type is a mapping"),
            ("{\"Resources\": {\"A\": null}}", "resource A is null, not a mapping"),
            ("{\"Resources\": null}", "Resources is null, not a mapping"),
            ("{\"Parameters\": {\"P\": \"String\"}, \"Resources\": {\(resource)}}", "parameter P is a string, not a mapping"),
            ("{\"Parameters\": {\"P\": {}}, \"Resources\": {\(resource)}}", "parameter P has no Type"),
            ("{\"Parameters\": {\"P\": {\"Type\": [\"String\"]}}, \"Resources\": {\(resource)}}", "parameter P's Type is a list"),
            ("{\"Mappings\": {\"M\": [1]}, \"Resources\": {\(resource)}}", "mapping M is a list, not a mapping"),
            ("{\"Mappings\": {\"M\": {\"k\": \"v\"}}, \"Resources\": {\(resource)}}", "mapping M's k is a string, not a mapping of names to values"),
            ("{\"Conditions\": {\"C\": true}, \"Resources\": {\(resource)}}", "condition C is a boolean, not a condition function"),
            ("{\"Conditions\": [], \"Resources\": {\(resource)}}", "Conditions is a list, not a mapping"),
            ("{\"Outputs\": {\"O\": \"x\"}, \"Resources\": {\(resource)}}", "output O is a string, not a mapping"),
            ("{\"Outputs\": {\"O\": {\"Description\": \"x\"}}, \"Resources\": {\(resource)}}", "output O has no Value"),
            ("{\"Outputs\": {\"O\": {\"Value\": null}}, \"Resources\": {\(resource)}}", "output O has no Value"),
            ("{\"Outputs\": {\"O\": {\"Value\": \"v\", \"Export\": \"x\"}}, \"Resources\": {\(resource)}}", "output O's Export is a string"),
            ("{\"Outputs\": {\"O\": {\"Value\": \"v\", \"Condition\": 1}}, \"Resources\": {\(resource)}}", "output O's Condition is a number"),
            ("{\"Outputs\": null, \"Resources\": {\(resource)}}", "Outputs is null, not a mapping"),
            ("{\"Metadata\": \"m\", \"Resources\": {\(resource)}}", "Metadata is a string, not a mapping"),
            ("{\"Rules\": [1], \"Resources\": {\(resource)}}", "Rules is a list, not a mapping"),
            ("{\"Description\": {\"x\": 1}, \"Resources\": {\(resource)}}", "Description is a mapping, not a string"),
            ("{\"AWSTemplateFormatVersion\": 2010, \"Resources\": {\(resource)}}", "AWSTemplateFormatVersion is a number, not a string"),
            ("{\"Transform\": 3, \"Resources\": {\(resource)}}", "Transform is a number, not a transform's name"),
            ("{\"Transform\": [], \"Resources\": {\(resource)}}", "Transform is a list, not a transform's name"),
        ]
        for (text, expected) in cases {
            let found = try problem(text)
            #expect(found?.hasPrefix(expected) == true, "\(text): \(found ?? "no problem")")
        }
    }
}
