import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// Under `--method auto`, which refusals of a change set fall back to the template comparison.
@Suite struct DiffFallBackTests {
    private func refused(_ code: String, _ message: String = "refused") -> AWSServiceError {
        AWSServiceError(service: "cloudformation", operation: "CreateChangeSet", status: 400, code: code, message: message, requestID: nil)
    }

    @Test func aChangeSetCloudFormationWillNotMakeFallsBackAndAThrottleDoesNot() {
        #expect(AppDiff.canFallBack(from: refused("ValidationError", "Parameters: [ListenerArn] must have values")))
        #expect(!AppDiff.canFallBack(from: refused("ValidationError", "Role arn:aws:iam::123456789012:role/x is invalid or cannot be assumed")))
        #expect(AppDiff.canFallBack(from: refused("AccessDenied")))
        #expect(AppDiff.canFallBack(from: DeployError.changeSetFailed(stack: "s", reason: "r")))
        #expect(!AppDiff.canFallBack(from: refused("Throttling")))
        #expect(!AppDiff.canFallBack(from: DeployError.timedOut(stack: "s", status: nil, waited: .seconds(1))))
    }
}
