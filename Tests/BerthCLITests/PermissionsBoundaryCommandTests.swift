import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthConfig

/// `permissionsBoundary`: read with its rule at its line, held to the stacks' account, and set
/// on the roles a deploy creates in moto.
@Suite(.serialized) struct PermissionsBoundaryCommandTests {
    private func parse(_ text: String) throws(ConfigurationError) -> EnvironmentConfig {
        try EnvironmentConfig.parse(text, name: "dev", file: "dev.yaml")
    }

    @Test func theKeyTakesAPolicysNameOrARNAndRefusesAnythingElseAtItsLine() throws {
        for good in [
            "shop-boundary", "arn:aws:iam::123456789012:policy/shop-boundary", "arn:aws:iam::123456789012:policy/boundaries/shop",
            "arn:aws-cn:iam::123456789012:policy/b", "arn:aws:iam::aws:policy/PowerUserAccess", String(repeating: "p", count: 128),
        ] {
            #expect(try parse(minimalEnvironment + "permissionsBoundary: \"\(good)\"\n").settings.permissionsBoundary == good)
        }
        #expect(try parse(minimalEnvironment).settings.permissionsBoundary == nil)
        for bad in [
            "shop boundary", "arn:aws:iam::123456789012:role/shop", "arn:aws:iam::12345:policy/shop", "arn:aws:iam::123456789012:policy/",
            "arn:aws:iam:eu-west-1:123456789012:policy/shop", "boundaries/shop", String(repeating: "p", count: 129), "",
        ] {
            do {
                _ = try parse(minimalEnvironment + "permissionsBoundary: \"\(bad)\"\n")
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.errors.map(\.description).first?.hasPrefix("dev.yaml:6:") == true, "\(error)")
                #expect(error.errors.map(\.description).first?.contains("permissionsBoundary: expected a managed policy's ARN") == true, "\(error)")
            }
        }
        // A policy of another account than the stacks' bounds no role there.
        do {
            _ = try parse(minimalEnvironment + "account: \"111111111111\"\npermissionsBoundary: arn:aws:iam::222222222222:policy/b\n")
            Issue.record("another account's policy was accepted")
        } catch {
            #expect(error.errors.map(\.description) == [
                "dev.yaml:7:22: permissionsBoundary: the policy is in account 222222222222, and the environment's stacks are in 111111111111 "
                    + "(account); a role is bounded by a policy of its own account, or by one AWS manages"
            ])
        }
        #expect(try parse(minimalEnvironment + "account: \"111111111111\"\npermissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess\n")
            .settings.permissionsBoundary == "arn:aws:iam::aws:policy/PowerUserAccess")
    }

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDBOUNDARY", "AWS_SECRET_ACCESS_KEY": "boundary-secret", "AWS_EC2_METADATA_DISABLED": "true",
            "HOME": "/nonexistent-berth-home",
        ]
    }

    /// A signed IAM query to moto; the answer's text.
    private func iam(_ moto: Endpoint, _ form: String) async throws -> String {
        var request = HTTPRequest(
            method: "POST", endpoint: moto, headers: [.init("Content-Type", "application/x-www-form-urlencoded")],
            body: Array((form + "&Version=2010-05-08").utf8))
        SigV4Signer(credentials: Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test"), region: "us-east-1", service: "iam")
            .sign(&request)
        return try await HTTPClient().send(request).text
    }

    @Test func theRolesADeployCreatesAreBounded() async throws {
        let moto = try await MotoServer.open.endpoint()
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#
        let created = try await iam(moto, "Action=CreatePolicy&PolicyName=bounded-boundary&PolicyDocument=" + (document.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        #expect(created.contains("<Arn>arn:aws:iam::123456789012:policy/bounded-boundary</Arn>"), "\(created)")
        let config = try configuration([
            "dev.yaml": oneServiceEnvironment(app: "bounded", region: "ca-central-1", cidr: "10.62.0.0/16") + "permissionsBoundary: bounded-boundary\n"
        ])
        let base = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory()]
        #expect(await runBerth(base + ["--phase", "ecr"], environment: credentials()).status == 0)
        let tag = "dev-20261207-030000-aaaaaaaa"
        try await MotoHelpers.putImage(moto, region: "ca-central-1", repository: "bounded/api", tag: tag, digest: "sha256:" + String(repeating: "b", count: 64))
        let deployed = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)")
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: "ca-central-1"))
        let roles = try await cloudFormation.listStackResources(stackName: "bounded-api-dev").collect().filter { $0.resourceType == "AWS::IAM::Role" }
        #expect(Set(roles.map(\.logicalID)) == ["TaskExecutionRole", "TaskRole"])
        for role in roles {
            let answer = try await iam(moto, "Action=GetRole&RoleName=\(try #require(role.physicalID))")
            #expect(answer.contains("<PermissionsBoundaryArn>arn:aws:iam::123456789012:policy/bounded-boundary</PermissionsBoundaryArn>"), "\(role.logicalID): \(answer)")
        }
    }
}
