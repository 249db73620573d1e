import Testing

@testable import BerthTemplate

private func resource(_ properties: JSONValue = .object([])) -> Resource {
    Resource(type: "AWS::S3::Bucket", properties: properties)
}

private func messages(_ template: Template) -> [String] { template.validate(stack: "demo").map(\.description) }

@Suite struct TemplateValidationTests {
    @Test func aValidTemplateHasNoProblems() {
        var template = Template()
        template.addParameter("Env", Parameter())
        template.addCondition("IsProd", .equals(Intrinsic.ref("Env").templateValue, "prod"))
        template.addResource("A", resource())
        template.addResource("B", Resource(type: "AWS::S3::Bucket", properties: [
            "Name": Intrinsic.sub("${A}-${A.Arn}-${AWS::Region}-${!Literal}-${Env}").templateValue,
            "Other": Intrinsic.getAtt("A", "Arn").templateValue,
            "Maybe": Intrinsic.if("IsProd", Intrinsic.ref("A"), Intrinsic.ref(.noValue)).templateValue,
            "WithVariables": Intrinsic.sub("${Local}", variables: [.init("Local", "x")]).templateValue,
        ], dependsOn: ["A"], condition: "IsProd"))
        template.addOutput("Out", Output(Intrinsic.ref("B"), condition: "IsProd"))
        #expect(messages(template) == [])
    }

    @Test func invalidLogicalIDsAreNamed() {
        var template = Template()
        template.addResource("my-bucket", resource())
        template.addResource(String(repeating: "A", count: 256), resource())
        let found = messages(template)
        #expect(found.count == 2)
        #expect(found[0] == "demo: Resources.my-bucket: logical ID must be 1 to 255 ASCII letters and digits (^[A-Za-z0-9]{1,255}$)")
    }

    @Test func duplicateLogicalIDsAreReported() {
        var template = Template()
        template.addResource("A", resource())
        template.addResource("A", resource())
        template.addParameter("B", Parameter())
        template.addResource("B", resource())
        let found = messages(template)
        #expect(found.contains("demo: Resources.A: logical ID is used more than once"))
        #expect(found.contains("demo: Resources.B: a parameter has the same logical ID; Ref could not tell them apart"))
    }

    @Test func referencesToMissingTargetsAreReportedWithTheirPath() {
        var template = Template()
        template.addResource("A", Resource(type: "AWS::S3::Bucket", properties: [
            "List": [Intrinsic.ref("Missing").templateValue],
            "Att": Intrinsic.getAtt("Gone", "Arn").templateValue,
            "Text": Intrinsic.sub("${Nope}-${Absent.Arn}").templateValue,
            "Choice": Intrinsic.if("NoSuchCondition", "a", "b").templateValue,
        ], dependsOn: ["Ghost"], condition: "Unknown"))
        template.addOutput("Out", Output(Intrinsic.ref("Nothing")))
        let found = messages(template)
        #expect(found.contains("demo: Resources.A.Properties.List[0].Ref: Ref to Missing, which is neither a parameter, a resource nor a pseudo parameter"))
        #expect(found.contains("demo: Resources.A.Properties.Att.Fn::GetAtt: Fn::GetAtt of Gone, which is not a resource in this template"))
        #expect(found.contains("demo: Resources.A.Properties.Text.Fn::Sub: Fn::Sub names ${Nope}, which is neither a parameter, a resource nor a pseudo parameter"))
        #expect(found.contains("demo: Resources.A.Properties.Text.Fn::Sub: Fn::Sub names ${Absent.Arn}, but Absent is not a resource in this template"))
        #expect(found.contains("demo: Resources.A.Properties.Choice.Fn::If: Fn::If names condition NoSuchCondition, which is not defined under Conditions"))
        #expect(found.contains("demo: Resources.A.DependsOn: depends on Ghost, which is not a resource in this template"))
        #expect(found.contains("demo: Resources.A.Condition: names condition Unknown, which is not defined under Conditions"))
        #expect(found.contains("demo: Outputs.Out.Value.Ref: Ref to Nothing, which is neither a parameter, a resource nor a pseudo parameter"))
        #expect(found.count == 8)
    }

    @Test func quotasAreEnforced() {
        var template = Template()
        for index in 0..<501 { template.addResource("R\(index)", resource()) }
        for index in 0..<201 {
            template.addParameter("P\(index)", Parameter())
            template.addOutput("O\(index)", Output("x"))
        }
        let found = messages(template)
        #expect(found.contains("demo: Resources: 501 entries, over CloudFormation's limit of 500 per stack: split the stack"))
        #expect(found.contains("demo: Parameters: 201 entries, over CloudFormation's limit of 200 per stack: split the stack"))
        #expect(found.contains("demo: Outputs: 201 entries, over CloudFormation's limit of 200 per stack: split the stack"))
    }

    @Test func aTemplateNeedsAResource() {
        #expect(messages(Template()) == ["demo: Resources: a template needs at least one resource"])
    }

    @Test func stackNamesFollowCloudFormationsRule() {
        #expect(TemplateLimits.isValidStackName("shop-api-dev"))
        #expect(!TemplateLimits.isValidStackName("1shop"))
        #expect(!TemplateLimits.isValidStackName("shop_api"))
        #expect(!TemplateLimits.isValidStackName(""))
        #expect(!TemplateLimits.isValidStackName("a" + String(repeating: "b", count: 128)))
    }
}
