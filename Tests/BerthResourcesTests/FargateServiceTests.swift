import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

/// Every occurrence of `key` anywhere in `value`.
private func occurrences(of key: String, in value: JSONValue) -> [JSONValue] {
    switch value {
    case .object(let members):
        return members.flatMap { member in (member.key == key ? [member.value] : []) + occurrences(of: key, in: member.value) }
    case .array(let elements):
        return elements.flatMap { occurrences(of: key, in: $0) }
    default:
        return []
    }
}

@Suite struct FargateServiceTests {
    private func service(kind: FargateService.Kind = .web, environment: EnvironmentSettings? = nil) -> FargateService {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: kind)
        settings.environment = ["LOG_LEVEL": "debug", "A_FIRST": "1"]
        settings.secrets = ["DB": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"]
        return FargateService(
            name: "api", qualifiedName: "shop-dev-api", environment: environment ?? EnvironmentSettings(name: "dev", region: "eu-west-1"),
            settings: settings, repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 20)
    }

    private func build(_ service: FargateService) -> Stack {
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service.add(to: &stack)
        return stack
    }

    @Test func theStackIsValidAndUsesNoImports() {
        let stack = build(service())
        #expect(stack.validate().isEmpty)
        #expect(occurrences(of: "Fn::ImportValue", in: stack.template.templateValue).isEmpty)
        #expect(stack.service == "api")
        #expect(stack.imageRepository == "shop/api")
    }

