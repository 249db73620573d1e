import CloudFormation

/// A container service on ECS Fargate behind an Application Load Balancer: cluster, task
/// definition, service, load balancer, security groups, roles, log group, an optional VPC and
/// optional autoscaling, all in one phase-2 stack.
///
/// The image comes from stack parameters that the deployer fills: `RepositoryUri` and
/// `RepositoryName` from the phase-1 stack's outputs, `ImageTag` and `ImageDigest` from the
/// image gate. With a digest the task definition pins `<uri>@<digest>`, else `<uri>:<tag>`.
public struct FargateService: Sendable {
    /// The load balancer's health check of the targets.
    public struct HealthCheck: Sendable, Hashable {
        public var path = "/"
        /// HTTP codes that count as healthy: `200`, `200,204`, `200-399`.
        public var matcher = "200-399"
        public var intervalSeconds = 15
        public var timeoutSeconds = 5
        public var healthyThreshold = 2
        public var unhealthyThreshold = 3
        /// How long the service ignores failing health checks after a task starts.
        public var gracePeriodSeconds = 30

        public init() {}
    }

    /// A health check that ECS runs inside the container.
    public struct ContainerHealthCheck: Sendable, Hashable {
        /// The command, as ECS takes it: `["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]`.
        public var command: [String]
        public var intervalSeconds = 30
        public var timeoutSeconds = 5
        public var retries = 3
        public var startPeriodSeconds = 10

        public init(command: [String]) { self.command = command }
    }

    /// Where the service runs.
    public enum Network: Sendable, Hashable {
        /// A new lean VPC: two public subnets in two availability zones and no NAT gateway.
        /// Tasks get public IPs; only the load balancer's security group may reach them.
        case newVPC(cidr: String)
        /// An existing VPC. The load balancer goes in the public subnets; tasks go in the private
        /// subnets when given (they need a NAT gateway or VPC endpoints to pull images), else in
        /// the public subnets with public IPs.
        case existing(vpcID: String, publicSubnetIDs: [String], privateSubnetIDs: [String])
    }

    /// Target-tracking autoscaling on average CPU.
    public struct Autoscaling: Sendable, Hashable {
        public var minCount: Int
        public var maxCount: Int
        public var cpuTargetPercent: Int
        public var scaleInCooldownSeconds = 60
        public var scaleOutCooldownSeconds = 60

        public init(minCount: Int, maxCount: Int, cpuTargetPercent: Int) {
            self.minCount = minCount
            self.maxCount = maxCount
            self.cpuTargetPercent = cpuTargetPercent
        }
    }

    /// An HTTPS listener; the HTTP listener then redirects to it.
    public struct HTTPS: Sendable, Hashable {
        public var certificateArn: String
        public var sslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

        public init(certificateArn: String) { self.certificateArn = certificateArn }
    }

    /// The CPU architecture the image is built for.
    public enum CPUArchitecture: String, Sendable, Hashable {
        case x86_64 = "X86_64"
        case arm64 = "ARM64"
    }

    /// The service (and container) name, such as `api`.
    public var name: String
    /// A name unique to this app and environment, such as `shop-dev-api`: the task family and
    /// part of the log group name.
    public var qualifiedName: String
    /// The phase-1 stack whose outputs name the repository.
    public var repositoryStack: String
    public var settings: Settings

    /// Everything about the service that an environment tunes.
    public struct Settings: Sendable, Hashable {
        public var size: FargateSize
        /// Tasks to run; ignored when autoscaling is on (see `add(to:)`).
        public var desiredCount = 1
        public var containerPort = 8080
        public var healthCheck = HealthCheck()
        public var containerHealthCheck: ContainerHealthCheck?
        /// Plain environment variables, written sorted by name.
        public var environment: [String: String] = [:]
        /// Secrets by ARN (Secrets Manager or SSM Parameter Store), written sorted by name.
        public var secrets: [String: String] = [:]
        public var logRetentionDays = 30
        public var network: Network = .newVPC(cidr: "10.0.0.0/16")
        public var autoscaling: Autoscaling?
        public var https: HTTPS?
        public var enableExecuteCommand = false
        public var containerInsights = true
        public var minimumHealthyPercent = 100
        public var maximumPercent = 200
        public var cpuArchitecture: CPUArchitecture = .x86_64

        public init(size: FargateSize) { self.size = size }
    }

