import Foundation
import Testing

@testable import BerthCLI

/// `controls: control-tower`: synth refuses, at the key's file and line, what AWS Control Tower's
/// proactive controls would refuse, naming the control and the key that satisfies it.
@Suite struct ControlsCommandTests {
    @Test func whatAControlWouldRefuseIsRefusedAtItsKey() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment + """
                controls: control-tower
                containerInsights: false
                logs:
                  retentionDays: 14

                """
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        #expect(result.err.contains("network.vpc: CT.ECS.PR.9 refuses this under controls: control-tower"))
        #expect(!FileManager.default.fileExists(atPath: out))
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
        #expect(result.err.contains("Logs are kept 14 days, fewer than 365; set logs.retentionDays"))
        #expect(result.err.contains("CT.ECS.PR.3") && result.err.contains("set user"))
        #expect(result.err.contains("CT.ECS.PR.6") && result.err.contains("set readonlyRootFilesystem"))
        #expect(result.err.contains("CT.CLOUDWATCH.PR.3") && result.err.contains("set logs.kmsKeyArn"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func withoutControlsEachUnmetControlIsRecordedOnItsResource() async throws {
        let config = try configuration(["dev.yaml": minimalEnvironment])
        let out = try temporaryDirectory() + "/out"
        #expect(await runBerth(["synth", "--config", config, "--out", out]).status == 0)
        let template = try readFile(out + "/shop-api-dev.template.json")
        #expect(template.contains("\"SuppressedRules\""))
        #expect(template.contains("\"Control\": \"CT.ECS.PR.9\""))
        #expect(template.contains("\"Key\": \"network.privateSubnetIds\""))
    }
}
