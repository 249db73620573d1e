import BerthTemplate
import Testing

@testable import BerthResources

/// What checkov would flag is either fixed by an option or kept on purpose with a reason the
/// template carries (`Metadata.checkov.skip`).
@Suite struct SecureDefaultsTests {
    private func sharedStack(_ configure: (inout EnvironmentSettings) -> Void = { _ in }) -> Stack {
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        environment.services = [.init("api", FargateService.Settings(size: FargateSize(cpu: 256, memory: 512)))]
        configure(&environment)
        var stack = Stack(name: "shop-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        SharedEnvironment(environment: environment, qualifiedName: "shop-dev").add(to: &stack)
        return stack
    }

    private func skipped(_ resource: Resource?) -> [String] {
        resource?.metadata?["checkov"]?["skip"]?.elements?.compactMap { $0["id"]?.stringValue } ?? []
    }

    @Test func withoutOptionsEveryKeptFindingCarriesItsReason() throws {
        let template = sharedStack { $0.containerInsights = false }.template
        #expect(skipped(template.resource("LoadBalancer")) == ["CKV_AWS_91"])
        #expect(skipped(template.resource("HttpListener")) == ["CKV_AWS_2", "CKV_AWS_103"])
        #expect(skipped(template.resource("LoadBalancerSecurityGroup")) == ["CKV_AWS_260"])
        #expect(skipped(template.resource("Cluster")) == ["CKV_AWS_65"])
        let reason = template.resource("LoadBalancer")?.metadata?["checkov"]?["skip"]?.elements?.first?["comment"]?.stringValue
        #expect(reason?.contains("accessLogs.bucket") == true)
        let attributes = template.resource("LoadBalancer")?.properties["LoadBalancerAttributes"]?.elements?.compactMap { $0["Key"]?.stringValue }
        #expect(attributes == ["routing.http.drop_invalid_header_fields.enabled"])
    }

    @Test func accessLogsAndDeletionProtectionAreLoadBalancerAttributes() throws {
        let template = sharedStack { environment in
            environment.accessLogs = .init(bucket: "shop-alb-logs", prefix: "dev")
            environment.isProtected = true
            environment.https = .init(certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")
        }.template
        let attributes = template.resource("LoadBalancer")?.properties["LoadBalancerAttributes"]
        #expect(attributes == [
            ["Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"],
            ["Key": "access_logs.s3.enabled", "Value": "true"],
            ["Key": "access_logs.s3.bucket", "Value": "shop-alb-logs"],
            ["Key": "access_logs.s3.prefix", "Value": "dev"],
            ["Key": "deletion_protection.enabled", "Value": "true"],
        ])
        #expect(template.resource("LoadBalancer")?.metadata == nil)
        #expect(template.resource("HttpListener")?.metadata == nil)
        #expect(template.resource("Cluster")?.metadata == nil)
        let unprotected = sharedStack { $0.isProtected = true; $0.loadBalancerDeletionProtection = false }.template
        let keys = unprotected.resource("LoadBalancer")?.properties["LoadBalancerAttributes"]?.elements?.compactMap { $0["Key"]?.stringValue }
        #expect(keys?.contains("deletion_protection.enabled") == false)
    }

    @Test func aLogKeyEncryptsTheLogGroupAndTrustIsForThisAccount() throws {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        let service = { (settings: FargateService.Settings) -> Stack in
            var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
            FargateService(
                name: "api", qualifiedName: "shop-dev-api", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"),
                settings: settings, repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 10
            ).add(to: &stack)
            return stack
        }
        #expect(skipped(service(settings).template.resource("LogGroup")) == ["CKV_AWS_158"])
        settings.logKMSKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/abc"
        let template = service(settings).template
        #expect(template.resource("LogGroup")?.properties["KmsKeyId"] == "arn:aws:kms:eu-west-1:123456789012:key/abc")
        #expect(template.resource("LogGroup")?.metadata?["checkov"] == nil)
        #expect(template.resource("LogGroup")?.metadata?["guard"]?["SuppressedRules"] == ["cloudwatch_log_group_retention_period_check"])
        for role in ["TaskRole", "TaskExecutionRole"] {
            let trust = template.resource(role)?.properties["AssumeRolePolicyDocument"]?["Statement"]?.elements?.first
            #expect(trust?["Condition"] == ["StringEquals": ["aws:SourceAccount": ["Ref": "AWS::AccountId"]]])
        }
        let repositoryName = template.parameters.first { $0.name == "RepositoryName" }?.value
        #expect(repositoryName?.allowedPattern != nil)
    }

