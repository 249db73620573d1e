import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// A new VPC with private subnets (`network.privateSubnets: true`) deployed against a real moto
/// server, signed like AWS: the shared stack makes the subnets and the VPC endpoints, and the
/// migration that `deploy` runs, and `berth run`, start in the private subnets without a public IP. moto's tasks
/// never stop by themselves, so RunTask and DescribeTasks are answered by `ScriptedTasks`
/// (written from the ECS API reference), in front of moto for everything else.
@Suite(.serialized) struct PrivateSubnetsDeployTests {
    private static let region = "eu-west-3"

    private static let environmentFile = """
        app: vault
        region: eu-west-3
        network:
          vpc: new
          cidr: 10.70.0.0/16
          privateSubnets: true
        services:
          api:
            cpu: 256
            memory: 512
            execCommand: true
            secrets:
              DATABASE_URL: arn:aws:secretsmanager:eu-west-3:123456789012:secret:vault/database-AbCdEf
          migrate:
            kind: job
            image: {service: api}
            command: bin/migrate up
            cpu: 256
            memory: 512
            timeoutMinutes: 5
            runOnDeploy: before-services

        """

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDVPCETEST", "AWS_SECRET_ACCESS_KEY": "vpce-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    /// EC2 DescribeVpcEndpoints of `vpcID`, which Berth itself never calls: each endpoint's
    /// service name and type.
    private func endpoints(_ moto: Endpoint, vpcID: String) async throws -> [(service: String, type: String)] {
        let body = "Action=DescribeVpcEndpoints&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=\(vpcID)"
        var request = HTTPRequest(
            method: "POST", endpoint: moto,
            headers: [.init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Array(body.utf8))
        SigV4Signer(
            credentials: Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test"), region: Self.region,
            service: "ec2"
        ).sign(&request)
        let response = try await HTTPClient().send(request)
        guard response.status == 200 else { throw TestServerError("DescribeVpcEndpoints answered HTTP \(response.status)") }
        let document = try #require(try XMLNode.parse(response.body))
        return (document.child("vpcEndpointSet")?.children("item") ?? []).compactMap { item in
            guard let service = item.string("serviceName"), let type = item.string("vpcEndpointType") else { return nil }
            return (service, type)
        }
    }

    @Test func theSharedStackMakesPrivateSubnetsAndEndpointsAndTasksRunThere() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let tasks = ScriptedTasks(Array(repeating: .init(pollsBeforeStop: 0, exitCode: 0), count: 3))
        let proxy = try TestHTTPServer { request in tasks.answer(request) ?? .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        let setup = try MotoHelpers.configuration(moto, region: Self.region)

        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        let tag = "dev-20261201-100000-aaaaaaaa"
        try await MotoHelpers.putImage(
            moto, region: Self.region, repository: "vault/api", tag: tag, digest: "sha256:" + String(repeating: "a", count: 64))
        let deployed = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)\n\(deployed.out)")

        // The shared stack's private subnets (moto reports no outputs for a stack made through a
        // change set; the deploy works them out from these physical IDs): no public IPs on
        // launch, in two zones, apart from the load balancer's.
        let resources = try await CloudFormationClient(configuration: setup).listStackResources(stackName: "vault-dev").collect()
        let physical = Dictionary(resources.compactMap { resource in resource.physicalID.map { (resource.logicalID, $0) } }, uniquingKeysWith: { a, _ in a })
        let taskSubnetIDs = try ["PrivateSubnetA", "PrivateSubnetB"].map { try #require(physical[$0]) }
        let balancerSubnetIDs = try ["PublicSubnetA", "PublicSubnetB"].map { try #require(physical[$0]) }
        #expect(Set(taskSubnetIDs).isDisjoint(with: balancerSubnetIDs))
        let vpcID = try #require(physical["Vpc"])
        let ec2 = EC2Client(configuration: setup)
        let taskSubnets = try await ec2.describeSubnets(ids: taskSubnetIDs)
        #expect(taskSubnets.count == 2)
        #expect(taskSubnets.allSatisfy { !$0.mapPublicIPOnLaunch })
        #expect(Set(taskSubnets.compactMap(\.availabilityZone)).count == 2)
        #expect(taskSubnets.allSatisfy { $0.vpcID == vpcID })

        // The endpoints: S3 as a gateway, ECR, CloudWatch Logs, Secrets Manager for the secret and
        // SSM messages for execCommand as interfaces; no SSM (no parameter is read).
        let made = try await endpoints(moto, vpcID: vpcID)
        let prefix = "com.amazonaws.\(Self.region)."
        #expect(Set(made.map(\.service)) == Set(["s3", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssmmessages"].map { prefix + $0 }))
        #expect(made.filter { $0.type.lowercased() == "gateway" }.map(\.service) == [prefix + "s3"])

        // The migration deploy ran started in those subnets, without a public IP.
        #expect(tasks.operations.first == "RunTask")
        let runTask = try #require(tasks.calls.first?.body)
        let network = (runTask["networkConfiguration"] as? [String: Any])?["awsvpcConfiguration"] as? [String: Any]
        #expect(network?["subnets"] as? [String] == taskSubnetIDs)
        #expect(network?["assignPublicIp"] as? String == "DISABLED")

        // berth run, of the job and of the service, starts its tasks in the same subnets.
        for service in ["migrate", "api"] {
            let run = await runBerth(
                ["run", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", service], environment: credentials())
            #expect(run.status == 0, "\(service): \(run.err)")
            let started = try #require(tasks.calls.last { $0.operation == "RunTask" }?.body)
            let placement = (started["networkConfiguration"] as? [String: Any])?["awsvpcConfiguration"] as? [String: Any]
            #expect(placement?["subnets"] as? [String] == taskSubnetIDs, "\(service)")
            #expect(placement?["assignPublicIp"] as? String == "DISABLED", "\(service)")
        }
        #expect(tasks.operations.filter { $0 == "RunTask" }.count == 3)
    }
}
