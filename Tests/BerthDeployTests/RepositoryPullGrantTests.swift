import Testing

@testable import BerthDeploy

/// Whether a repository policy lets another account pull, read as IAM grants it: the policies
/// of ECR's documentation (its cross-account pull and push examples) and the shapes IAM allows
/// (a single statement, a principal as one string, action wildcards).
@Suite struct RepositoryPullGrantTests {
    static let account = "210987654321"

    /// ECR's documented example that lets another account pull (its root, so any principal the
    /// account allows), and the same with the account's ID alone.
    @Test(arguments: [
        #"{"Version":"2012-10-17","Statement":[{"Sid":"AllowCrossAccountPull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#,
        #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}}"#,
        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws-cn:iam::210987654321:role/ledger-prod-execution"]},"Action":"ecr:*"}]}"#,
        #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGet*","ECR:GetDownloadUrlForLayer"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#,
        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}]}"#,
        // Two statements, one action each: IAM joins them.
        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"ecr:BatchGetImage"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["ecr:GetDownloadUrlForLayer"]}]}"#,
    ])
    func aPolicyThatLetsTheAccountPullGrants(policy: String) {
        #expect(RepositoryPullGrant.grants(policy, pullTo: Self.account))
    }

    /// ECR's documented cross-account push example (no pull), another account's grant, half of
    /// what pulling takes, a Deny, and a text that is no policy.
    @Test(arguments: [
        #"{"Version":"2012-10-17","Statement":[{"Sid":"AllowCrossAccountPush","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["ecr:BatchCheckLayerAvailability","ecr:CompleteLayerUpload","ecr:InitiateLayerUpload","ecr:PutImage","ecr:UploadLayerPart"]}]}"#,
        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#,
        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"ecr:BatchGetImage"}]}"#,
        // The second action allowed, but to another account only.
        #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"ecr:BatchGetImage"},{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:GetDownloadUrlForLayer"}]}"#,
        #"{"Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"ecr:*"}]}"#,
        #"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"ecr:*"}]}"#,
        "not a policy",
    ])
    func aPolicyThatDoesNotLetTheAccountPullDoesNot(policy: String) {
        #expect(!RepositoryPullGrant.grants(policy, pullTo: Self.account))
    }

    @Test func actionsMatchAsIAMMatchesThem() {
        #expect(RepositoryPullGrant.matches(pattern: "ecr:*Image", action: "ecr:BatchGetImage"))
        #expect(RepositoryPullGrant.matches(pattern: "Ecr:batchgetimage", action: "ecr:BatchGetImage"))
        #expect(!RepositoryPullGrant.matches(pattern: "ecr:Batch*Layer", action: "ecr:BatchGetImage"))
        #expect(!RepositoryPullGrant.matches(pattern: "ecr:BatchGetImage ", action: "ecr:BatchGetImage"))
    }
}
