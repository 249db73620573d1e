import Testing

@testable import BerthTemplate

/// A tiny typed resource, so that the model is tested without the generated types.
private struct Bucket: ResourceProperties {
    static let resourceType = "AWS::S3::Bucket"
    static let createOnlyProperties = ["/properties/BucketName"]
    var name: Value<String>?
    var templateValue: JSONValue { .object(["BucketName": name?.templateValue]) }
}

@Suite struct TemplateTests {
    @Test func topLevelKeysFollowCloudFormationsOrder() {
        var template = Template(description: "demo")
        template.addOutput("Name", Output(Intrinsic.ref("Store")))
        template.add("Store", Bucket(name: "x"))
        template.addCondition("Always", .equals("a", "a"))
        template.addParameter("Env", Parameter(defaultValue: "dev", allowedValues: ["dev", "prod"]))
        template.mappings.append(Named("Sizes", ["dev": ["cpu": "256"]]))
        template.metadata = ["Owner": "team"]
        let keys = template.templateValue.members?.map(\.key)
        #expect(keys == [
            "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Mappings", "Conditions", "Resources",
            "Outputs",
        ])
    }

    @Test func emptySectionsAreLeftOutButResourcesStay() {
        let keys = Template().templateValue.members?.map(\.key)
        #expect(keys == ["AWSTemplateFormatVersion", "Resources"])
    }

    @Test func resourceAttributesRenderInOrderAndPropertiesAlwaysAppear() {
        var template = Template()
        template.add("Store", Bucket(), dependsOn: ["Other"], condition: "IsProd", deletionPolicy: .retain, updateReplacePolicy: .retain, metadata: ["k": "v"])
        template.add("Two", Bucket(), dependsOn: ["A", "B"])
        let store = template.templateValue["Resources"]?["Store"]
        #expect(store?.members?.map(\.key) == ["Type", "Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "Properties"])
        #expect(store?["DependsOn"] == "Other")
        #expect(store?["Properties"] == .object([]))
        #expect(template.templateValue["Resources"]?["Two"]?["DependsOn"] == ["A", "B"])
    }

    @Test func parametersRenderEveryConstraint() {
        let parameter = Parameter(
            type: "Number", description: "d", defaultValue: 1, allowedValues: ["1", "2"], allowedPattern: "^[0-9]$",
            constraintDescription: "digits", minLength: 1, maxLength: 2, noEcho: true)
        #expect(parameter.templateValue.jsonText(pretty: false) == #"{"Type":"Number","Description":"d","Default":1,"AllowedValues":["1","2"],"AllowedPattern":"^[0-9]$","ConstraintDescription":"digits","MinLength":1,"MaxLength":2,"NoEcho":true}"#)
    }

    @Test func outputsCanBeExported() {
        let output = Output(Intrinsic.ref("Store"), description: "d", exportName: Intrinsic.sub("${AWS::StackName}-store"))
        #expect(output.templateValue.jsonText(pretty: false) == #"{"Description":"d","Value":{"Ref":"Store"},"Export":{"Name":{"Fn::Sub":"${AWS::StackName}-store"}}}"#)
    }

    @Test func renderingIsDeterministic() {
        func build() -> String {
            var template = Template(description: "d")
            template.add("A", Bucket(name: "a"))
            template.add("B", Bucket(name: .ref("A")))
            return template.templateValue.jsonText()
        }
        #expect(build() == build())
    }
}
