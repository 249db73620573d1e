import BerthModel
import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// `berth history` and `berth rollback` against moto with signature checking on: three deploys,
/// then a rollback. moto keeps no service deployments, so ListServiceDeployments,
/// DescribeServiceDeployments and DescribeServiceRevisions are answered by
/// `ScriptedServiceDeployments` (written from the ECS API reference), which names the task
/// definitions moto itself registered for each deploy; the task definitions, stacks and images
/// are moto's, but for the containers of the revisions a CloudFormation update registers, which
/// moto loses (see `ScriptedServiceDeployments`): those the script gives as ECS would, from the
/// stack's parameters of that deploy. Serialized: one region.
@Suite(.serialized) struct HistoryRollbackTests {
    private static let region = "ca-central-1"

    private static let environmentFile = """
        app: ferry
        region: ca-central-1
        network:
          vpc: new
          cidr: 10.61.0.0/16
        services:
          api:
            cpu: 256
            memory: 512
          migrate:
            kind: job
            image: {service: api}
            command: bin/migrate up
            cpu: 256
            memory: 512
            timeoutMinutes: 5
            runOnDeploy: before-services

        """

    @Test func threeDeploysThenARollbackAreListedAndTheRollbackPutsThePreviousTagBack() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let deployments = ScriptedServiceDeployments(region: Self.region)
        let tasks = ScriptedTasks([])
        let proxy = try TestHTTPServer { request in
            deployments.answer(request) ?? tasks.answer(request) ?? .forward(port: moto.port ?? 0)
        }
        let common = ["--config", config, "--endpoint-url", proxy.url]
        let deploy = ["deploy"] + common + ["--out", try temporaryDirectory()]
        let setup = try MotoHelpers.configuration(moto, region: Self.region, credentials: keys)
        let cloudFormation = CloudFormationClient(configuration: setup)

        let phaseOne = await runBerth(deploy + ["--phase", "ecr"], environment: environment)
        #expect(phaseOne.status == 0, "\(phaseOne.err)")

        // ECS records a service deployment for each new task definition: the script does, with
        // the task definition moto registered for the stack.
        var clock = 1_796_000_000.0
        let ecs = ECSClient(configuration: setup)
        func recordDeployment(digit: Character, status: String = "SUCCESSFUL") async throws {
            let resources = try await cloudFormation.listStackResources(stackName: "ferry-api-dev").collect()
            let stack = try #require(try await cloudFormation.describeStack("ferry-api-dev"))
            let cluster = try #require(stack.parameters[ParameterName.clusterName])
            let service = try #require(resources.first { $0.resourceType == "AWS::ECS::Service" }?.physicalID)
            let definition = try #require(resources.first { $0.resourceType == "AWS::ECS::TaskDefinition" }?.physicalID)
            clock += 600
            // moto's own task definition when it kept the container, else the one ECS would hold.
            var container: (name: String, image: String, environment: [String: String])?
            if try await ecs.describeTaskDefinition(definition)?.containerDefinitions?.first?.name == nil {
                let parameters = stack.parameters
                let tag = parameters[ParameterName.imageTag] ?? ""
                container = (
                    "api", "\(parameters[ParameterName.repositoryUri] ?? ""):\(tag)",
                    ["IMAGE_TAG": tag, "COMMIT_SHA": parameters[ParameterName.commitSha] ?? "", "BUILD_TIME": parameters[ParameterName.buildTime] ?? ""]
                )
            }
            deployments.record(
                .init(
                    cluster: cluster.split(separator: "/").last.map(String.init) ?? cluster,
                    service: service.split(separator: "/").last.map(String.init) ?? service, taskDefinitionArn: definition,
                    status: status, startedAt: clock, imageDigest: "sha256:" + String(repeating: digit, count: 64), container: container))
        }

