import BerthTemplate
import BerthResources
import Foundation
import Testing

@testable import BerthConfig
@testable import BerthCLI

/// `account`, `roleArn`, `externalId` and `repositories`: read, checked at their keys, agreed
/// across environments, and synthesized into the repository policy that lets other accounts pull.
@Suite struct AccountKeysTests {
    private func errors(_ text: String) -> [String] { environmentFileErrors(text) }

    private func environment(region: String, _ extra: String) -> String {
        "app: shop\nservice: api\nregion: \(region)\ncpu: 256\nmemory: 512\n" + extra
    }

    /// Synthesizes an app of the environment files `files` (name → text) and returns the
    /// repository policy of its api repository, `nil` when it has none.
    private func repositoryPolicy(_ files: [String: String]) async throws -> JSONValue? {
        let config = try configuration(files)
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        let ecr = try JSONValue.parseJSON(try readFile(out + "/shop-api-ecr.template.json"), file: "ecr")
        return ecr["Resources"]?["Repository"]?["Properties"]?["RepositoryPolicyText"]
    }

    @Test func theKeysAreRead() throws {
        let text = minimalEnvironment + """
            account: "210987654321"
            roleArn: arn:aws:iam::210987654321:role/deploy/berth-deploy
            externalId: shop-prod_2024
            repositories: {account: "123456789012", region: us-east-1}

            """
        let settings = try EnvironmentConfig.parse(text, name: "prod", file: "prod.yaml").settings
        #expect(settings.account == "210987654321")
        #expect(settings.roleArn == "arn:aws:iam::210987654321:role/deploy/berth-deploy")
        #expect(settings.externalID == "shop-prod_2024")
        #expect(settings.repositories == RepositoryLocation(account: "123456789012", region: "us-east-1"))
        #expect(settings.repositoryRegion == "us-east-1")
        // An account written as a YAML number keeps its digits, leading zeros too.
        #expect(try EnvironmentConfig.parse(minimalEnvironment + "account: 012345678901\n", name: "dev", file: "dev.yaml").settings.account == "012345678901")
    }

