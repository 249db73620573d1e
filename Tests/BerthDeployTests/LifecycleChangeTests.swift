import Testing

@testable import BerthDeploy

/// The repository a deployed template declares, read from GetTemplate's answer in either format.
@Suite struct LifecycleChangeTests {
    @Test func theDeclaredRepositoryIsReadFromJSONAndYAMLTemplates() {
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
        #expect(LifecycleChange.repositoryResource(json)?["Properties"]?["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue == policy)
        #expect(LifecycleChange.repositoryResource(yaml) == LifecycleChange.repositoryResource(json))
        #expect(LifecycleChange.repositoryResource("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n") == nil)
    }
}