    public init(name: String, qualifiedName: String, repositoryStack: String, settings: Settings) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.repositoryStack = repositoryStack
        self.settings = settings
    }

    /// Environment variables that Berth sets itself from the deploy's build metadata.
    public static let buildMetadataVariables = ["IMAGE_TAG", "COMMIT_SHA", "BUILD_TIME"]

    /// Names of the parameters the deployer fills.
    public enum ParameterName {
        public static let repositoryUri = "RepositoryUri"
        public static let repositoryName = "RepositoryName"
        public static let imageTag = "ImageTag"
        public static let imageDigest = "ImageDigest"
        public static let commitSha = "CommitSha"
        public static let buildTime = "BuildTime"
    }

    /// Adds every resource of the service to `stack`, and reports what is invalid.
    ///
    /// With settings.autoscaling on, `DesiredCount` is left out of the service, so that a deploy does not
    /// reset a scaled-out service to a fixed count; the scalable target's minimum applies instead.
    public func add(to stack: inout Stack) {
        for problem in validate() { stack.report(problem.location, problem.message) }
        let parameters = addParameters(to: &stack)
        let network = addNetwork(to: &stack)
        let securityGroups = addSecurityGroups(network: network, to: &stack)
        let logGroup = stack.template.add(
            "LogGroup",
            Logs.LogGroup(
                logGroupName: .literal("/berth/\(qualifiedName)"), retentionInDays: .literal(settings.logRetentionDays)),
            deletionPolicy: .delete, updateReplacePolicy: .delete)
        let roles = addRoles(logGroup: logGroup, parameters: parameters, to: &stack)
        let taskDefinition = addTaskDefinition(parameters: parameters, logGroup: logGroup, roles: roles, to: &stack)
        let loadBalancing = addLoadBalancer(network: network, securityGroups: securityGroups, to: &stack)
        let cluster = stack.template.add(
            "Cluster",
            ECS.Cluster(clusterSettings: [
                .init(name: "containerInsights", value: .literal(settings.containerInsights ? "enabled" : "disabled"))
            ]))
        let service = stack.template.add(
            "Service",
            ECS.Service(
                cluster: cluster.ref,
                deploymentConfiguration: .init(
                    deploymentCircuitBreaker: .init(enable: true, rollback: true),
                    maximumPercent: .literal(settings.maximumPercent), minimumHealthyPercent: .literal(settings.minimumHealthyPercent)),
                desiredCount: settings.autoscaling == nil ? .literal(settings.desiredCount) : nil,
                enableExecuteCommand: .literal(settings.enableExecuteCommand),
                healthCheckGracePeriodSeconds: .literal(settings.healthCheck.gracePeriodSeconds),
                launchType: "FARGATE",
                loadBalancers: [
                    .init(
                        containerName: .literal(name), containerPort: .literal(settings.containerPort),
                        targetGroupArn: loadBalancing.targetGroup.ref)
                ],
                networkConfiguration: .init(
                    awsvpcConfiguration: .init(
                        assignPublicIp: network.assignPublicIP ? "ENABLED" : "DISABLED",
                        securityGroups: [securityGroups.service.getAtt("GroupId")],
                        subnets: network.taskSubnets)),
                propagateTags: "SERVICE",
                taskDefinition: taskDefinition.ref),
            dependsOn: loadBalancing.listeners.map(\.logicalID))
        if let autoscaling = settings.autoscaling {
            addAutoscaling(autoscaling, cluster: cluster, service: service, to: &stack)
        }
        addOutputs(cluster: cluster, service: service, loadBalancing: loadBalancing, logGroup: logGroup, to: &stack)
    }

    /// The parameters that carry the repository, the image and the build metadata.
    struct ImageParameters {
        let repositoryUri: Intrinsic
        let repositoryName: Intrinsic
        let imageTag: Intrinsic
        let commitSha: Intrinsic
        let buildTime: Intrinsic
        /// The name of the condition that holds when a digest was given.
        let useDigest: String
    }

    private func addParameters(to stack: inout Stack) -> ImageParameters {
        let repositoryUri = stack.addDeployParameter(
            ParameterName.repositoryUri,
            Parameter(description: "The image repository's URI, from the phase-1 stack", minLength: 1),
            source: .stackOutput(stack: repositoryStack, output: ImageRepository.OutputName.repositoryUri))
        let repositoryName = stack.addDeployParameter(
            ParameterName.repositoryName,
            Parameter(description: "The image repository's name, from the phase-1 stack", minLength: 2),
            source: .stackOutput(stack: repositoryStack, output: ImageRepository.OutputName.repositoryName))
        let imageTag = stack.addDeployParameter(
            ParameterName.imageTag,
            Parameter(
                description: "The image tag that the image gate found in the repository",
                allowedPattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
                constraintDescription: "a Docker tag: letters, digits, _ . -, at most 128, not starting with . or -"),
            source: .imageGate(.tag))
        stack.addDeployParameter(
            ParameterName.imageDigest,
            Parameter(
                description: "The image digest; when set, the task definition pins the image by digest",
                defaultValue: "", allowedPattern: "^(sha256:[a-f0-9]{64})?$",
                constraintDescription: "empty, or sha256: followed by 64 lowercase hex digits"),
            source: .imageGate(.digest))
        let commitSha = stack.addDeployParameter(
            ParameterName.commitSha,
            Parameter(description: "The commit the image was built from", defaultValue: "unknown"),
            source: .buildMetadata("commit-sha"))
        let buildTime = stack.addDeployParameter(
            ParameterName.buildTime,
            Parameter(description: "When the image was built", defaultValue: "unknown"),
            source: .buildMetadata("build-time"))
        let useDigest = stack.template.addCondition(
            "UseImageDigest", .not(Intrinsic.equals(Intrinsic.ref(ParameterName.imageDigest).templateValue, "").templateValue))
        return ImageParameters(
            repositoryUri: repositoryUri, repositoryName: repositoryName, imageTag: imageTag, commitSha: commitSha,
            buildTime: buildTime, useDigest: useDigest)
    }

    private func addTaskDefinition(
        parameters: ImageParameters, logGroup: ResourceReference, roles: Roles, to stack: inout Stack
    ) -> ResourceReference {
        let image = Value<String>.if(
            parameters.useDigest,
            Intrinsic.sub("${\(ParameterName.repositoryUri)}@${\(ParameterName.imageDigest)}"),
            Intrinsic.sub("${\(ParameterName.repositoryUri)}:${\(ParameterName.imageTag)}"))
        var variables: [ECS.TaskDefinition.KeyValuePair] = settings.environment.keys.sorted().map { key in
            .init(name: .literal(key), value: .literal(settings.environment[key] ?? ""))
        }
        variables += [
            .init(name: "BUILD_TIME", value: .intrinsic(parameters.buildTime)),
            .init(name: "COMMIT_SHA", value: .intrinsic(parameters.commitSha)),
            .init(name: "IMAGE_TAG", value: .intrinsic(parameters.imageTag)),
        ]
        variables.sort { ($0.name?.templateValue.stringValue ?? "") < ($1.name?.templateValue.stringValue ?? "") }
        let secretEntries: [ECS.TaskDefinition.Secret] = settings.secrets.keys.sorted().map { key in
            .init(name: .literal(key), valueFrom: .literal(settings.secrets[key] ?? ""))
        }
        let container = ECS.TaskDefinition.ContainerDefinition(
            environment: .items(variables),
            essential: true,
            healthCheck: settings.containerHealthCheck.map { check in
                .init(
                    command: .items(check.command.map(Value.literal)), interval: .literal(check.intervalSeconds),
                    retries: .literal(check.retries), startPeriod: .literal(check.startPeriodSeconds),
                    timeout: .literal(check.timeoutSeconds))
            },
            image: image,
            logConfiguration: .init(
                logDriver: "awslogs",
                options: [
                    "awslogs-group": logGroup.ref, "awslogs-region": .ref(.region),
                    "awslogs-stream-prefix": .literal(name),
                ]),
            name: .literal(name),
            portMappings: [.init(containerPort: .literal(settings.containerPort), protocol: "tcp")],
            secrets: secretEntries.isEmpty ? nil : .items(secretEntries))
        return stack.template.add(
            "TaskDefinition",
            ECS.TaskDefinition(
                containerDefinitions: [container],
                cpu: .literal(String(settings.size.cpu)),
                executionRoleArn: roles.execution.getAtt("Arn"),
                family: .literal(qualifiedName),
                memory: .literal(String(settings.size.memory)),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: .init(
                    cpuArchitecture: .literal(settings.cpuArchitecture.rawValue), operatingSystemFamily: "LINUX"),
                taskRoleArn: roles.task.getAtt("Arn")))
    }

    private func addOutputs(
        cluster: ResourceReference, service: ResourceReference, loadBalancing: LoadBalancing,
        logGroup: ResourceReference, to stack: inout Stack
    ) {
        let scheme = settings.https == nil ? "http" : "https"
        stack.template.addOutput(
            "ServiceUrl",
            Output(Intrinsic.sub("\(scheme)://${\(loadBalancing.loadBalancer.logicalID).DNSName}"),
                   description: "Where the service answers"))
        stack.template.addOutput(
            "LoadBalancerDnsName",
            Output(loadBalancing.loadBalancer.getAtt("DNSName"), description: "The load balancer's DNS name"))
        stack.template.addOutput("ClusterName", Output(cluster.ref, description: "The ECS cluster"))
        stack.template.addOutput("ServiceName", Output(service.getAtt("Name"), description: "The ECS service"))
        stack.template.addOutput("LogGroupName", Output(logGroup.ref, description: "Where the containers log"))
    }
}
