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

    @Test(arguments: [
        ("CREATE_COMPLETE", true), ("UPDATE_COMPLETE", true), ("IMPORT_COMPLETE", true), ("UPDATE_ROLLBACK_COMPLETE", false),
        ("UPDATE_IN_PROGRESS", false), ("ROLLBACK_COMPLETE", false),
    ])
    func onlySettledHealthyStacksAreSkipped(status: String, skipped: Bool) {
        #expect(StackStatus(status).canSkipUnchanged == skipped)
    }
}
