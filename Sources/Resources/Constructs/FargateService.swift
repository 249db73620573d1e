import CloudFormation

/// One service of an app in one environment, in a phase-2 stack of its own: its task
/// definition, ECS service, security group, roles, log group, optional autoscaling and, for a
/// web service, its target group and listener rule on the environment's load balancer (or a
/// load balancer of its own).
///
/// The environment's network, cluster and shared load balancer live in the environment's shared
/// stack (`SharedEnvironment`); they reach this stack through parameters that the deployer fills
/// from that stack's outputs, never through `Fn::ImportValue`. So do the repository
/// (`RepositoryUri`, `RepositoryName`, from the phase-1 stack) and the image (`ImageTag`,
/// `ImageDigest`, from the image gate). With a digest the task definition pins
/// `<uri>@<digest>`, else `<uri>:<tag>`.
public struct FargateService: Sendable {
    /// What kind of service it is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Serves HTTP behind a load balancer.
        case web
        /// Runs in the background: no load balancer, no port, nothing may connect to it.
        case worker
    }

    /// Which load balancer a web service is behind.
    public enum LoadBalancerChoice: String, Sendable, Hashable, CaseIterable {
        /// The environment's load balancer, through a listener rule (`routing`).
        case shared
        /// A load balancer of its own, in the service's stack.
        case dedicated
    }

    /// How the shared load balancer sends requests to a web service: a listener rule matching
    /// any of `paths` and any of `hosts`. A service with neither takes every request no other
    /// rule takes.
    public struct Routing: Sendable, Hashable {
        /// Path patterns such as `/api/*` (`*` and `?` are wildcards).
        public var paths: [String] = []
        /// Host names such as `api.example.com` or `*.example.com`.
        public var hosts: [String] = []
        /// The rule's priority (1–50000, lower is evaluated first); derived when not set.
        public var priority: Int?

        public init(paths: [String] = [], hosts: [String] = [], priority: Int? = nil) {
            self.paths = paths
            self.hosts = hosts
            self.priority = priority
        }

        /// Whether the rule matches every request (no path and no host condition).
        public var isCatchAll: Bool { hosts.isEmpty && (paths.isEmpty || paths == ["/*"]) }
    }

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

    /// The CPU architecture the image is built for.
    public enum CPUArchitecture: String, Sendable, Hashable {
        case x86_64 = "X86_64"
        case arm64 = "ARM64"
    }

    /// Everything about a service that an environment file tunes.
    public struct Settings: Sendable, Hashable {
        public var kind: Kind = .web
        public var size: FargateSize
        /// Tasks to run; ignored when autoscaling is on (see `add(to:)`).
        public var desiredCount = 1
        /// The port the container listens on (web services only).
        public var containerPort = 8080
        /// Which load balancer a web service is behind.
        public var loadBalancer: LoadBalancerChoice = .shared
        /// The listener rule on the shared load balancer (web services only).
        public var routing = Routing()
        /// The load balancer's health check (web services only).
        public var healthCheck = HealthCheck()
        public var containerHealthCheck: ContainerHealthCheck?
        /// Plain environment variables, written sorted by name.
        public var environment: [String: String] = [:]
        /// Secrets by ARN (Secrets Manager or SSM Parameter Store), written sorted by name.
        public var secrets: [String: String] = [:]
        public var logRetentionDays = 30
        public var autoscaling: Autoscaling?
        public var enableExecuteCommand = false
        public var minimumHealthyPercent = 100
        public var maximumPercent = 200
        /// The service's container cannot write to its root filesystem; `scratchPaths` stay writable.
        public var readonlyRootFilesystem = false
        /// Empty writable directories (on the task's ephemeral storage) mounted into the service's
        /// container, such as `/tmp`.
        public var scratchPaths: [String] = []
        /// The user the service's container runs as (`1000`, `1000:1000`, `app`); the image's when `nil`.
        public var user: String?
        /// A KMS key (ARN) the log group encrypts with; its key policy must let CloudWatch Logs use it.
        public var logKMSKeyArn: String?
        /// How a new revision replaces the running one: rolling, blue/green, canary or linear.
        public var rollout = Rollout()
        public var cpuArchitecture: CPUArchitecture = .x86_64

        public init(size: FargateSize, kind: Kind = .web) {
            self.size = size
            self.kind = kind
        }

        /// Whether the service sits behind the environment's shared load balancer.
        public var usesSharedLoadBalancer: Bool { kind == .web && loadBalancer == .shared }
    }

    /// The service (and its main container's) name, such as `api`.
    public var name: String
    /// A name unique to the app and environment, such as `shop-dev-api`: the task family and
    /// part of the log group name.
    public var qualifiedName: String
    /// The environment the service runs in: its network and HTTPS settings.
    public var environment: EnvironmentSettings
    public var settings: Settings
    /// The phase-1 stack whose outputs name the repository.
    public var repositoryStack: String
    /// The repository the service's image comes from, such as `shop/api`.
    public var repositoryName: String
    /// The environment's shared stack, whose outputs place the service.
    public var sharedStack: String
    /// The listener rule's priority on the shared load balancer, when it has one.
    public var rulePriority: Int?
    /// Extra containers that run in every task beside the service's own.
    public var sidecars: [Sidecar] = []
    /// Containers that the service's own container waits for before it starts.
    public var dependsOn: [ContainerDependency] = []
    /// Extra statements for the task role, which the service's code runs with.
    public var taskRoleStatements: [PolicyStatement] = []

    public init(
        name: String, qualifiedName: String, environment: EnvironmentSettings, settings: Settings,
        repositoryStack: String, repositoryName: String, sharedStack: String, rulePriority: Int? = nil
    ) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.environment = environment
        self.settings = settings
        self.repositoryStack = repositoryStack
        self.repositoryName = repositoryName
        self.sharedStack = sharedStack
        self.rulePriority = rulePriority
    }

    /// Environment variables that Berth sets itself from the deploy's build metadata.
    public static let buildMetadataVariables = ["IMAGE_TAG", "COMMIT_SHA", "BUILD_TIME"]

    /// Names of the parameters the deployer fills; those filled from another stack's output are
    /// named as that output.
    public enum ParameterName {
        public static let repositoryUri = ImageRepository.OutputName.repositoryUri
        public static let repositoryName = ImageRepository.OutputName.repositoryName
        public static let imageTag = "ImageTag"
        public static let imageDigest = "ImageDigest"
        public static let commitSha = "CommitSha"
        public static let buildTime = "BuildTime"
        public static let vpcID = SharedEnvironment.OutputName.vpcID
        public static let taskSubnetIDs = SharedEnvironment.OutputName.taskSubnetIDs
        public static let loadBalancerSubnetIDs = SharedEnvironment.OutputName.loadBalancerSubnetIDs
        public static let clusterName = SharedEnvironment.OutputName.clusterName
        public static let listenerArn = SharedEnvironment.OutputName.listenerArn
        public static let loadBalancerSecurityGroupID = SharedEnvironment.OutputName.loadBalancerSecurityGroupID
    }

    /// What the service added to its stack, for constructs and overrides that refer to it.
    public struct Handles: Sendable, Hashable {
        public let taskDefinition: ResourceReference
        public let service: ResourceReference
        public let taskRole: ResourceReference
        public let executionRole: ResourceReference
        public let logGroup: ResourceReference
        /// The tasks' security group.
        public let securityGroup: ResourceReference
        /// The target group, for web services.
        public let targetGroup: ResourceReference?
        /// The service's own load balancer, for web services with `loadBalancer: dedicated`.
        public let loadBalancer: ResourceReference?
    }

    /// Adds every resource of the service to `stack`, reports what is invalid, and returns
    /// handles to what it added.
    ///
    /// With settings.autoscaling on, `DesiredCount` is left out of the service, so that a deploy does not
    /// reset a scaled-out service to a fixed count; the scalable target's minimum applies instead.
    @discardableResult
    public func add(to stack: inout Stack) -> Handles {
        for problem in validate() { stack.report(problem.location, problem.message) }
        for warning in warnings() { stack.warn(warning.location, warning.message) }
        stack.service = name
        stack.imageRepository = repositoryName
        let parameters = addParameters(to: &stack)
        let placement = addPlacementParameters(to: &stack)
        let logGroup = stack.template.add(
            "LogGroup",
            Logs.LogGroup(
                kmsKeyId: settings.logKMSKeyArn.map(Value.literal),
                logGroupName: .literal("/berth/\(qualifiedName)"), retentionInDays: .literal(settings.logRetentionDays)),
            deletionPolicy: .delete, updateReplacePolicy: .delete,
            metadata: AcceptedFinding.metadata(
                settings.logKMSKeyArn == nil
                    ? [
                        .init(
                            checkID: "CKV_AWS_158",
                            reason: "CloudWatch Logs encrypts log data at rest with its own keys; logs.kmsKeyArn sets a KMS key of yours")
                    ] : []))
        let roles = addRoles(logGroup: logGroup, parameters: parameters, to: &stack)
        let taskDefinition = addTaskDefinition(parameters: parameters, logGroup: logGroup, roles: roles, to: &stack)
        let serviceGroup = stack.template.add(
            "ServiceSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} \(name) tasks"), vpcId: .ref(ParameterName.vpcID)))
        let loadBalancing = settings.kind == .web ? addLoadBalancing(placement: placement, serviceGroup: serviceGroup, to: &stack) : nil
        let service = stack.template.add(
            "Service",
            ECS.Service(
                cluster: .ref(ParameterName.clusterName),
                deploymentConfiguration: deploymentConfiguration(),
                desiredCount: settings.autoscaling == nil ? .literal(settings.desiredCount) : nil,
                enableExecuteCommand: .literal(settings.enableExecuteCommand),
                healthCheckGracePeriodSeconds: loadBalancing.map { _ in .literal(settings.healthCheck.gracePeriodSeconds) },
                launchType: "FARGATE",
                loadBalancers: loadBalancing.map { loadBalancing in
                    [
                        .init(
                            advancedConfiguration: loadBalancing.shift.map { shift in
                                .init(
                                    alternateTargetGroupArn: shift.alternateTargetGroup.ref,
                                    productionListenerRule: loadBalancing.productionRule?.ref, roleArn: shift.role.getAtt("Arn"),
                                    testListenerRule: loadBalancing.testRule?.ref)
                            },
                            containerName: .literal(name), containerPort: .literal(settings.containerPort),
                            targetGroupArn: loadBalancing.targetGroup.ref)
                    ]
                },
                networkConfiguration: .init(
                    awsvpcConfiguration: .init(
                        assignPublicIp: environment.network.tasksNeedPublicIP ? "ENABLED" : "DISABLED",
                        securityGroups: [serviceGroup.getAtt("GroupId")],
                        subnets: Self.subnets(ParameterName.taskSubnetIDs))),
                propagateTags: "SERVICE",
                taskDefinition: taskDefinition.ref),
            dependsOn: loadBalancing?.attachments.map(\.logicalID) ?? [])
        if let autoscaling = settings.autoscaling {
            addAutoscaling(autoscaling, service: service, to: &stack)
        }
        addOutputs(service: service, loadBalancing: loadBalancing, logGroup: logGroup, to: &stack)
        return Handles(
            taskDefinition: taskDefinition, service: service, taskRole: roles.task, executionRole: roles.execution,
            logGroup: logGroup, securityGroup: serviceGroup, targetGroup: loadBalancing?.targetGroup,
            loadBalancer: loadBalancing?.loadBalancer)
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
            Parameter(
                description: "The image repository's name, from the phase-1 stack; the execution role may pull from it",
                allowedPattern: "^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$",
                constraintDescription: "an ECR repository name (lowercase letters and digits separated by . _ - or /); never a wildcard",
                minLength: 2, maxLength: 256),
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

    /// Where the service runs, from the shared stack's outputs.
    struct Placement {
        /// The shared load balancer's listener and security group, for a web service behind it.
        let sharedListener: (listener: Value<String>, securityGroup: Value<String>)?
        /// The public subnets, for a web service's own load balancer.
        let loadBalancerSubnets: ListValue<Value<String>>?
    }

    private func addPlacementParameters(to stack: inout Stack) -> Placement {
        func fromShared(_ name: String, _ type: String, _ description: String, output: String) {
            let isSubnetList = type == Self.subnetListType
            stack.addDeployParameter(
                name,
                Parameter(
                    type: isSubnetList ? "String" : type, description: description + ", from the environment's shared stack",
                    allowedPattern: isSubnetList ? "^subnet-[0-9a-z]+(,subnet-[0-9a-z]+)*$" : nil,
                    constraintDescription: isSubnetList ? "subnet IDs separated by commas" : nil),
                source: .stackOutput(stack: sharedStack, output: output))
        }
        fromShared(ParameterName.vpcID, "AWS::EC2::VPC::Id", "The VPC", output: SharedEnvironment.OutputName.vpcID)
        fromShared(
            ParameterName.taskSubnetIDs, Self.subnetListType, "The subnets the tasks run in, comma-separated",
            output: SharedEnvironment.OutputName.taskSubnetIDs)
        fromShared(ParameterName.clusterName, "String", "The ECS cluster", output: SharedEnvironment.OutputName.clusterName)
        guard settings.kind == .web else { return Placement(sharedListener: nil, loadBalancerSubnets: nil) }
        if settings.loadBalancer == .dedicated {
            fromShared(
                ParameterName.loadBalancerSubnetIDs, Self.subnetListType, "The public subnets for the load balancer, comma-separated",
                output: SharedEnvironment.OutputName.loadBalancerSubnetIDs)
            return Placement(sharedListener: nil, loadBalancerSubnets: Self.subnets(ParameterName.loadBalancerSubnetIDs))
        }
        fromShared(
            ParameterName.listenerArn, "String", "The shared load balancer's listener",
            output: SharedEnvironment.OutputName.listenerArn)
        fromShared(
            ParameterName.loadBalancerSecurityGroupID, "AWS::EC2::SecurityGroup::Id", "The shared load balancer's security group",
            output: SharedEnvironment.OutputName.loadBalancerSecurityGroupID)
        return Placement(
            sharedListener: (.ref(ParameterName.listenerArn), .ref(ParameterName.loadBalancerSecurityGroupID)),
            loadBalancerSubnets: nil)
    }

    /// Subnet lists travel as comma-separated strings, checked by pattern, and are split where
    /// they are used: list-typed parameters (`List<AWS::EC2::Subnet::Id>`) are reported back in a
    /// form that differs from what was sent by some endpoints (moto), so every deploy would look
    /// like a change.
    private static let subnetListType = "List<AWS::EC2::Subnet::Id>"

    private static func subnets(_ parameter: String) -> ListValue<Value<String>> {
        .intrinsic(.split(",", Intrinsic.ref(parameter).templateValue))
    }

    private func addOutputs(
        service: ResourceReference, loadBalancing: LoadBalancing?, logGroup: ResourceReference, to stack: inout Stack
    ) {
        if let loadBalancer = loadBalancing?.loadBalancer {
            let scheme = environment.https == nil ? "http" : "https"
            stack.template.addOutput(
                "ServiceUrl",
                Output(Intrinsic.sub("\(scheme)://${\(loadBalancer.logicalID).DNSName}"), description: "Where the service answers"))
            stack.template.addOutput(
                "LoadBalancerDnsName", Output(loadBalancer.getAtt("DNSName"), description: "The load balancer's DNS name"))
        }
        stack.template.addOutput("ServiceName", Output(service.getAtt("Name"), description: "The ECS service"))
        stack.template.addOutput("LogGroupName", Output(logGroup.ref, description: "Where the containers log"))
    }
}