    @Test func secretLookingVariableNamesAreWarnedAbout() {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        settings.environment = [
            "LOG_LEVEL": "info", "DB_PASSWORD": "x", "githubToken": "y", "TOKENIZER_MODEL": "z", "stripe-api-key": "k", "KEY_COUNT": "3",
            "PGPASSWORD": "p", "MYSQL_PWD": "p", "APP_KEY": "k", "CACHE_KEY": "users", "AUTH_URL": "https://id.example.com/auth",
            "DATABASE_URL": "postgres://app:s3cretpw@db.internal/app", "HOME_URL": "https://user@example.com/",
            "STRIPE_API_KEY_LIVE": "k", "JWT_PRIVATE_KEY_PEM": "k",
        ]
        var collector = FargateService.Sidecar(name: "otel", image: "public.ecr.aws/otel/collector:v1.2.3")
        collector.environment = ["EXPORTER_TOKEN": "t", "ENDPOINT": "https://u:pw@collector.example.com", "MODE": "agent"]
        var service = FargateService(
            name: "api", qualifiedName: "shop-dev-api", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"),
            settings: settings, repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 10)
        service.sidecars = [collector]
        let warnings = service.warnings()
        #expect(warnings.map(\.location) == [
            "environment.APP_KEY", "environment.DATABASE_URL", "environment.DB_PASSWORD", "environment.JWT_PRIVATE_KEY_PEM",
            "environment.MYSQL_PWD", "environment.PGPASSWORD", "environment.STRIPE_API_KEY_LIVE",
            "environment.githubToken", "environment.stripe-api-key", "sidecars.otel.environment.ENDPOINT",
            "sidecars.otel.environment.EXPORTER_TOKEN",
        ])
        #expect(warnings[1].message.hasPrefix("holds a URL with a password"))
        #expect(warnings[0].message.hasPrefix("looks like a secret"))
        #expect(!warnings.contains { $0.message.contains("s3cretpw") || $0.message.contains("pw@") })
    }

    /// The gate checks the signatures of the services' own images: in an environment that
    /// requires them, a sidecar named by a tag is warned about; one named by digest is not.
    @Test func aSidecarByTagInAnEnvironmentOfSignedImagesIsWarnedAbout() {
        var environment = EnvironmentSettings(name: "prod", region: "eu-west-1")
        var service = FargateService(
            name: "api", qualifiedName: "shop-prod-api", environment: environment,
            settings: FargateService.Settings(size: FargateSize(cpu: 256, memory: 512)), repositoryStack: "shop-api-ecr",
            repositoryName: "shop/api", sharedStack: "shop-prod", rulePriority: 10)
        service.sidecars = [
            FargateService.Sidecar(name: "otel", image: "public.ecr.aws/otel/collector:v1.2.3"),
            FargateService.Sidecar(name: "proxy", image: "public.ecr.aws/proxy/envoy@sha256:" + String(repeating: "a", count: 64)),
        ]
        #expect(service.warnings().isEmpty, "no signatures required")
        environment.signatures = .publicKeyFile("cosign.pub")
        service.environment = environment
        #expect(service.warnings().map(\.location) == ["sidecars.otel.image"])
        #expect(service.warnings().first?.message.hasPrefix("environment prod requires signed images, but the image gate checks") == true)
    }

    /// ECS runs a job's command with no shell: `migrate && seed` passes `&&` to migrate, which is
    /// warned about; `[sh, -c, "…"]` is not.
    @Test func aJobsCommandWithShellOperatorsIsWarnedAbout() {
        let chained = service { settings in
            settings.kind = .job
            settings.job.command = ["bin/migrate", "up", "&&", "echo", "done"]
        }
        #expect(chained.warnings().map(\.location) == ["command"])
        #expect(chained.warnings().first?.message == "passes && to the program as a word: no shell runs the command; to run a shell line, write [sh, -c, \"…\"]")
        let shell = service { settings in
            settings.kind = .job
            settings.job.command = ["sh", "-c", "bin/migrate up && echo done"]
        }
        #expect(shell.warnings().isEmpty)
        // find's -exec ends its own command with a ; word.
        let find = service { settings in
            settings.kind = .job
            settings.job.command = ["find", "/tmp", "-name", "*.tmp", "-exec", "rm", "{}", ";"]
        }
        #expect(find.warnings().isEmpty)
    }

    /// ECS Exec's agent cannot start on a read-only root filesystem unless the directories it
    /// writes to are writable volumes (aws-containers/amazon-ecs-exec-checker#21).
    @Test func execOnAReadOnlyRootIsWarnedAboutUntilItsDirectoriesAreWritable() {
        let warned = service { settings in
            settings.enableExecuteCommand = true
            settings.readonlyRootFilesystem = true
            settings.scratchPaths = ["/tmp", "/var/lib/amazon/ssm/", "/managed-agents"]
        }
        #expect(warned.warnings().map(\.location) == ["execCommand"])
        #expect(warned.warnings().first?.message.contains("add /var/log/amazon/ssm to scratchPaths") == true)
        let parent = service { settings in
            settings.enableExecuteCommand = true
            settings.readonlyRootFilesystem = true
            settings.scratchPaths = ["/var/lib/amazon", "/var/log/amazon/", "/managed-agents"]
        }
        #expect(parent.warnings().isEmpty)
        let writable = service { settings in
            settings.enableExecuteCommand = true
            settings.readonlyRootFilesystem = true
            settings.scratchPaths = FargateService.execAgentPaths
        }
        #expect(writable.warnings().isEmpty)
        #expect(service { $0.enableExecuteCommand = true }.warnings().isEmpty)
    }

    private func service(_ configure: (inout FargateService.Settings) -> Void) -> FargateService {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        configure(&settings)
        return FargateService(
            name: "api", qualifiedName: "shop-dev-api", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"),
            settings: settings, repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 10)
    }

    @Test func aReadOnlyRootKeepsItsScratchPathsWritableAndRunsAsTheUser() throws {
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service { settings in
            settings.readonlyRootFilesystem = true
            settings.scratchPaths = ["/tmp", "/var/cache/app"]
            settings.user = "1000:1000"
        }.add(to: &stack)
        #expect(stack.validate().isEmpty)
        let definition = try #require(stack.template.resource("TaskDefinition")?.properties)
        #expect(definition["Volumes"] == [["Name": "scratch-1"], ["Name": "scratch-2"]])
        let container = try #require(definition["ContainerDefinitions"]?.elements?.first)
        #expect(container["ReadonlyRootFilesystem"] == true)
        #expect(container["User"] == "1000:1000")
        #expect(container["MountPoints"] == [
            ["ContainerPath": "/tmp", "ReadOnly": false, "SourceVolume": "scratch-1"],
            ["ContainerPath": "/var/cache/app", "ReadOnly": false, "SourceVolume": "scratch-2"],
        ])
        var plain = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service { _ in }.add(to: &plain)
        let plainContainer = plain.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(plainContainer?["ReadonlyRootFilesystem"] == nil && plainContainer?["User"] == nil && plainContainer?["MountPoints"] == nil)
    }

    @Test func badScratchPathsAndUsersAreReported() {
        let problems = service { settings in
            settings.scratchPaths = ["tmp", "/", "/tmp", "/tmp"]
            settings.user = "1000:"
        }.validate()
        #expect(problems.map(\.location) == ["scratchPaths[0]", "scratchPaths[1]", "scratchPaths[3]", "user"])
        #expect(FargateService.isUserSpec("app"))
        #expect(FargateService.isUserSpec("1000:1000"))
        #expect(!FargateService.isUserSpec("-1"))
        #expect(!FargateService.isUserSpec("a b"))
        #expect(!FargateService.isUserSpec("1:2:3"))
    }

    @Test func loadBalancersMaySendOnlyToTheServicesPorts() throws {
        let shared = sharedStack { environment in
            environment.network = .newVPC(cidr: "10.20.0.0/16")
            var web = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
            web.containerPort = 3000
            var admin = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
            admin.loadBalancer = .dedicated
            admin.containerPort = 9000
            environment.services += [.init("web", web), .init("admin", admin)]
        }.template
        let egress = shared.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupEgress"]?.elements ?? []
        #expect(egress.map { $0["FromPort"] } == [3000, 8080])
        // To the environment's tasks only (the group each joins), not to the VPC's range.
        #expect(egress.allSatisfy {
            $0["DestinationSecurityGroupId"] == ["Ref": "ServicesSecurityGroup"] && $0["CidrIp"] == nil && $0["IpProtocol"] == "tcp" && $0["FromPort"] == $0["ToPort"]
        })
        #expect(shared.resource("ServicesSecurityGroup") != nil)
        // In an existing VPC, whose range Berth does not know, the same: not anywhere on those ports.
        let existing = sharedStack { environment in
            environment.network = .existing(vpcID: "vpc-0a1b2c3d", publicSubnetIDs: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"], privateSubnetIDs: [])
            var web = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
            web.containerPort = 3000
            environment.services += [.init("web", web)]
        }.template
        let existingEgress = existing.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupEgress"]?.elements ?? []
        #expect(!existingEgress.isEmpty && existingEgress.allSatisfy { $0["DestinationSecurityGroupId"] == ["Ref": "ServicesSecurityGroup"] && $0["CidrIp"] == nil })

        var stack = Stack(name: "shop-admin-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service { $0.loadBalancer = .dedicated; $0.containerPort = 9000 }.add(to: &stack)
        #expect(stack.template.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupEgress"] == [
            [
                "Description": "to the service's tasks", "DestinationSecurityGroupId": ["Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]],
                "FromPort": 9000, "IpProtocol": "tcp", "ToPort": 9000,
            ]
        ])
    }

    @Test func aRepositoryKeyEncryptsNewRepositories() throws {
        var stack = Stack(name: "shop-api-ecr", phase: .ecr, region: "eu-west-1", description: "test")
        var repository = ImageRepository(name: "shop/api", lifecyclePolicy: LifecyclePolicy())
        #expect(repository.kmsKeyArn == nil)
        repository.kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/abc"
        repository.add(to: &stack)
        let resource = try #require(stack.template.resource("Repository"))
        #expect(resource.properties["EncryptionConfiguration"] == ["EncryptionType": "KMS", "KmsKey": "arn:aws:kms:eu-west-1:123456789012:key/abc"])
        #expect(resource.metadata == nil)
        var plain = Stack(name: "shop-api-ecr", phase: .ecr, region: "eu-west-1", description: "test")
        ImageRepository(name: "shop/api", lifecyclePolicy: LifecyclePolicy()).add(to: &plain)
        #expect(plain.template.resource("Repository")?.properties["EncryptionConfiguration"] == nil)
        #expect(skipped(plain.template.resource("Repository")) == ["CKV_AWS_136"])
    }
}
