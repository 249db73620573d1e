import Foundation
import Testing

@testable import BerthCLI

/// `controls: control-tower`: synth refuses, at the key's file and line, what AWS Control Tower's
/// proactive controls would refuse, naming the control and the key that satisfies it.
@Suite struct ControlsCommandTests {
    /// The keys that make a new VPC's service meet every control of the profile.
    private static let meetingTheControls = """
        user: app
        readonlyRootFilesystem: true
        logs:
          kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d
        https:
          certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
        accessLogs:
          bucket: shop-dev-alb-logs

        """

    @Test func whatAControlWouldRefuseIsRefusedAtItsKey() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment + """
                controls: control-tower
                network:
                  vpc: new
                  privateSubnets: false
                containerInsights: false
                logs:
                  retentionDays: 14

                """
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        #expect(result.err.contains("\(config)/dev.yaml:9:19: network.privateSubnets: CT.ECS.PR.9 refuses this under controls: control-tower"))
        #expect(result.err.contains("set privateSubnets: true (or leave it out)"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Under the profile, a new VPC gets private subnets and VPC endpoints: nothing to refuse
    /// about the network, and the tasks run without public IPs in the private subnets.
    @Test func aNewVPCUnderTheProfileGetsPrivateSubnets() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment + "controls: control-tower\n" + Self.meetingTheControls
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        let shared = try readFile(out + "/shop-dev.template.json")
        #expect(shared.contains("\"PrivateSubnetA\"") && shared.contains("\"EcrDkrEndpoint\""))
        let service = try readFile(out + "/shop-api-dev.template.json")
        #expect(service.contains("\"AssignPublicIp\": \"DISABLED\""))
        #expect(!service.contains("SuppressedRules"))
    }

    @Test func eachControlIsNamedWithTheKeyThatSatisfiesIt() async throws {
        let network = """
            network:
              vpc: existing
              vpcId: vpc-0a1b2c3d4e5f60718
              publicSubnetIds: [subnet-0a1b2c3d4e5f60701, subnet-0a1b2c3d4e5f60702]
              privateSubnetIds: [subnet-0a1b2c3d4e5f60711, subnet-0a1b2c3d4e5f60712]

            """
        let config = try configuration([
            "dev.yaml": minimalEnvironment + network + """
                controls: control-tower
                containerInsights: false
                logs:
                  retentionDays: 14

                """
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        #expect(result.err.contains("\(config)/dev.yaml:12:20: shop-dev: containerInsights: CT.ECS.PR.2 refuses this"))
        #expect(result.err.contains("\(config)/dev.yaml:14:18: shop-api-dev: logs.retentionDays: CT.CLOUDWATCH.PR.2 refuses this"))
        #expect(result.err.contains("Logs are kept 14 days, fewer than 365; set logs.retentionDays to 365 or more"))
        #expect(result.err.contains("CT.ECS.PR.3") && result.err.contains("set user to a user other than root (such as 1000)"))
        #expect(result.err.contains("CT.ECS.PR.6") && result.err.contains("set readonlyRootFilesystem: true"))
        #expect(result.err.contains("CT.CLOUDWATCH.PR.3") && result.err.contains("set logs.kmsKeyArn to a KMS key"))
        #expect(result.err.contains("CT.ECS.PR.2") && result.err.contains("set containerInsights: true, or remove it"))
        // A key the file does not have is placed at the file.
        #expect(result.err.contains("\(config)/dev.yaml: shop-dev: https.certificateArn: CT.ELASTICLOADBALANCING.PR.1 refuses this"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// A key set against the control is named with the value that meets it, not only the key
    /// that is already set.
    @Test func aKeySetAgainstAControlIsNamedWithTheValueThatMeetsIt() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment + "controls: control-tower\nloadBalancerDeletionProtection: false\n" + Self.meetingTheControls
        ])
        let result = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 2)
        #expect(result.err.contains("loadBalancerDeletionProtection: CT.ELASTICLOADBALANCING.PR.5 refuses this under controls: control-tower"), "\(result.err)")
        #expect(result.err.contains("set loadBalancerDeletionProtection: true, or remove it (on under controls: control-tower)"), "\(result.err)")
    }

    @Test func withoutControlsEachUnmetControlIsRecordedOnItsResource() async throws {
        let config = try configuration(["dev.yaml": minimalEnvironment])
        let out = try temporaryDirectory() + "/out"
        #expect(await runBerth(["synth", "--config", config, "--out", out]).status == 0)
        let template = try readFile(out + "/shop-api-dev.template.json")
        #expect(template.contains("\"SuppressedRules\""))
        #expect(template.contains("\"Control\": \"CT.ECS.PR.9\""))
        #expect(template.contains("\"Key\": \"network.privateSubnets\""))
    }
}
