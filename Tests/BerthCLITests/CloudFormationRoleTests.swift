import BerthResources
import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthConfig

/// `cloudFormationRoleArn`: read with its rule, and sent as `RoleARN` on every change set
/// (deploy's and diff's) and delete of the environment's stacks, never on phase 1's.
@Suite(.serialized) struct CloudFormationRoleTests {
    private static let role = "arn:aws:iam::123456789012:role/berth-rolled-cfn-exec"

    private func parse(_ text: String) throws(ConfigurationError) -> EnvironmentConfig {
        try EnvironmentConfig.parse(text, name: "dev", file: "dev.yaml")
    }

    @Test func theKeyIsReadAndAMalformedARNIsRefusedAtItsLine() throws {
        #expect(try parse(minimalEnvironment + "cloudFormationRoleArn: \(Self.role)\n").settings.cloudFormationRoleArn == Self.role)
        #expect(try parse(minimalEnvironment).settings.cloudFormationRoleArn == nil)
        for bad in [
            "berth-rolled-cfn-exec", "arn:aws:iam::12345:role/x", "arn:aws:iam::123456789012:user/x", "arn:aws:s3:::bucket",
            "arn:aws:iam:eu-west-1:123456789012:role/x", "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/a b",
            "arn:aws:iam::123456789012:role/" + String(repeating: "r", count: 65),
        ] {
            do {
                _ = try parse(minimalEnvironment + "cloudFormationRoleArn: \"\(bad)\"\n")
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.errors.map(\.description) == [
                    "dev.yaml:6:24: cloudFormationRoleArn: expected an IAM role ARN (arn:aws:iam::<account>:role/<name>), such as the bootstrap's berth-<app>-cfn-exec, got \"\(bad)\""
                ])
            }
        }
        #expect(IAMName.roleAccount(of: "arn:aws-us-gov:iam::123456789012:role/service/berth-shop-cfn-exec") == "123456789012")
    }

    private static let environmentFile =
        oneServiceEnvironment(app: "rolled", region: "ap-south-1", cidr: "10.61.0.0/16") + "cloudFormationRoleArn: \(role)\n"

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDROLETEST", "AWS_SECRET_ACCESS_KEY": "role-secret", "AWS_EC2_METADATA_DISABLED": "true",
            "HOME": "/nonexistent-berth-home",
        ]
    }

    /// The `RoleARN` moto's DescribeStacks reports for `stack`, read from the answer's XML
    /// without Berth's client.
    private func roleARN(of stack: String, moto: Endpoint) async throws -> String? {
        var request = HTTPRequest(
            method: "POST", endpoint: moto, headers: [.init("Content-Type", "application/x-www-form-urlencoded")],
            body: Array("Action=DescribeStacks&Version=2010-05-15&StackName=\(stack)".utf8))
        SigV4Signer(credentials: Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test"), region: "ap-south-1", service: "cloudformation")
            .sign(&request)
        let text = try await HTTPClient().send(request).text
        guard let start = text.range(of: "<RoleARN>"), let end = text.range(of: "</RoleARN>", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func everyChangeSetAndDeleteOfTheEnvironmentCarriesTheRole() async throws {
        let moto = try await MotoServer.open.endpoint()
        try Crypto.load()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let out = try temporaryDirectory()
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["--config", config, "--endpoint-url", proxy.url]
        func calls(_ action: String, _ stack: String) -> [[String: String]] {
            proxy.requests.map(\.form).filter { $0["Action"] == action && $0["StackName"] == stack }
        }

        let phaseOne = await runBerth(["deploy"] + base + ["--out", out, "--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        // Phase 1 is no environment's: it keeps the caller's rights.
        #expect(!calls("CreateChangeSet", "rolled-api-ecr").isEmpty)
        #expect(calls("CreateChangeSet", "rolled-api-ecr").allSatisfy { $0["RoleARN"] == nil })
        #expect(try await roleARN(of: "rolled-api-ecr", moto: moto) == nil)

        let tag = "dev-20261206-020000-aaaaaaaa"
        try await MotoHelpers.putImage(moto, region: "ap-south-1", repository: "rolled/api", tag: tag, digest: "sha256:" + String(repeating: "a", count: 64))
        let deployed = await runBerth(["deploy"] + base + ["--out", out, "--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)")
        for stack in ["rolled-dev", "rolled-api-dev"] {
            let made = calls("CreateChangeSet", stack)
            #expect(!made.isEmpty && made.allSatisfy { $0["RoleARN"] == Self.role }, "\(stack)")
            // moto keeps the role of a stack created through a change set, as CloudFormation does.
            #expect(try await roleARN(of: stack, moto: moto) == Self.role, "\(stack)")
        }

        // Berth's client reads the same role.
        let client = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: "ap-south-1"))
        #expect(try await client.describeStack("rolled-api-dev")?.roleARN == Self.role)

        // A new role alone changes nothing, so CloudFormation does not take it (moto, as
        // CloudFormation, answers a change set of nothing but a role as holding no changes): the
        // deploy says which role still acts. A role no longer given is kept, and said so.
        let narrow = "arn:aws:iam::123456789012:role/berth-rolled-narrow"
        let file = (config as NSString).appendingPathComponent("dev.yaml")
        try Self.environmentFile.replacingOccurrences(of: Self.role, with: narrow).write(toFile: file, atomically: true, encoding: .utf8)
        let again = await runBerth(["deploy"] + base + ["--out", out, "--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(again.status == 0, "\(again.err)")
        for stack in ["rolled-dev", "rolled-api-dev"] {
            #expect(
                again.out.contains(
                    "warning: \(stack): CloudFormation still acts on the stack with the role \(Self.role), not the role \(narrow): it records a new role "
                        + "only with a change to the template, a parameter or a tag, and this deploy changed nothing"), "\(again.out)")
            #expect(try await roleARN(of: stack, moto: moto) == Self.role, "\(stack)")
        }
        try oneServiceEnvironment(app: "rolled", region: "ap-south-1", cidr: "10.61.0.0/16").write(toFile: file, atomically: true, encoding: .utf8)
        let without = await runBerth(["deploy"] + base + ["--out", out, "--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(without.status == 0, "\(without.err)")
        #expect(without.out.contains(
            "warning: rolled-api-dev: CloudFormation still acts on the stack with the role \(Self.role), which is no longer given: a stack keeps "
                + "the last role it was given; name another role in cloudFormationRoleArn to replace it (only a stack made again acts without one)"), "\(without.out)")
        try Self.environmentFile.write(toFile: file, atomically: true, encoding: .utf8)

        // diff's change sets, made and deleted, carry it too.
        let before = proxy.requests.count
        let diff = await runBerth(["diff"] + base + ["--env", "dev", "--method", "change-set"], environment: credentials())
        #expect(diff.status == 0, "\(diff.err)")
        let previews = proxy.requests.dropFirst(before).map(\.form).filter { $0["Action"] == "CreateChangeSet" }
        #expect(Set(previews.compactMap { $0["StackName"] }) == ["rolled-api-ecr", "rolled-dev", "rolled-api-dev"])
        #expect(previews.allSatisfy { $0["ChangeSetName"]?.hasPrefix("berth-diff") == true })
        #expect(previews.allSatisfy { $0["RoleARN"] == ($0["StackName"] == "rolled-api-ecr" ? nil : Self.role) })

        // destroy deletes with it. (moto then refuses the shared stack's VPC, DependencyViolation:
        // see research/moto-notes.md; the service's stack is gone.)
        _ = await runBerth(["destroy"] + base + ["--env", "dev", "--yes"], environment: credentials())
        let deletes = proxy.requests.map(\.form).filter { $0["Action"] == "DeleteStack" }
        #expect(deletes.contains { $0["StackName"] == "rolled-api-dev" })
        #expect(!deletes.isEmpty && deletes.allSatisfy { $0["RoleARN"] == Self.role })
        #expect(try await client.describeStack("rolled-api-dev") == nil)
    }
}