    @Test func repositoryImageAndPlacementComeFromParametersFilledAtDeployTime() {
        let stack = build(service())
        #expect(stack.template.parameters.map(\.name) == [
            "RepositoryUri", "RepositoryName", "ImageTag", "ImageDigest", "CommitSha", "BuildTime", "VpcId", "TaskSubnetIds",
            "ClusterName", "ServicesSecurityGroupId", "ListenerArn", "LoadBalancerSecurityGroupId", "ServiceConnectNamespace",
        ])
        #expect(stack.parameterSources.map(\.value) == [
            .stackOutput(stack: "shop-api-ecr", output: "RepositoryUri"),
            .stackOutput(stack: "shop-api-ecr", output: "RepositoryName"),
            .imageGate(.tag), .imageGate(.digest), .buildMetadata(.commitSha), .buildMetadata(.buildTime),
            .stackOutput(stack: "shop-dev", output: "VpcId"), .stackOutput(stack: "shop-dev", output: "TaskSubnetIds"),
            .stackOutput(stack: "shop-dev", output: "ClusterName"), .stackOutput(stack: "shop-dev", output: "ServicesSecurityGroupId"),
            .stackOutput(stack: "shop-dev", output: "ListenerArn"), .stackOutput(stack: "shop-dev", output: "LoadBalancerSecurityGroupId"),
            .stackOutput(stack: "shop-dev", output: "ServiceConnectNamespace"),
        ])
        let container = stack.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["Image"] == [
            "Fn::If": ["UseImageDigest", ["Fn::Sub": "${RepositoryUri}@${ImageDigest}"], ["Fn::Sub": "${RepositoryUri}:${ImageTag}"]]
        ])
        #expect(stack.template.conditions.first?.value == ["Fn::Not": [["Fn::Equals": [["Ref": "ImageDigest"], ""]]]])
        #expect(stack.template.resource("Service")?.properties["Cluster"] == ["Ref": "ClusterName"])
    }

    @Test func environmentCarriesBuildMetadataSortedByName() {
        let container = build(service()).template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        let names = container?["Environment"]?.elements?.compactMap { $0["Name"]?.stringValue }
        #expect(names == ["A_FIRST", "BUILD_TIME", "COMMIT_SHA", "IMAGE_TAG", "LOG_LEVEL"])
        #expect(container?["Environment"]?.elements?[3]["Value"] == ["Ref": "ImageTag"])
        #expect(container?["Secrets"] == [["Name": "DB", "ValueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"]])
    }

    /// The statements of the execution role `service` makes.
    private func executionRoleStatements(_ service: FargateService) throws -> [JSONValue] {
        let role = try #require(build(service).template.resource("TaskExecutionRole"))
        return role.properties["Policies"]?.elements?.first?["PolicyDocument"]?["Statement"]?.elements ?? []
    }

    @Test func executionRoleIsScopedToThisRepositoryLogGroupAndSecrets() throws {
        let statements = try executionRoleStatements(service())
        let pull = try #require(statements.first { $0["Sid"] == "PullFromThisRepository" })
        #expect(pull["Resource"] == ["Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryName}"])
        let logs = try #require(statements.first { $0["Sid"] == "WriteToThisLogGroup" })
        #expect(logs["Resource"] == ["Fn::GetAtt": ["LogGroup", "Arn"]])
        let secrets = try #require(statements.first { $0["Sid"] == "ReadTheContainerSecrets" })
        #expect(secrets["Resource"] == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"])
        // Only GetAuthorizationToken, which ECR cannot scope, is granted on every resource.
        let wildcard = statements.filter { $0["Resource"] == "*" }.map { $0["Action"] }
        #expect(wildcard == ["ecr:GetAuthorizationToken"])
    }

    /// A secret encrypted with its owner's KMS key (a secret shared from another account always
    /// is) is decrypted through the execution role: kms:Decrypt only through Secrets Manager or
    /// Parameter Store in the secret's region, and only for the secrets the task names (each
    /// service puts the secret's or parameter's ARN in the encryption context).
    @Test func theExecutionRoleDecryptsOnlyItsOwnSecretsThroughTheirService() throws {
        var service = service()
        service.settings.secrets = [
            "DB": "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf:password::",
            "TOKEN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-token",
            "FLAG": "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/flag",
        ]
        let statements = try executionRoleStatements(service)
        let secrets = try #require(statements.first { $0["Sid"] == "DecryptTheContainerSecrets" })
        #expect(secrets["Action"] == "kms:Decrypt")
        #expect(secrets["Resource"] == ["Fn::Sub": "arn:${AWS::Partition}:kms:*:*:key/*"])
        #expect(secrets["Condition"] == [
            "StringEquals": ["kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"]],
            "StringLike": [
                "kms:EncryptionContext:SecretARN": [
                    "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db-AbCdEf",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-token",
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-token-??????",
                ]
            ],
        ])
        let parameters = try #require(statements.first { $0["Sid"] == "DecryptTheContainerParameters" })
        #expect(parameters["Condition"] == [
            "StringEquals": ["kms:ViaService": ["ssm.eu-west-1.amazonaws.com"]],
            "StringLike": ["kms:EncryptionContext:PARAMETER_ARN": ["arn:aws:ssm:eu-west-1:123456789012:parameter/shop/flag"]],
        ])
        // No secrets, no decrypting.
        service.settings.secrets = [:]
        let plain = try executionRoleStatements(service)
        #expect(!plain.isEmpty && !plain.contains { $0["Action"] == "kms:Decrypt" })
    }

    /// A sidecar whose image is in a private ECR registry (copied there, or a pull-through cache's)
    /// is pulled with the execution role too: its repository is allowed, by tag or digest, once;
    /// an image of another registry needs nothing.
    @Test func theExecutionRolePullsSidecarImagesFromPrivateECR() throws {
        var service = service()
        service.sidecars = [
            .init(name: "otel", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/aws-observability/aws-otel-collector:v0.43.1"),
            .init(name: "proxy", image: "210987654321.dkr.ecr.us-east-1.amazonaws.com/proxy@sha256:" + String(repeating: "a", count: 64)),
            .init(name: "again", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/aws-observability/aws-otel-collector:v0.44.0"),
            .init(name: "public", image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1"),
        ]
        let statements = try executionRoleStatements(service)
        let pull = try #require(statements.first { $0["Sid"] == "PullTheSidecarImages" })
        #expect(pull["Resource"] == [
            ["Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/ecr-public/aws-observability/aws-otel-collector"],
            ["Fn::Sub": "arn:${AWS::Partition}:ecr:us-east-1:210987654321:repository/proxy"],
        ])
        let plain = try executionRoleStatements(self.service())
        #expect(!plain.isEmpty && !plain.contains { $0["Sid"] == "PullTheSidecarImages" })
        #expect(FargateTaskDefinition.privateECRRepository(of: "ghcr.io/acme/x:1") == nil)
        // The same reading decides what a private subnet's endpoints reach, China's regions included.
        #expect(FargateService.isInRegionalECR("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/x:1", region: "cn-north-1"))
        #expect(!FargateService.isInRegionalECR("123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1", region: "us-east-1"))
        #expect(FargateTaskDefinition.privateECRRepository(of: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/x") == "cn-north-1:123456789012:repository/x")
    }

    /// ECS takes a secret's ARN with a JSON key and version (`…:secret:db-AbCdEf:password::`) or
    /// without Secrets Manager's six-character suffix; IAM matches the secret itself: the role
    /// is allowed the secret's ARN, and `NAME-??????` for a name without its suffix.
    @Test func theExecutionRoleReadsTheSecretsAJSONKeyOrAPartialARNNames() throws {
        var service = service()
        service.settings.secrets = [
            "KEY": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::",
            "USER": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:username::",
            "PARTIAL": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-token",
            "SIX": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-config",
        ]
        let statements = try executionRoleStatements(service)
        let secrets = try #require(statements.first { $0["Sid"] == "ReadTheContainerSecrets" })
        #expect(
            secrets["Resource"] == [
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-token",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-token-??????",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-config",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-config-??????",
            ], "\(secrets["Resource"] ?? nil)")
        // The container still names the key, as ECS takes it.
        let container = build(service).template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["Secrets"]?.elements?.first?["ValueFrom"] == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::")
    }

    @Test func aSharedWebServiceTakesTrafficFromTheSharedLoadBalancerThroughItsRule() throws {
        var api = service()
        api.settings.routing = .init(paths: ["/api/*"], hosts: ["api.example.com"])
        let template = build(api).template
        let ingress = try #require(template.resource("ServiceIngressFromLoadBalancer"))
        #expect(ingress.properties["SourceSecurityGroupId"] == ["Ref": "LoadBalancerSecurityGroupId"])
        #expect(ingress.properties["FromPort"] == 8080)
        #expect(template.resource("ServiceSecurityGroup")?.properties["SecurityGroupIngress"] == nil)
        #expect(template.resource("LoadBalancer") == nil)
        let rule = try #require(template.resource("ListenerRule"))
        #expect(rule.properties["ListenerArn"] == ["Ref": "ListenerArn"])
        #expect(rule.properties["Priority"] == 20)
        #expect(rule.properties["Conditions"] == [
            ["Field": "host-header", "HostHeaderConfig": ["Values": ["api.example.com"]]],
            ["Field": "path-pattern", "PathPatternConfig": ["Values": ["/api/*"]]],
        ])
        let service = try #require(template.resource("Service"))
        #expect(service.dependsOn == ["ListenerRule"])
        #expect(service.properties["DeploymentConfiguration"]?["DeploymentCircuitBreaker"] == ["Enable": true, "Rollback": true])
        #expect(service.properties["DesiredCount"] == 1)
    }

    @Test func aRuleWithoutPathsOrHostsTakesEveryPath() throws {
        let rule = try #require(build(service()).template.resource("ListenerRule"))
        #expect(rule.properties["Conditions"] == [["Field": "path-pattern", "PathPatternConfig": ["Values": ["/*"]]]])
    }

    @Test func aDedicatedLoadBalancerWithHTTPSRedirectsHTTP() throws {
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        environment.https = .init(certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")
        var api = service(environment: environment)
        api.settings.loadBalancer = .dedicated
        let stack = build(api)
        let template = stack.template
        #expect(template.resource("ListenerRule") == nil)
        #expect(template.resource("LoadBalancer")?.properties["Subnets"] == ["Fn::Split": [",", ["Ref": "LoadBalancerSubnetIds"]]])
        #expect(stack.parameterSources.map(\.name).suffix(2) == ["LoadBalancerSubnetIds", "ServiceConnectNamespace"])
        let http = try #require(template.resource("HttpListener"))
        #expect(http.properties["DefaultActions"]?.elements?.first?["Type"] == "redirect")
        let https = try #require(template.resource("HttpsListener"))
        #expect(https.properties["Certificates"] == [["CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"]])
        #expect(template.resource("Service")?.dependsOn == ["HttpListener", "HttpsListener"])
        let ports = template.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupIngress"]?.elements?.map { $0["FromPort"] }
        #expect(ports == [80, 443])
        #expect(template.outputs.map(\.name).contains("ServiceUrl"))
        #expect(template.resource("ServiceIngressFromLoadBalancer")?.properties["SourceSecurityGroupId"]
            == ["Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"]])
    }

    @Test func aWorkerHasNoLoadBalancerPortOrIngress() throws {
        let stack = build(service(kind: .worker))
        #expect(stack.validate().isEmpty)
        let template = stack.template
        let types = Set(template.resources.map(\.value.type))
        #expect(!types.contains("AWS::ElasticLoadBalancingV2::TargetGroup"))
        #expect(!types.contains("AWS::ElasticLoadBalancingV2::ListenerRule"))
        #expect(!types.contains("AWS::EC2::SecurityGroupIngress"))
        #expect(!template.parameters.map(\.name).contains("ListenerArn"))
        let service = try #require(template.resource("Service"))
        #expect(service.properties["LoadBalancers"] == nil)
        #expect(service.properties["HealthCheckGracePeriodSeconds"] == nil)
        #expect(service.dependsOn.isEmpty)
        let container = template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["PortMappings"] == nil)
        // A client of the environment's servers only: in the namespace, with nothing to serve.
        #expect(service.properties["ServiceConnectConfiguration"]?["Enabled"] == true)
        #expect(service.properties["ServiceConnectConfiguration"]?["Namespace"] == ["Ref": "ServiceConnectNamespace"])
        #expect(service.properties["ServiceConnectConfiguration"]?["Services"] == nil)
        #expect(
            service.properties["NetworkConfiguration"]?["AwsvpcConfiguration"]?["SecurityGroups"]
                == [["Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]], ["Ref": "ServicesSecurityGroupId"]])
    }

    @Test func aBackendServesTheEnvironmentsServicesOverServiceConnectAndNothingElse() throws {
        var backend = service(kind: .backend)
        backend.settings.containerPort = 9000
        let stack = build(backend)
        #expect(stack.validate().isEmpty)
        let template = stack.template
        let types = Set(template.resources.map(\.value.type))
        #expect(!types.contains("AWS::ElasticLoadBalancingV2::TargetGroup"))
        #expect(!types.contains("AWS::ElasticLoadBalancingV2::ListenerRule"))
        #expect(!types.contains("AWS::ElasticLoadBalancingV2::LoadBalancer"))
        #expect(!template.parameters.map(\.name).contains("ListenerArn"))
        #expect(stack.parameterSources.suffix(1).map(\.value) == [.stackOutput(stack: "shop-dev", output: "ServiceConnectNamespace")])
        // The one way in: the environment's services group, on the port.
        let ingresses = template.resources.filter { $0.value.type == "AWS::EC2::SecurityGroupIngress" }
        #expect(ingresses.map(\.name) == ["ServiceIngressFromServices"])
        let ingress = try #require(ingresses.first?.value.properties)
        #expect(ingress["SourceSecurityGroupId"] == ["Ref": "ServicesSecurityGroupId"])
        #expect(ingress["GroupId"] == ["Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]])
        #expect(ingress["FromPort"] == 9000)
        #expect(ingress["ToPort"] == 9000)
        let container = template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["PortMappings"] == [["AppProtocol": "http", "ContainerPort": 9000, "Name": "api", "Protocol": "tcp"]])
        let service = try #require(template.resource("Service"))
        #expect(service.properties["LoadBalancers"] == nil)
        #expect(service.properties["HealthCheckGracePeriodSeconds"] == nil)
        let connect = try #require(service.properties["ServiceConnectConfiguration"])
        #expect(connect["Services"] == [
            ["ClientAliases": [["DnsName": "api", "Port": 9000]], "DiscoveryName": "api", "PortName": "api"]
        ])
        #expect(connect["LogConfiguration"]?["Options"]?["awslogs-stream-prefix"] == "api-service-connect")
    }

    @Test func aWebServiceIsAlsoAServiceConnectServerOnItsPort() throws {
        let stack = build(service())
        let template = stack.template
        #expect(template.resource("ServiceIngressFromLoadBalancer") != nil)
        #expect(template.resource("ServiceIngressFromServices")?.properties["FromPort"] == 8080)
        let connect = template.resource("Service")?.properties["ServiceConnectConfiguration"]
        #expect(connect?["Services"]?.elements?.first?["ClientAliases"] == [["DnsName": "api", "Port": 8080]])
    }

    @Test func aBackendRefusesWhatShiftsTrafficAndAPortOutOfRange() {
        var backend = service(kind: .backend)
        backend.settings.containerPort = 0
        backend.settings.rollout.strategy = .canary
        let locations = backend.validate().map(\.location)
        #expect(locations.contains("containerPort"))
        #expect(locations.contains("deployment.strategy"))
    }

    @Test func loadBalancerSettingsOnABackendOrAWorkerSetInSwiftAreProblems() {
        for kind in [FargateService.Kind.backend, .worker] {
            var service = service(kind: kind)
            service.settings.routing.paths = ["/api/*"]
            service.settings.healthCheck.path = "/health"
            service.settings.loadBalancer = .dedicated
            let found = service.validate().filter { ["routing", "healthCheck", "loadBalancer"].contains($0.location) }
            #expect(found.map(\.location) == ["routing", "healthCheck", "loadBalancer"], "\(kind)")
            #expect(found.allSatisfy { $0.message.hasPrefix(kind == .backend ? "a backend has no load balancer" : "a worker takes no requests") })
            #expect(service.settings.usesSharedLoadBalancer == false)
        }
        #expect(service(kind: .backend).validate().isEmpty)
    }

    /// A service's settings on a job, a job's on a service, set in Swift (the reader refuses
    /// the keys at their line): nothing reads them, and synth warns.
    @Test func settingsOfAnotherKindSetInSwiftAreProblems() {
        var job = service(kind: .job)
        job.settings.desiredCount = 3
        job.settings.autoscaling = .init(minCount: 1, maxCount: 2)
        job.settings.enableExecuteCommand = true
        // Warned of, not refused: a configureService body for every service sets them on the jobs too.
        #expect(job.validate().isEmpty, "\(job.validate())")
        #expect(job.warnings().filter { $0.message.hasPrefix("is ignored") }.map(\.location) == ["desiredCount", "autoscaling", "execCommand"])
        job.settings.containerHealthCheck = FargateService.ContainerHealthCheck(command: ["CMD-SHELL", "true"])
        #expect(job.warnings().contains { $0.location == "containerHealthCheck" && $0.message.hasPrefix("does nothing for a job") })
        // A sidecar that waits for the job's container to be HEALTHY reads the check.
        var sidecar = FargateService.Sidecar(name: "proxy", image: "public.ecr.aws/nginx/nginx:1.27")
        sidecar.dependsOn = [.init(container: job.name, condition: .healthy)]
        job.sidecars = [sidecar]
        #expect(!job.warnings().contains { $0.location == "containerHealthCheck" }, "\(job.warnings())")
        // Cooldowns have no file key: set in Swift, they are still held to what AWS takes.
        var scaled = service(kind: .worker)
        scaled.settings.autoscaling = .init(minCount: 1, maxCount: 2)
        scaled.settings.autoscaling?.scaleInCooldownSeconds = Int.min
        #expect(scaled.validate().map(\.location) == ["autoscaling.scaleInCooldownSeconds"], "\(scaled.validate())")
        var web = service()
        web.settings.job.schedule = "rate(1 hour)"
        #expect(web.validate().isEmpty)
        #expect(web.warnings().map { "\($0.location): \($0.message)" } == [
            "job: is ignored: only a job has a schedule, a command or another service's image; make it kind: job"
        ])
    }

    @Test func sidecarsAndTaskRoleStatementsJoinTheTask() throws {
        var api = service()
        var collector = FargateService.Sidecar(name: "otel", image: "public.ecr.aws/otel/collector:v1.2.3", port: 4317, essential: false)
        collector.dependsOn = [.init(container: "api", condition: .start)]
        collector.environment = ["MODE": "agent"]
        api.sidecars = [collector]
        api.taskRoleStatements = [.allow(["s3:GetObject"], on: ["arn:aws:s3:::assets/*"], sid: "ReadAssets")]
        let stack = build(api)
        #expect(stack.validate().isEmpty)
        let containers = stack.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements ?? []
        #expect(containers.map { $0["Name"] } == ["api", "otel"])
        #expect(containers[1]["Image"] == "public.ecr.aws/otel/collector:v1.2.3")
        #expect(containers[1]["Essential"] == false)
        #expect(containers[1]["DependsOn"] == [["Condition": "START", "ContainerName": "api"]])
        #expect(containers[1]["PortMappings"] == [["ContainerPort": 4317, "Protocol": "tcp"]])
        #expect(containers[1]["Environment"] == [["Name": "MODE", "Value": "agent"]])
        let policies = stack.template.resource("TaskRole")?.properties["Policies"]?.elements ?? []
        #expect(policies.map { $0["PolicyName"] } == ["app"])
        #expect(policies.first?["PolicyDocument"]?["Statement"] == [
            ["Sid": "ReadAssets", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*"]
        ])
    }

    @Test func badSidecarsAndStatementsAreReported() {
        var api = service()
        api.sidecars = [
            FargateService.Sidecar(name: "api", image: "busybox"),
            FargateService.Sidecar(name: "proxy", image: "envoyproxy/envoy:latest", port: 8080),
        ]
        api.dependsOn = [.init(container: "nope", condition: .healthy)]
        api.taskRoleStatements = [PolicyStatement(actions: ["GetObject"], resources: [])]
        let problems = api.validate()
        #expect(problems.map(\.location) == [
            "sidecars.api", "sidecars.api", "sidecars.proxy", "sidecars.proxy", "dependsOn", "taskRoleStatements[0]", "taskRoleStatements[0]",
        ])
        #expect(problems.map(\.message).contains("image envoyproxy/envoy:latest moves with every push; name a version tag or a digest (@sha256:…)"))
        #expect(problems.map(\.message).contains("port 8080 is the service's own containerPort; choose another"))

        api.sidecars = []
        api.dependsOn = []
        api.taskRoleStatements = [
            .allow(["s3:GetObject"], on: ["arn:aws:s3:::a/*"], sid: "Read"), .allow(["s3:PutObject"], on: ["arn:aws:s3:::a/*"], sid: "Read"),
        ]
        #expect(api.validate().map { "\($0.location): \($0.message)" } == [
            "taskRoleStatements[1]: sid Read is taskRoleStatements[0]'s too; IAM takes each Sid once in a policy"
        ])
    }

    /// ECS's rules for a container dependency's condition (ContainerDependency): HEALTHY needs a
    /// health check on the container waited for (sidecars have none), COMPLETE and SUCCESS a
    /// container that is not essential; and the main container keeps memory of its own.
    @Test func dependencyConditionsAndSidecarMemoryFollowECSsRules() {
        var api = service()
        var migrate = FargateService.Sidecar(name: "migrate", image: "busybox:1.36", essential: false)
        migrate.memoryReservation = 128
        var proxy = FargateService.Sidecar(name: "proxy", image: "envoyproxy/envoy:v1.31")
        proxy.dependsOn = [.init(container: "api", condition: .healthy)]
        api.sidecars = [migrate, proxy]
        api.dependsOn = [
            .init(container: "migrate", condition: .success), .init(container: "proxy", condition: .start),
            .init(container: "proxy", condition: .healthy), .init(container: "proxy", condition: .complete),
        ]
        let problems = api.validate()
        #expect(problems.map(\.location) == ["dependsOn", "dependsOn", "sidecars.proxy.dependsOn"], "\(problems)")
        #expect(problems[0].message == "waits for proxy to be HEALTHY, and a sidecar has no health check, so it never is; wait for START")
        #expect(problems[1].message.hasPrefix("waits for proxy to exit, and ECS takes that only of a container that is not essential"))
        #expect(problems[1].message.hasSuffix("; set essential: false on sidecar proxy"))
        #expect(problems[2].message == "waits for api to be HEALTHY, which has no health check (containerHealthCheck), so it never is")

        // With a health check on the main container, waiting for it to be healthy is fine.
        api.settings.containerHealthCheck = .init(command: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"])
        api.dependsOn = [.init(container: "migrate", condition: .success)]
        #expect(api.validate().isEmpty, "\(api.validate())")

        // Sidecars that reserve all the task's memory leave the main container none.
        migrate.memoryReservation = api.settings.size.memory - 2
        api.sidecars = [migrate]
        #expect(api.validate().map(\.message) == [
            "the sidecars reserve \(api.settings.size.memory - 2) MiB of the task's \(api.settings.size.memory), leaving the service's "
                + "container 2 MiB (ECS needs at least 6); reserve less, or give the task more memory"
        ])
    }

    /// What a sidecar takes of the task is what ECS takes (ContainerDefinition): no more CPU or
    /// memory than the task has, each port once; values no file gives (set in Swift) are
    /// problems, never a trap.
    @Test func sidecarsTakeNoMoreThanTheTaskHas() {
        var api = service()
        let size = api.settings.size
        var heavy = FargateService.Sidecar(name: "heavy", image: "public.ecr.aws/x/y:1.0", port: 9901)
        heavy.cpu = size.cpu + 1
        var negative = FargateService.Sidecar(name: "negative", image: "public.ecr.aws/x/y:1.0", port: 9901)
        negative.memoryReservation = -100
        api.sidecars = [heavy, negative]
        #expect(api.validate().map { "\($0.location): \($0.message)" } == [
            "sidecars.heavy.cpu: must be 0 to the task's \(size.cpu) CPU units, got \(size.cpu + 1)",
            "sidecars.negative: port 9901 is sidecar heavy's too: containers of one task share its network; choose another",
            "sidecars.negative.memoryReservation: must be 6 (what ECS gives a container at least) to the task's \(size.memory) MiB, got -100",
        ])
        for extreme in [Int.max, Int.min] {
            var greedy = FargateService.Sidecar(name: "greedy", image: "public.ecr.aws/x/y:1.0")
            (greedy.memoryReservation, greedy.cpu) = (extreme, extreme)
            var other = greedy
            other.name = "other"
            api.sidecars = [greedy, other]
            #expect(!api.validate().isEmpty)
            var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
            api.add(to: &stack)
        }
        api.settings.size = FargateSize(cpu: 256, memory: Int.min)
        #expect(!api.validate().isEmpty)
    }

    /// A sidecar's image is pinned by a digest (`@sha256:`, wherever the reference has it) or a
    /// tag other than latest.
    @Test func sidecarImagesArePinnedByADigestOrAVersionTag() {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        for image in ["envoyproxy/envoy@\(digest)", "envoyproxy/envoy:latest@\(digest)", "registry:5000/envoy@\(digest)", "envoy:v1.31"] {
            #expect(FargateService.pinnedImageProblem(image) == nil, "\(image)")
        }
        // A branch or channel name moves as `latest` does: deploying the image it names now
        // gives each task whatever was pushed last when it starts.
        for image in ["envoyproxy/envoy", "envoyproxy/envoy:latest", "registry:5000/envoy", "envoy:", "envoy sha256:ab", "otel/collector:stable", "envoy:Main"] {
            #expect(FargateService.pinnedImageProblem(image) != nil, "\(image)")
        }
    }

    @Test func autoscalingLeavesDesiredCountToTheScalableTarget() throws {
        var settings = service()
        settings.settings.autoscaling = .init(minCount: 2, maxCount: 6, cpuTargetPercent: 55)
        let template = build(settings).template
        #expect(template.resource("Service")?.properties["DesiredCount"] == nil)
        let target = try #require(template.resource("ScalableTarget"))
        #expect(target.properties["MinCapacity"] == 2)
        #expect(target.properties["ResourceId"] == ["Fn::Sub": "service/${ClusterName}/${Service.Name}"])
        let policy = try #require(template.resource("CpuScalingPolicy"))
        #expect(policy.properties["TargetTrackingScalingPolicyConfiguration"]?["TargetValue"] == .double(55))
    }

    @Test func tasksInPrivateSubnetsGetNoPublicIP() {
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        environment.network = .existing(vpcID: "vpc-1", publicSubnetIDs: ["subnet-a", "subnet-b"], privateSubnetIDs: ["subnet-c"])
        let awsvpc = build(service(environment: environment)).template.resource("Service")?.properties["NetworkConfiguration"]?["AwsvpcConfiguration"]
        #expect(awsvpc?["Subnets"] == ["Fn::Split": [",", ["Ref": "TaskSubnetIds"]]])
        #expect(awsvpc?["AssignPublicIp"] == "DISABLED")
        let publicTasks = build(service()).template.resource("Service")?.properties["NetworkConfiguration"]?["AwsvpcConfiguration"]
        #expect(publicTasks?["AssignPublicIp"] == "ENABLED")
    }

    /// A path or host listed twice is refused at the later one (hosts compared without regard
    /// to case, as ELB compares them).
    @Test func aRoutingPatternListedTwiceIsRefused() throws {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        settings.routing = .init(paths: ["/a", "/b", "/a"], hosts: ["api.example.com", "API.example.com"], priority: nil)
        let problems = settings.validate()
        #expect(problems.map(\.location) == ["routing.paths[2]", "routing.hosts[1]"])
        #expect(problems.first?.message == "\"/a\" is routing.paths[0] again: list each once")
        settings.routing = .init(paths: ["/a", "/A"], hosts: ["a.example.com", "b.example.com"], priority: nil)
        #expect(settings.validate().isEmpty)
    }

    @Test func invalidSettingsAreAllReported() {
        var settings = service()
        settings.settings.size = FargateSize(cpu: 256, memory: 4096)
        settings.settings.environment["IMAGE_TAG"] = "mine"
        settings.settings.environment["1BAD"] = "x"
        settings.settings.secrets["TOKEN"] = "plain-text-secret"
        settings.settings.healthCheck.timeoutSeconds = 20
        settings.settings.healthCheck.matcher = "200-100"
        settings.settings.autoscaling = .init(minCount: 5, maxCount: 2, cpuTargetPercent: 60)
        settings.settings.logRetentionDays = 10
        settings.settings.routing = .init(paths: ["api/*", "/a", "/b", "/c"], hosts: ["bad host", "x.example.com"], priority: 0)
        let locations = settings.validate().map(\.location)
        #expect(locations == [
            "cpu", "healthCheck.matcher", "healthCheck.timeoutSeconds", "routing.paths[0]", "routing.hosts[0]", "routing", "routing.priority",
            "environment.1BAD", "environment.IMAGE_TAG", "secrets.TOKEN", "logs.retentionDays", "autoscaling.maxCount",
        ])
        let secretMessage = settings.validate().first { $0.location == "secrets.TOKEN" }?.message
        #expect(secretMessage?.hasPrefix("must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>)") == true)
        // The value is never repeated: it may be the secret itself, put where its ARN belongs.
        #expect(secretMessage?.contains("plain-text-secret") == false)
        #expect(secretMessage?.hasSuffix("(17 characters)") == true)
    }

    @Test func cidrBlocksSplitInHalves() {
        #expect(IPv4Block("10.0.0.0/16")?.halves().map(\.description) == ["10.0.0.0/17", "10.0.128.0/17"])
        #expect(IPv4Block("192.168.4.0/24")?.halves().map(\.description) == ["192.168.4.0/25", "192.168.4.128/25"])
        #expect(IPv4Block("10.0.0.1/16") == nil)
        #expect(IPv4Block("10.0.0.0/33") == nil)
        #expect(IPv4Block("10.0.0/16") == nil)
        #expect(IPv4Block("300.0.0.0/8") == nil)
    }
}
