import BerthAWS
import BerthCLI
@testable import BerthConfig
import BerthTestSupport
import Foundation
import Testing

/// `berth init --from-service` on a service made in moto by boto3 (`Fixtures/init/create_service.py`),
/// with a task definition no one wrote for Berth: the file it writes must synthesize a service
/// with the same cpu, memory, port, variables and secrets.
@Suite struct InitFromServiceTests {
    static let region = "eu-south-2"

    /// Runs the boto3 script against moto; the task definition and service as ECS describes them.
    private func createService(_ endpoint: Endpoint) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/BerthCLITests/Fixtures/init/create_service.py", endpoint.description, Self.region]
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        for name in ["AWS_PROFILE", "AWS_ENDPOINT_URL", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"] { environment[name] = nil }
        environment["NO_PROXY"] = "127.0.0.1"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "create_service.py failed: \(errorText)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theWrittenFileSynthesizesTheSameService() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let described = try createService(endpoint)
        let taskDefinition = try #require(described["taskDefinition"] as? [String: Any])
        let containers = try #require(taskDefinition["containerDefinitions"] as? [[String: Any]])
        let api = try #require(containers.first { $0["name"] as? String == "api" })

        let directory = try temporaryDirectory() + "/legacy"
        let environment = [
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home", "AWS_ACCESS_KEY_ID": "AKIDINIT",
            "AWS_SECRET_ACCESS_KEY": "init",
        ]
        /// `berth init APP --from-service legacy/api` into `directory`.
        func initFromService(app: String, into directory: String) async -> CommandResult {
            await runBerth(
                [
                    "init", app, "--dir", directory, "--env", "prod", "--from-service", "legacy/api", "--region", Self.region,
                    "--endpoint-url", endpoint.description, "--berth-path", repositoryRoot,
                ], environment: environment)
        }
        let result = await initFromService(app: "legacy", into: directory)
        #expect(result.status == 0, "\(result.err)")
        let file = try String(contentsOfFile: directory + "/environments/prod.yaml", encoding: .utf8)
        // What it could not carry over: in the file's header and as warnings.
        for expected in [
            "sidecar: the container log-router", "volumes: cache are not carried over", "task role: arn:aws:iam::123456789012:role/legacy-api-task",
            "load balancer: arn:aws:elasticloadbalancing:", "network: the tasks' subnets subnet-", "security groups: sg-",
            "image: the service runs 123456789012.dkr.ecr.\(Self.region).amazonaws.com/legacy/api:v42 from ECR repository legacy/api, "
                + "in the service's account and region: phase 1's deploy can adopt it into Berth with every image",
            "repository: berth deploy --phase ecr lists what adopting legacy/api changes, and --adopt brings it into Berth with every image",
            "api: mount points /var/cache/api",
            "environment.BAD-NAME: left out: it is not a valid variable name", "environment.: left out: it is not a valid variable name",
            "environment.SMTP_PASSWORD: left out: its name says it holds a secret",
        ] {
            #expect(file.contains("# - " + expected) || file.contains(expected), "\(expected) not in\n\(file)")
            #expect(result.err.contains("warning: api: " + expected), "\(expected) not in\n\(result.err)")
        }
        // A plaintext secret is neither written nor printed.
        #expect(!file.contains("plaintext-smtp-password") && !result.err.contains("plaintext-smtp-password") && !result.out.contains("plaintext-smtp-password"))
        // The network: the tasks' VPC and subnets, and the VPC's public subnets for the load balancer.
        let vpc = try #require(described["vpc"] as? String)
        let taskSubnets = try #require(described["taskSubnets"] as? [String])
        let publicSubnets = try #require(described["publicSubnets"] as? [String]).sorted()
        #expect(
            file.contains(
                "\nnetwork:\n  vpc: existing\n  vpcId: \(vpc)\n  publicSubnetIds: [\(publicSubnets.joined(separator: ", "))]\n  privateSubnetIds: [\(taskSubnets.joined(separator: ", "))]\n"),
            "\(file)")
        #expect(file.contains("\nservices:\n  api:\n    cpu: 512\n    memory: 1024\n    desiredCount: 3\n    containerPort: 3000\n"), "\(file)")

