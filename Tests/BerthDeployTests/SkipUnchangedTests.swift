import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// When a deploy would send exactly what a stack has, no change set is made.
@Suite struct SkipUnchangedTests {
    private func deployed(status: String = "UPDATE_COMPLETE", parameters: [String: String] = ["ImageTag": "dev-1"]) -> StackDescription {
        StackDescription(
            stackID: "arn:stack/app-api-dev", name: "app-api-dev", status: StackStatus(status), statusReason: nil, parameters: parameters,
            outputs: [:], tags: ["berth:app": "app"], creationTime: nil, lastUpdatedTime: nil, terminationProtection: false)
    }

    private let deployment = StackDeployment(
        stackName: "app-api-dev", templateBody: "{\"Resources\": {}}", resourceCount: 1, parameters: [("ImageTag", "dev-1")],
        tags: [("berth:app", "app")])

    @Test func onlyTheSameTemplateParametersAndTagsAreUnchanged() {
        #expect(deployment.isUnchanged(comparedWith: deployed(), templateBody: "{\"Resources\": {}}"))
        #expect(!deployment.isUnchanged(comparedWith: deployed(), templateBody: "{\"Resources\": {} }"))
        #expect(!deployment.isUnchanged(comparedWith: deployed(parameters: ["ImageTag": "dev-2"]), templateBody: "{\"Resources\": {}}"))
        var retagged = deployment
        retagged.tags.append(("berth:service", "api"))
        #expect(!retagged.isUnchanged(comparedWith: deployed(), templateBody: "{\"Resources\": {}}"))
        var keeping = deployment
        keeping.keepPreviousParameters = ["Secret"]
        #expect(!keeping.isUnchanged(comparedWith: deployed(), templateBody: "{\"Resources\": {}}"))
    }

    /// Texts are compared by code points, as CloudFormation compares them: a template or a
    /// parameter whose `é` is now written as `e` and a combining accent is a change.
    @Test func aTextThatChangesOnlyInCodePointsIsAChange() {
        var composed = deployment
        composed.templateBody = "{\"Description\": \"caf\u{E9}\"}"
        #expect(composed.isUnchanged(comparedWith: deployed(), templateBody: "{\"Description\": \"caf\u{E9}\"}"))
        #expect(!composed.isUnchanged(comparedWith: deployed(), templateBody: "{\"Description\": \"cafe\u{301}\"}"))
        var parameter = deployment
        parameter.parameters = [("ImageTag", "caf\u{E9}")]
        #expect(!parameter.isUnchanged(comparedWith: deployed(parameters: ["ImageTag": "cafe\u{301}"]), templateBody: "{\"Resources\": {}}"))
    }

    @Test(arguments: [
        ("CREATE_COMPLETE", true), ("UPDATE_COMPLETE", true), ("IMPORT_COMPLETE", true), ("UPDATE_ROLLBACK_COMPLETE", false),
        ("UPDATE_IN_PROGRESS", false), ("ROLLBACK_COMPLETE", false),
    ])
    func onlySettledHealthyStacksAreSkipped(status: String, skipped: Bool) {
        #expect(StackStatus(status).canSkipUnchanged == skipped)
    }
}
