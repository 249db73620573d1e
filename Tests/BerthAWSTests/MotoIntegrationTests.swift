import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// Each client call against a real moto server, over HTTP, signed like AWS.
@Suite struct MotoIntegrationTests {
    @Test func cloudFormationCallsRoundTrip() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let sleeps = RecordedSleeps()
        let cloudFormation = CloudFormationClient(configuration: try testConfiguration(endpoint: endpoint, region: "eu-west-3", sleeps: sleeps))
        let stack = uniqueName("berth-cfn")
        let body = sampleTemplate(repository: uniqueName("shop/api"))

        #expect(try await cloudFormation.describeStack(stack) == nil)
        let created = try await cloudFormation.createChangeSet(
            ChangeSetRequest(stackName: stack, changeSetName: "create", kind: .create, templateBody: body, tags: [("app", "shop")]))
        #expect(created.changeSetID.contains("create"))
        let changeSet = try await cloudFormation.describeChangeSet(stackName: stack, changeSetName: "create")
        #expect(changeSet.status == "CREATE_COMPLETE")
        #expect(Set(changeSet.changes.map(\.logicalID)) == ["Repository", "Cluster", "TaskDefinition"])
        #expect(changeSet.changes.allSatisfy { $0.action == "Add" })

        try await cloudFormation.executeChangeSet(stackName: stack, changeSetName: "create")
        let described = try #require(try await cloudFormation.describeStack(stack))
        #expect(described.name == stack)
        #expect(described.status == .createComplete)
        #expect(described.tags["app"] == "shop")

        let events = try await cloudFormation.describeStackEvents(stackName: stack).collect()
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.stackName == stack })
        #expect(try await cloudFormation.getTemplate(stackName: stack) == body)
        let resources = try await cloudFormation.listStackResources(stackName: stack).collect()
        #expect(Set(resources.map(\.logicalID)) == ["Repository", "Cluster", "TaskDefinition"])

        _ = try await cloudFormation.createChangeSet(
            ChangeSetRequest(stackName: stack, changeSetName: "second", kind: .update, templateBody: body.replacingOccurrences(of: "IMMUTABLE", with: "MUTABLE")))
        try await cloudFormation.deleteChangeSet(stackName: stack, changeSetName: "second")

        // moto does not implement UpdateTerminationProtection: it answers an HTML 500 page,
        // which must come back as a clear error after the retries, never a crash.
        await #expect {
            try await cloudFormation.updateTerminationProtection(stackName: stack, enabled: true)
        } throws: { error in
            guard let error = error as? UnexpectedResponseError else { return false }
            // Summarized in one line by the page's title, never printed whole.
            return error.status == 500 && error.operation == "UpdateTerminationProtection"
                && error.description.contains("an HTML page \"500 Internal Server Error\"") && !error.description.contains("<")
        }
        #expect(sleeps.durations.count == 2)
        // Nor DescribeEvents: the deployer then reports a refused change set by its status reason.
        await #expect {
            try await cloudFormation.describeFailedEvents(stackName: stack, changeSetName: "second").collect()
        } throws: { error in
            (error as? UnexpectedResponseError)?.operation == "DescribeEvents"
        }

        try await cloudFormation.deleteStack(stackName: stack)
        let stacks = try await cloudFormation.describeStacks().collect()
        #expect(!stacks.contains { $0.name == stack && $0.status != .deleteComplete })
    }

    @Test func ecrAndECSCallsRoundTrip() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let configuration = try testConfiguration(endpoint: endpoint, region: "eu-central-1")
        let cloudFormation = CloudFormationClient(configuration: configuration)
        let stack = uniqueName("berth-ecr")
        let repository = uniqueName("shop/api")
        try await MotoHelpers.createStack(cloudFormation, name: stack, templateBody: sampleTemplate(repository: repository))

        let ecr = ECRClient(configuration: configuration)
        let repositories = try await ecr.describeRepositories(names: [repository]).collect()
        #expect(repositories.map(\.repositoryName) == [repository])
        #expect(repositories.first?.repositoryUri.hasSuffix("/\(repository)") == true)
        #expect(try await ecr.describeImage(repository: repository, tag: "dev-20261122-093000-0123abcd") == nil)

        let digest = "sha256:" + String(repeating: "ab", count: 32)
        try await MotoHelpers.putImage(endpoint, region: "eu-central-1", repository: repository, tag: "dev-20261122-093000-0123abcd", digest: digest)
        let image = try #require(try await ecr.describeImage(repository: repository, tag: "dev-20261122-093000-0123abcd"))
        #expect(image.imageDigest == digest)
        #expect(image.imageTags == ["dev-20261122-093000-0123abcd"])
        #expect(image.pushedAt != nil)
        #expect(try await ecr.describeImages(repository: repository).collect().map(\.imageDigest) == [digest])
        #expect(try await ecr.getLifecyclePolicy(repository: repository) == nil)

        let ecs = ECSClient(configuration: configuration)
        let resources = try await cloudFormation.listStackResources(stackName: stack).collect()
        let cluster = try #require(resources.first { $0.logicalID == "Cluster" }?.physicalID)
        let taskDefinitionArn = try #require(resources.first { $0.logicalID == "TaskDefinition" }?.physicalID)
        let taskDefinition = try #require(try await ecs.describeTaskDefinition(taskDefinitionArn))
        #expect(taskDefinition.containerDefinitions?.first?.name == "app")
        #expect(try await ecs.describeServices(cluster: cluster, services: ["missing"]).isEmpty)
        #expect(try await ecs.listTasks(cluster: cluster, desiredStatus: "STOPPED").collect().isEmpty)
        #expect(try await ecs.describeTasks(cluster: cluster, tasks: []).isEmpty)
    }

    @Test func stsCallsRoundTrip() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let sts = STSClient(configuration: try testConfiguration(endpoint: endpoint, region: "us-east-1"))
        let identity = try await sts.getCallerIdentity()
        #expect(identity.account == "123456789012")
        let assumed = try await sts.assumeRole(roleArn: "arn:aws:iam::123456789012:role/deployer", sessionName: "berth-test")
        #expect(!assumed.accessKeyID.isEmpty && assumed.sessionToken != nil && assumed.expiration != nil)
        let federated = try await sts.assumeRoleWithWebIdentity(
            roleArn: "arn:aws:iam::123456789012:role/github", sessionName: "berth-test", token: "header.payload.signature")
        #expect(!federated.secretAccessKey.isEmpty)
        #expect(federated.source.contains("web identity"))
    }

    @Test func signaturesAreVerifiedWhenMotoChecksThem() async throws {
        let endpoint = try await MotoServer.authenticating.endpoint()
        let keys = try await MotoServer.authenticating.iamUserCredentials()
        let good = STSClient(configuration: try testConfiguration(endpoint: endpoint, region: "us-east-1", credentials: keys))
        #expect(try await good.getCallerIdentity().arn.hasSuffix("user/berth-ci"))

        var wrong = keys
        wrong.secretAccessKey = "not-the-secret"
        let bad = STSClient(configuration: try testConfiguration(endpoint: endpoint, region: "us-east-1", credentials: wrong))
        await #expect {
            try await bad.getCallerIdentity()
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.status == 403 && error.code == "SignatureDoesNotMatch" && error.operation == "GetCallerIdentity"
        }
    }
}