        // Synthesized by Berth, the service is the same.
        let out = directory + "/out"
        let synth = await runBerth(["synth", "--config", directory + "/environments", "--out", out])
        #expect(synth.status == 0, "\(synth.err)")
        let data = try #require(FileManager.default.contents(atPath: out + "/legacy-api-prod.template.json"))
        let template = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let resources = try #require(template["Resources"] as? [String: [String: Any]])
        let task = try #require(resources.values.first { $0["Type"] as? String == "AWS::ECS::TaskDefinition" })
        let properties = try #require(task["Properties"] as? [String: Any])
        #expect(properties["Cpu"] as? String == taskDefinition["cpu"] as? String)
        #expect(properties["Memory"] as? String == taskDefinition["memory"] as? String)
        let container = try #require((properties["ContainerDefinitions"] as? [[String: Any]])?.first)
        let ports = (container["PortMappings"] as? [[String: Any]])?.compactMap { $0["ContainerPort"] as? Int }
        #expect(ports == (api["portMappings"] as? [[String: Any]])?.compactMap { $0["containerPort"] as? Int })

        func pairs(_ list: Any?, _ name: String, _ value: String) -> [String: String] {
            var result: [String: String] = [:]
            for entry in list as? [[String: Any]] ?? [] {
                if let key = entry[name] as? String, let text = entry[value] as? String { result[key] = text }
            }
            return result
        }
        var variables = pairs(container["Environment"], "Name", "Value")
        for name in FargateService.buildMetadataVariables { variables[name] = nil }
        var carried = pairs(api["environment"], "name", "value")
        for name in ["BAD-NAME", "", "SMTP_PASSWORD"] { carried[name] = nil }
        #expect(variables == carried)
        // Secrets by ARN; the one named by its SSM parameter's name gets the parameter's ARN.
        var expectedSecrets = pairs(api["secrets"], "name", "valueFrom")
        expectedSecrets["API_KEY"] = "arn:aws:ssm:\(Self.region):123456789012:parameter/legacy/api-key"
        #expect(pairs(container["Secrets"], "Name", "ValueFrom") == expectedSecrets)
        let check = try #require(container["HealthCheck"] as? [String: Any])
        #expect(check["Command"] as? [String] == ["CMD-SHELL", "curl -f http://localhost:3000/health || exit 1"])
        #expect(check["Interval"] as? Int == 20)
        let service = try #require(resources.values.first { $0["Type"] as? String == "AWS::ECS::Service" })
        #expect((service["Properties"] as? [String: Any])?["DesiredCount"] as? Int == 3)

        // Under another app's name, the file names the service's repository, so that phase 1
        // adopts legacy/api with its images instead of making shop/api beside it.
        let renamed = try temporaryDirectory() + "/shop"
        let shop = await initFromService(app: "shop", into: renamed)
        #expect(shop.status == 0, "\(shop.err)")
        let shopFile = try String(contentsOfFile: renamed + "/environments/prod.yaml", encoding: .utf8)
        #expect(shopFile.contains("\nservices:\n  api:\n    repository: legacy/api\n    cpu: 512\n"), "\(shopFile)")
        let shopOut = renamed + "/out"
        #expect(await runBerth(["synth", "--config", renamed + "/environments", "--out", shopOut]).status == 0)
        let phaseOne = try String(contentsOfFile: shopOut + "/shop-api-ecr.template.json", encoding: .utf8)
        #expect(phaseOne.contains("\"RepositoryName\": \"legacy/api\""), "\(phaseOne)")
    }

    /// An image's registry names its account and region; an SSM parameter named without an
    /// ARN gets one in its region's partition.
    @Test func anImagesRegistryAndAParametersPartitionAreReadFromTheirNames() {
        #expect(ServiceImport.ecrRegistry("123456789012.dkr.ecr.eu-west-1.amazonaws.com/legacy/api:v1")! == ("123456789012", "eu-west-1"))
        #expect(ServiceImport.ecrRegistry("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/legacy/api@sha256:00")! == ("123456789012", "cn-north-1"))
        #expect(ServiceImport.ecrRegistry("public.ecr.aws/nginx/nginx:1") == nil)
        #expect(ServiceImport.ecrRegistry("docker.io/library/nginx:1") == nil)
        #expect(ServiceImport.secretARN("/legacy/key", region: "cn-north-1", account: "123456789012") == "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/legacy/key")
        #expect(ServiceImport.secretARN("legacy/key", region: "us-gov-west-1", account: "123456789012") == "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/legacy/key")
    }

    @Test func aServiceThatIsNotThereIsAnInputError() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let directory = try temporaryDirectory()
        let result = await runBerth(
            [
                "init", "legacy", "--dir", directory, "--from-service", "nowhere/nothing", "--region", "ap-south-2", "--endpoint-url",
                endpoint.description,
            ],
            environment: ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "x"])
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.contains("there is no cluster nowhere"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }
}
