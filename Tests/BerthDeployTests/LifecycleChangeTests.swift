import Testing

@testable import BerthDeploy

/// The policy a deployed template declares, read from GetTemplate's answer in either format.
@Suite struct LifecycleChangeTests {
    @Test func theDeclaredPolicyIsReadFromJSONAndYAMLTemplates() {
        let policy = #"{"rules":[]}"#
        let json = #"{"Resources":{"Repository":{"Type":"AWS::ECR::Repository","Properties":{"LifecyclePolicy":{"LifecyclePolicyText":"{\"rules\":[]}"}}}}}"#
        let yaml = """
            Resources:
              Repo:
                Type: AWS::ECR::Repository
                Properties:
                  LifecyclePolicy:
                    LifecyclePolicyText: '{"rules":[]}'
            """
        #expect(LifecycleChange.declaredPolicy(json) == policy)
        #expect(LifecycleChange.declaredPolicy(yaml) == policy)
        #expect(LifecycleChange.declaredPolicy("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n") == nil)
    }
}