    @Test func mistakesAreReportedAtTheirKeys() {
        #expect(errors(minimalEnvironment + "account: 12345\n") == [
            "dev.yaml:6:10: account: expected an AWS account ID: 12 digits, such as 123456789012, got \"12345\""
        ])
        #expect(errors(minimalEnvironment + "roleArn: arn:aws:iam::123456789012:user/deployer\n") == [
            "dev.yaml:6:10: roleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/berth-deploy, got \"arn:aws:iam::123456789012:user/deployer\""
        ])
        #expect(errors(minimalEnvironment + "account: \"111111111111\"\nroleArn: arn:aws:iam::222222222222:role/deploy\n") == [
            "dev.yaml:7:10: roleArn: the role is in account 222222222222, and account says 111111111111; Berth assumes the role to reach the environment's account, so they must be the same"
        ])
        #expect(errors(minimalEnvironment + "externalId: abc\n") == [
            "dev.yaml:6:1: externalId: an external ID goes with the role Berth assumes; add roleArn, or remove externalId"
        ])
        #expect(errors(minimalEnvironment + "roleArn: arn:aws:iam::123456789012:role/d\nexternalId: \"a b\"\n") == [
            "dev.yaml:7:13: externalId: expected 2 to 1224 letters, digits and + = , . @ : / - _ (what the role's trust policy asks for), got \"a b\""
        ])
        #expect(errors(minimalEnvironment + "repositories: {account: \"123456789012\"}\n") == [
            "dev.yaml:6:15: repositories.region: missing; expected an AWS region such as eu-west-1"
        ])
        #expect(errors(minimalEnvironment + "repositories: {region: eu-west-1, acount: \"123456789012\"}\n") == [
            "dev.yaml:6:35: repositories.acount: unknown key; did you mean account?"
        ])
    }

    @Test func theRulesFollowAWSPatterns() {
        #expect(IAMName.roleAccount(of: "arn:aws-us-gov:iam::123456789012:role/a/b/c+=,.@_-") == "123456789012")
        #expect(IAMName.roleAccount(of: "arn:aws:iam::123456789012:role/") == nil)
        #expect(IAMName.roleAccount(of: "arn:aws:iam::123456789012:role/a//b") == nil)
        #expect(IAMName.roleAccount(of: "arn:aws:iam:eu-west-1:123456789012:role/a") == nil)
        #expect(IAMName.roleAccount(of: "arn:aws:iam::123456789012:role/" + String(repeating: "a", count: 65)) == nil)
        #expect(EnvironmentConfig.isExternalID("ab"))
        #expect(!EnvironmentConfig.isExternalID("a"))
        #expect(EnvironmentConfig.isExternalID(String(repeating: "x", count: 1224)))
        #expect(!EnvironmentConfig.isExternalID(String(repeating: "x", count: 1225)))
        #expect(!EnvironmentConfig.isExternalID("é1"))
    }

    @Test func withoutRepositoriesEveryEnvironmentStatesOneRegion() throws {
        let directory = try configuration(["dev.yaml": environment(region: "eu-west-1", ""), "prod.yaml": environment(region: "us-east-1", "")])
        #expect(throws: ConfigurationError.self) { try Configuration(directory: directory).blueprint() }
        do {
            _ = try Configuration(directory: directory).blueprint()
        } catch {
            #expect(error.errors.map(\.description) == [
                "\(directory)/prod.yaml:3:9: region: \"us-east-1\" differs from \"eu-west-1\" in \(directory)/dev.yaml; every environment of the app must agree; "
                    + "for environments in several regions, give every file the same repositories: {region: …} (the repositories' region)"
            ])
        }
    }

    @Test func withRepositoriesEachEnvironmentHasItsRegionAndAllAgreeOnRepositories() throws {
        let shared = "repositories: {account: \"123456789012\", region: eu-west-1}\n"
        let agreeing = try configuration([
            "dev.yaml": environment(region: "eu-west-1", shared),
            "prod.yaml": environment(region: "us-east-1", shared + "account: \"210987654321\"\n"),
        ])
        let app = try Configuration(directory: agreeing).blueprint().build()
        #expect(app.problems.isEmpty)
        #expect(app.stacks.first { $0.name == "shop-api-ecr" }?.region == "eu-west-1")
        #expect(app.stacks.first { $0.name == "shop-api-prod" }?.region == "us-east-1")

        let disagreeing = try configuration([
            "dev.yaml": environment(region: "eu-west-1", shared),
            "prod.yaml": environment(region: "us-east-1", "repositories: {region: us-east-1}\n"),
        ])
        do {
            _ = try Configuration(directory: disagreeing).blueprint()
            Issue.record("disagreeing repositories were accepted")
        } catch {
            #expect(error.errors.map(\.description) == [
                "\(disagreeing)/prod.yaml:6:15: repositories: {account: the caller's, region: us-east-1} differs from {account: 123456789012, region: eu-west-1} in \(disagreeing)/dev.yaml; every environment of the app must agree"
            ])
        }
        // A file that leaves the key out disagrees too, placed at its region.
        let missing = try configuration([
            "dev.yaml": environment(region: "eu-west-1", shared), "prod.yaml": environment(region: "us-east-1", ""),
        ])
        do {
            _ = try Configuration(directory: missing).blueprint()
            Issue.record("a file without repositories was accepted")
        } catch {
            #expect(error.errors.map(\.description) == [
                "\(missing)/prod.yaml:3:9: repositories: none differs from {account: 123456789012, region: eu-west-1} in \(missing)/dev.yaml; every environment of the app must agree"
            ])
        }
    }

    @Test func otherAccountsAreGrantedPullInTheRepositoryPolicy() async throws {
        let shared = "repositories: {account: \"123456789012\", region: eu-west-1}\n"
        let policy = try await repositoryPolicy([
            "dev.yaml": environment(region: "eu-west-1", shared + "account: \"123456789012\"\n"),
            "prod.yaml": environment(region: "us-east-1", shared + "account: \"210987654321\"\nroleArn: arn:aws:iam::210987654321:role/berth\n"),
            "stage.yaml": environment(region: "eu-central-1", shared + "account: \"555555555555\"\n"),
        ])
        let statement = policy?["Statement"]?.elements?.first
        #expect(statement?["Principal"]?["AWS"] == ["arn:aws:iam::210987654321:root", "arn:aws:iam::555555555555:root"])
        #expect(statement?["Action"] == ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])
        #expect(statement?["Effect"] == "Allow")
    }

    /// An environment that names only its role (as *Bootstrapping a target account* writes it)
    /// is in the role's account: that account is granted pull too.
    @Test func theRolesAccountIsGrantedPullWithoutAccount() async throws {
        let shared = "repositories: {account: \"123456789012\", region: eu-west-1}\n"
        let policy = try await repositoryPolicy([
            "dev.yaml": environment(region: "eu-west-1", shared),
            "prod.yaml": environment(region: "us-east-1", shared + "roleArn: arn:aws:iam::222222222222:role/berth-shop-deploy\n"),
            "stage.yaml": environment(region: "eu-central-1", shared + "roleArn: arn:aws:iam::123456789012:role/berth-shop-deploy\n"),
        ])
        let statement = policy?["Statement"]?.elements?.first
        #expect(statement?["Principal"]?["AWS"] == ["arn:aws:iam::222222222222:root"])
    }

    @Test func noAccountMeansNoRepositoryPolicy() async throws {
        #expect(try await repositoryPolicy(["dev.yaml": minimalEnvironment]) == nil)
    }

    @Test func executionRolesPullFromTheRepositoriesRegionAndAccount() async throws {
        let kms = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
        let shared = "repositoryKmsKeyArn: \(kms)\n"
        func pull(_ files: [String: String], environment: String) async throws -> (resource: String?, decrypt: JSONValue?) {
            let config = try configuration(files)
            let out = try temporaryDirectory() + "/out"
            let result = await runBerth(["synth", "--config", config, "--out", out])
            #expect(result.status == 0, "\(result.err)")
            let template = try JSONValue.parseJSON(try readFile(out + "/shop-api-\(environment).template.json"), file: "service")
            let statements = template["Resources"]?["TaskExecutionRole"]?["Properties"]?["Policies"]?.elements?.first?["PolicyDocument"]?["Statement"]?.elements ?? []
            return (
                statements.first { $0["Sid"] == "PullFromThisRepository" }?["Resource"]?["Fn::Sub"]?.stringValue,
                statements.first { $0["Sid"] == "DecryptImagesOfThatRepository" }?["Resource"]
            )
        }
        let located = "repositories: {account: \"123456789012\", region: eu-west-1}\n"
        let across = try await pull(
            ["dev.yaml": environment(region: "eu-west-1", located + shared),
             "prod.yaml": environment(region: "us-east-1", located + shared + "account: \"210987654321\"\n")],
            environment: "prod")
        #expect(across.resource == "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/${RepositoryName}")
        #expect(across.decrypt == .string(kms))
        // The repositories' account unsaid, the environment's possibly another: any account, the name and region still fixed.
        let unsaid = try await pull(
            ["prod.yaml": environment(region: "us-east-1", "repositories: {region: eu-west-1}\nroleArn: arn:aws:iam::210987654321:role/berth\n")],
            environment: "prod")
        #expect(unsaid.resource == "arn:${AWS::Partition}:ecr:eu-west-1:*:repository/${RepositoryName}")
        // One account, one region: the stack's own, as before, and no key to decrypt with across accounts.
        let home = try await pull(["dev.yaml": environment(region: "eu-west-1", shared)], environment: "dev")
        #expect(home.resource == "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryName}")
        #expect(home.decrypt == nil)
    }
}
