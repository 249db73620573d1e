import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// `berth diff` against a real moto server: before anything is deployed, right after a deploy,
/// and after the stack definition changes. Serialized: its stacks share one region.
@Suite(.serialized) struct DiffCommandTests {
    private static let region = "ap-southeast-2"
    private static let environmentFile = """
        app: drift
        service: api
        region: ap-southeast-2
        cpu: 256
        memory: 512
        desiredCount: 1
        containerPort: 8080
        healthCheck:
          path: /health
        network:
          vpc: new
          cidr: 10.40.0.0/16

        """

    private func credentials(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDDIFFTEST", "AWS_SECRET_ACCESS_KEY": "diff-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ].merging(extra) { _, new in new }
    }

    /// The (resource, path) pairs of a `--json` document's stack.
    private func changedPaths(_ stack: JSONValue?) -> [String] {
        (stack?["resources"]?.elements ?? []).flatMap { resource in
            (resource["changes"]?.elements ?? []).map { "\(resource["logicalId"]?.stringValue ?? "").\($0["path"]?.stringValue ?? "")" }
        }
    }

    private func stack(_ document: JSONValue, _ name: String) -> JSONValue? {
        document["stacks"]?.elements?.first { $0["stack"]?.stringValue == name }
    }

    @Test func diffShowsExactlyWhatChanged() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let out = try temporaryDirectory()
        let diff = ["diff", "--config", config, "--endpoint-url", moto.origin]
        let deploy = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", out]

        // Nothing deployed: every resource of every stack is added.
        let fresh = await runBerth(diff + ["--json"], environment: credentials())
        #expect(fresh.status == 0, "\(fresh.err)")
        let freshDocument = try JSONValue.parseJSON(fresh.out, file: "stdout")
        #expect(freshDocument["stacks"]?.elements?.map { $0["comparedWith"] } == ["nothing", "nothing", "nothing"])
        let serviceStack = stack(freshDocument, "drift-api-dev")
        #expect(serviceStack?["resources"]?.elements?.count == 10)
        #expect(serviceStack?["resources"]?.elements?.allSatisfy { $0["action"] == "add" } == true)
        #expect(await runBerth(diff + ["--fail"], environment: credentials()).status == 1)

        // Deploy both phases with the first tag.
        let tag1 = "dev-20261122-100000-aaaaaaaa"
        #expect(await runBerth(deploy + ["--phase", "ecr"], environment: credentials()).status == 0)
        try await MotoHelpers.putImage(moto, region: Self.region, repository: "drift/api", tag: tag1, digest: "sha256:" + String(repeating: "a", count: 64))
        let deployed = await runBerth(deploy + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)")

        // Right after the deploy: no differences, by either method, and --fail passes.
        for method in ["template", "change-set"] {
            let same = await runBerth(diff + ["--method", method, "--fail"], environment: credentials())
            #expect(same.status == 0, "\(method): \(same.out) \(same.err)")
            #expect(same.out.contains("Stack drift-api-dev (ap-southeast-2): no differences"), "\(same.out)")
            #expect(same.out.contains("3 stacks compared, 0 with differences"))
        }

        // Change the port and the desired count, and ask about a new tag.
        let changed = try configuration([
            "dev.yaml": Self.environmentFile.replacingOccurrences(of: "desiredCount: 1", with: "desiredCount: 3")
                .replacingOccurrences(of: "containerPort: 8080", with: "containerPort: 9090")
        ])
        let tag2 = "dev-20261122-110000-bbbbbbbb"
        let summary = try temporaryDirectory() + "/summary.md"
        let result = await runBerth(
            ["diff", "--config", changed, "--endpoint-url", moto.origin, "--env", "dev", "--image-tag", tag2, "--method", "template", "--json"],
            environment: credentials(["GITHUB_STEP_SUMMARY": summary]))
        #expect(result.status == 0, "\(result.err)")
        let document = try JSONValue.parseJSON(result.out, file: "stdout")
        #expect(stack(document, "drift-api-ecr")?["hasDifferences"] == false)
        let service = try #require(stack(document, "drift-api-dev"))
        // The build's commit and time the deploy would record with the new tag (its own, as
        // Berth's tag format carries them), as well as the tag.
        #expect(
            service["parameterValues"] == [
                ["name": "ImageTag", "old": .string(tag1), "new": .string(tag2)], ["name": "CommitSha", "old": "aaaaaaaa", "new": "bbbbbbbb"],
                ["name": "BuildTime", "old": "2026-11-22T10:00:00Z", "new": "2026-11-22T11:00:00Z"],
            ])
        #expect(service["images"]?.elements?.first?["new"]?.stringValue?.hasSuffix("/drift/api:" + tag2) == true)
        #expect(
            changedPaths(service).sorted() == [
                "ListenerRule.Properties.Actions[0].TargetGroupArn",  // the target group is replaced
                "Service.Properties.DesiredCount",
                "Service.Properties.LoadBalancers[0].ContainerPort",
                "Service.Properties.LoadBalancers[0].TargetGroupArn",
                "Service.Properties.ServiceConnectConfiguration.Services[0].ClientAliases[0].Port",  // http://api:9090
                "Service.Properties.TaskDefinition",
                "ServiceIngressFromLoadBalancer.Properties.FromPort",
                "ServiceIngressFromLoadBalancer.Properties.ToPort",
                "ServiceIngressFromServices.Properties.FromPort",
                "ServiceIngressFromServices.Properties.ToPort",
                "TargetGroup.Properties.Port",
                "TaskDefinition.Properties.ContainerDefinitions[0].Environment[0].Value",  // BUILD_TIME
                "TaskDefinition.Properties.ContainerDefinitions[0].Environment[1].Value",  // COMMIT_SHA
                "TaskDefinition.Properties.ContainerDefinitions[0].Environment[2].Value",  // IMAGE_TAG
                "TaskDefinition.Properties.ContainerDefinitions[0].Image",
                "TaskDefinition.Properties.ContainerDefinitions[0].PortMappings[0].ContainerPort",
            ])
        #expect(service["parameters"] == [] && service["outputs"] == [] && service["conditions"] == [])
        #expect(try readFile(summary).contains("### `drift-api-dev`"))

        // The same through a change set: merged, and the change set is gone afterwards.
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region))
        let viaChangeSet = await runBerth(
            ["diff", "--config", changed, "--endpoint-url", moto.origin, "--stack", "drift-api-dev", "--image-tag", tag2, "--method", "change-set", "--fail"],
            environment: credentials())
        #expect(viaChangeSet.status == 1, "\(viaChangeSet.err)")
        #expect(viaChangeSet.out.contains("image: "))
        #expect(viaChangeSet.out.contains("[~] AWS::ElasticLoadBalancingV2::TargetGroup TargetGroup replace"))
        let after = try #require(try await cloudFormation.describeStack("drift-api-dev"))
        #expect(after.parameters["ImageTag"] == tag1)
        #expect([.createComplete, .updateComplete].contains(after.status))
        #expect(!(viaChangeSet.out + viaChangeSet.err).contains("diff-secret-never-printed"))
    }

    @Test func errorsAreNotDifferences() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile])
        // Nothing listens on port 1: the deployed side cannot be read.
        let unreachable = await runBerth(
            ["diff", "--config", config, "--endpoint-url", "http://127.0.0.1:1", "--max-attempts", "1", "--fail"], environment: credentials())
        #expect(unreachable.status == 5, "\(unreachable.err)")
        #expect(unreachable.err.contains("drift-api-ecr: cannot compare with the deployed stack"))

        let broken = try temporaryDirectory() + "/broken.json"
        try "{\n  \"Resources\": {\n    \"A\": [1,]\n  }\n}\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let unreadable = await runBerth(["diff", "--config", config, "--stack", "drift-api-ecr", "--template", broken])
        #expect(unreadable.status == 5)
        #expect(unreadable.err.contains("broken.json:3:"), "\(unreadable.err)")

        let twoStacks = await runBerth(["diff", "--config", config, "--template", broken])
        #expect(twoStacks.status == 2)
        #expect(twoStacks.err.contains("--template compares one stack; choose it with --stack"))

        let mutable = await runBerth(["diff", "--config", config, "--env", "dev", "--image-tag", "latest"])
        #expect(mutable.status == 3)
    }

    @Test func aTemplateFileWorksOffline() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let out = try temporaryDirectory()
        #expect(await runBerth(["synth", "--config", config, "--out", out, "--format", "yaml"]).status == 0)
        // No credentials and no endpoint: only the file is read.
        let same = await runBerth(
            ["diff", "--config", config, "--stack", "drift-api-dev", "--template", out + "/drift-api-dev.template.yaml", "--fail"],
            environment: [:])
        #expect(same.status == 0, "\(same.err)")
        #expect(same.out.contains("no differences"))
        #expect(!same.err.contains("warning"))
        // Image tags are checked, but two templates have no parameter values to give them: said so.
        let tagged = await runBerth(
            ["diff", "--config", config, "--stack", "drift-api-dev", "--template", out + "/drift-api-dev.template.yaml", "--image-tag", "dev-1"],
            environment: [:])
        #expect(tagged.status == 0 && tagged.out.contains("no differences"), "\(tagged.err)")
        #expect(tagged.err.contains("warning: --image-tag only checks the tags here: --template compares two templates"), "\(tagged.err)")
        let edited = try readFile(out + "/drift-api-dev.template.yaml").replacingOccurrences(of: "Port: 8080", with: "Port: 8081")
        try edited.write(toFile: out + "/edited.yaml", atomically: true, encoding: .utf8)
        let different = await runBerth(
            ["diff", "--config", config, "--stack", "drift-api-dev", "--template", out + "/edited.yaml", "--fail"], environment: [:])
        #expect(different.status == 1)
        #expect(different.out.contains("[~] Port: 8081 → 8080 (requires replacement)"))
        #expect(different.err.isEmpty)

        // The port is also the service's ingress rules (from the load balancer and from the
        // environment's services): a security change, and the only thing --security-only shows.
        let security = await runBerth(
            ["diff", "--config", config, "--stack", "drift-api-dev", "--template", out + "/edited.yaml", "--fail", "--security-only", "--json"],
            environment: [:])
        #expect(security.status == 1)
        let document = try JSONValue.parseJSON(security.out, file: "stdout")
        let stack = try #require(document["stacks"]?.elements?.first)
        #expect(stack["comparedWith"] == "file")
        #expect(stack["security"]?["securityGroupRules"]?.elements?.map { $0["protocol"] } == ["tcp 8080", "tcp 8080", "tcp 8081", "tcp 8081"])
        #expect(stack["resources"] == nil)

        // A health check path is not.
        let healthCheck = try readFile(out + "/drift-api-dev.template.yaml").replacingOccurrences(of: "HealthCheckPath: /health", with: "HealthCheckPath: /healthz")
        try healthCheck.write(toFile: out + "/health-check.yaml", atomically: true, encoding: .utf8)
        let quiet = await runBerth(
            ["diff", "--config", config, "--stack", "drift-api-dev", "--template", out + "/health-check.yaml", "--fail", "--security-only"],
            environment: [:])
        #expect(quiet.status == 0)
        #expect(quiet.out.contains("Stack drift-api-dev (ap-southeast-2): compared with \(out)/health-check.yaml, no differences"))
        #expect(await runBerth(
            ["diff", "--config", config, "--stack", "drift-api-dev", "--template", out + "/health-check.yaml", "--fail"], environment: [:]).status == 1)
    }
}