        let tags = ["dev-20261201-100000-aaaaaaaa", "dev-20261201-110000-bbbbbbbb", "dev-20261201-120000-cccccccc"]
        let secondCommit = "bbbbbbbb" + String(repeating: "2", count: 32)
        for (index, tag) in tags.enumerated() {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "ferry/api", tag: tag,
                digest: "sha256:" + String(repeating: Character(String(index + 1)), count: 64), credentials: keys)
            // The second deploy names its commit; the others take it from the tag.
            let commit = index == 1 ? ["--commit-sha", secondCommit, "--build-time", "2026-12-01T11:00:00Z"] : []
            let result = await runBerth(deploy + ["--phase", "ecs", "--env", "dev", "--image-tag", tag] + commit, environment: environment)
            #expect(result.status == 0, "\(result.err)\n\(result.out)")
            try await recordDeployment(digit: Character(String(index + 1)))
        }
        let third = try #require(try await cloudFormation.describeStack("ferry-api-dev"))
        #expect(third.parameters[ParameterName.imageTag] == tags[2])
        // A fresh build's commit and time come from the tag (the work tree is another commit).
        #expect(third.parameters[ParameterName.commitSha] == "cccccccc")
        #expect(third.parameters[ParameterName.buildTime] == "2026-12-01T12:00:00Z")
        let runsBefore = tasks.operations.filter { $0 == "RunTask" }.count
        #expect(runsBefore == 3, "the migration ran before each deploy's services")

        let history = await runBerth(["history", "--env", "dev"] + common, environment: environment)
        #expect(history.status == 0, "\(history.err)")
        let listed = history.out.split(separator: "\n").filter { $0.contains(" dev api ") }.map(String.init)
        #expect(listed.count == 3, "\(history.out)")
        for (line, tag) in zip(listed, tags.reversed()) {
            #expect(line.hasSuffix("\(tag)  completed"), "\(history.out)")
        }
        #expect(history.out.contains("commit    \(secondCommit), built 2026-12-01T11:00:00Z"), "\(history.out)")
        #expect(history.out.contains("ECS keeps a service's deployments for 90 days"))

        // The rollback deploys the previous tag, with the commit its first deploy recorded, and runs no job.
        let rollback = await runBerth(["rollback", "--env", "dev"] + common + ["--out", try temporaryDirectory()], environment: environment)
        #expect(rollback.status == 0, "\(rollback.err)\n\(rollback.out)")
        #expect(rollback.out.contains("api: \(tags[2]) -> \(tags[1]), commit \(secondCommit)"), "\(rollback.out)")
        let rolledBack = try #require(try await cloudFormation.describeStack("ferry-api-dev"))
        #expect(rolledBack.parameters[ParameterName.imageTag] == tags[1])
        #expect(rolledBack.parameters[ParameterName.commitSha] == secondCommit)
        #expect(rolledBack.parameters[ParameterName.buildTime] == "2026-12-01T11:00:00Z")
        #expect(tasks.operations.filter { $0 == "RunTask" }.count == runsBefore)
        #expect(!rollback.out.contains("migrate: running"))
        try await recordDeployment(digit: "2")

        let json = await runBerth(["history", "--env", "dev", "--json", "--limit", "2"] + common, environment: environment)
        #expect(json.status == 0, "\(json.err)")
        let document = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let deploys = try #require(document?["deploys"] as? [[String: Any]])
        #expect(deploys.compactMap { $0["imageTag"] as? String } == [tags[1], tags[2]])
        #expect(deploys.compactMap { $0["outcome"] as? String } == ["completed", "completed"])
        #expect(deploys.first?["commit"] as? String == secondCommit)

        // The first tag is still there, but a policy keeping the two newest dev images would
        // expire it at its next run: refused, and nothing changes. (moto's CloudFormation keeps
        // no LifecyclePolicyText, so the policy is put on as a repository's would be.)
        func keep(_ count: Int) async throws {
            try await MotoHelpers.putLifecyclePolicy(
                moto, region: Self.region, repository: "ferry/api",
                policyText: #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"imageCountMoreThan","countNumber":\#(count)},"action":{"type":"expire"}}]}"#,
                credentials: keys)
        }
        try await keep(2)
        let expiring = await runBerth(["rollback", "--env", "dev"] + common, environment: environment)
        #expect(expiring.status == 3, "\(expiring.err)\n\(expiring.out)")
        #expect(expiring.err.contains("api: \(tags[0]) is still in ferry/api, and its lifecycle policy (rule 1) will expire or archive it within a day"), "\(expiring.err)")
        #expect(try await cloudFormation.describeStack("ferry-api-dev")?.parameters[ParameterName.imageTag] == tags[1])
        try await keep(100)

        // A second rollback goes back past the current tag's first deploy (to the first tag), not
        // to the tag just left; that tag has expired from the repository: refused.
        try await MotoHelpers.deleteImage(moto, region: Self.region, repository: "ferry/api", tag: tags[0], credentials: keys)
        let expired = await runBerth(["rollback", "--env", "dev"] + common, environment: environment)
        #expect(expired.status == 3, "\(expired.err)\n\(expired.out)")
        #expect(expired.err.contains("\(tags[0]) is no longer in ferry/api"), "\(expired.err)")
        #expect(try await cloudFormation.describeStack("ferry-api-dev")?.parameters[ParameterName.imageTag] == tags[1])
        try await MotoHelpers.deleteImage(moto, region: Self.region, repository: "ferry/api", tag: tags[2], credentials: keys)

        // A named tag is checked the same way; one the repository holds is deployed. (Not the
        // first tag: moto 5.2 keeps a stack's creation parameters through ExecuteChangeSet, so it
        // calls a change set back to them "didn't contain changes".)
        let namedExpired = await runBerth(["rollback", "--env", "dev", "--to", "api=\(tags[2])"] + common, environment: environment)
        #expect(namedExpired.status == 3, "\(namedExpired.err)")
        #expect(namedExpired.err.contains("error: rollback: api: \(tags[2]) is no longer in ferry/api"), "\(namedExpired.err)")
        let other = "dev-20261201-130000-dddddddd"
        try await MotoHelpers.putImage(
            moto, region: Self.region, repository: "ferry/api", tag: other, digest: "sha256:" + String(repeating: "d", count: 64), credentials: keys)
        let named = await runBerth(
            ["rollback", "--env", "dev", "--to", "api=\(other)"] + common + ["--out", try temporaryDirectory()], environment: environment)
        #expect(named.status == 0, "\(named.err)\n\(named.out)")
        let deployed = try await cloudFormation.describeStack("ferry-api-dev")?.parameters
        #expect(deployed?[ParameterName.imageTag] == other, "\(named.out)")
        #expect(deployed?[ParameterName.commitSha] == "dddddddd")
        _ = proxy
    }
}
