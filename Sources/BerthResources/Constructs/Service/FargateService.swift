import BerthTemplate

/// One service of an app in one environment, in a phase-2 stack of its own: its task
/// definition, ECS service, security group, roles, log group, Service Connect configuration,
/// optional autoscaling and, for a web service, its target group and listener rule on the
/// environment's load balancer (or a load balancer of its own). A job has a task definition and
/// a security group but no ECS service: it runs on its schedule (`JobSchedule`), before or after
/// a deploy's services, or by `berth run`.
///
/// It composes parts of this module's own (not public: a new kind composes them here, and the
/// public API stays this one construct) that each add their own resources: a `FargateTaskDefinition` (image
/// parameters, log group, roles, task definition), a `TaskPlacement` (network parameters and the
/// tasks' security group), for a web service a `LoadBalancerAttachment`, a `ServiceConnect` (every
/// service a client of the environment's servers; web and backend services servers at
/// `http://<name>:<containerPort>`), an `ECSService` that deploys as its `ServiceRollout` says,
/// and a `ServiceAutoscaling` when autoscaling is on.
///
/// The environment's network, cluster and shared load balancer live in the environment's shared
/// stack (`SharedEnvironment`); they reach this stack through parameters that the deployer fills
/// from that stack's outputs, never through `Fn::ImportValue`. So do the repository
/// (`RepositoryUri`, `RepositoryName`, from the phase-1 stack) and the image (`ImageTag`,
/// `ImageDigest`, from the image gate). With a digest the task definition pins
/// `<uri>@<digest>`, else `<uri>:<tag>`.
public struct FargateService: Sendable {
    /// The service (and its main container's) name, such as `api`.
    public var name: String
    /// A name unique to the app and environment, such as `shop-dev-api`: the task family and
    /// part of the log group name.
    public var qualifiedName: String
    /// The environment the service runs in: its network and HTTPS settings.
    public var environment: EnvironmentSettings
    /// What the environment file says about the service.
    public var settings: Settings
    /// The phase-1 stack whose outputs name the repository.
    public var repositoryStack: String
    /// The repository the service's image comes from, such as `shop/api`.
    public var repositoryName: String
    /// The environment's shared stack, whose outputs place the service.
    public var sharedStack: String
    /// The listener rule's priority on the shared load balancer, when it has one. `nil` takes
    /// the one `ListenerRulePriorities` derives for the service's routing alone (its
    /// `routing.priority` when set): an app's blueprint derives every service's together and
    /// checks them for clashes.
    public var rulePriority: Int?
    /// Extra containers that run in every task beside the service's own.
    public var sidecars: [Sidecar] = []
    /// Containers that the service's own container waits for before it starts.
    public var dependsOn: [ContainerDependency] = []
    /// Extra statements for the task role, which the service's code runs with.
    public var taskRoleStatements: [PolicyStatement] = []

    /// A service called `name` with `settings`, whose image comes from `repositoryName` (named by
    /// the outputs of `repositoryStack`), placed by the outputs of `sharedStack`.
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

    /// What the service added to its stack, for constructs and overrides that refer to it.
    public struct Handles: Sendable, Hashable {
        /// The task definition.
        public let taskDefinition: ResourceReference
        /// The ECS service; `nil` for a job, which has none.
        public let service: ResourceReference?
        /// The role the service's code runs with.
        public let taskRole: ResourceReference
        /// The role ECS starts the tasks with: pulls the image, writes logs, reads secrets.
        public let executionRole: ResourceReference
        /// The log group the containers write to.
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
        stack.kind = settings.kind
        stack.imageRepository = repositoryName
        if settings.kind == .job { return addJob(to: &stack) }
        let rollout = ServiceRollout(settings)
        let task = taskDefinition
        let tasks = task.add(to: &stack)
        let placement = TaskPlacement(name: name, environment: environment, sharedStack: sharedStack)
        let placed = placement.add(to: &stack)
        let attachment = settings.kind == .web
            ? LoadBalancerAttachment(
                settings: settings, environment: environment,
                rulePriority: rulePriority ?? ListenerRulePriorities.assign([Named(name, settings.routing)]).priorities[name],
                placement: placement, rollout: rollout)
            : nil
        let loadBalancing = attachment?.add(serviceGroup: placed.securityGroup, to: &stack)
        let serviceConnect = ServiceConnect(name: name, settings: settings, placement: placement)
            .add(serviceGroup: placed.securityGroup, logGroup: tasks.logGroup, to: &stack)
        let ecsService = ECSService(containerName: name, settings: settings, rollout: rollout)
        let service = ecsService.add(
            taskDefinition: tasks.taskDefinition, placement: placed, loadBalancing: loadBalancing, serviceConnect: serviceConnect,
            to: &stack)
        if let autoscaling = settings.autoscaling {
            ServiceAutoscaling(autoscaling: autoscaling, placement: placement).add(service: service, loadBalancing: loadBalancing, to: &stack)
        }
        if let attachment, let loadBalancing { attachment.addOutputs(loadBalancing, to: &stack) }
        ecsService.addOutputs(service: service, to: &stack)
        task.addOutputs(tasks, to: &stack)
        return Handles(
            taskDefinition: tasks.taskDefinition, service: service, taskRole: tasks.roles.task, executionRole: tasks.roles.execution,
            logGroup: tasks.logGroup, securityGroup: placed.securityGroup, targetGroup: loadBalancing?.targetGroup,
            loadBalancer: loadBalancing?.loadBalancer)
    }

    /// The service's task definition part: its main container listens on `containerPort` when
    /// it is a web or backend service.
    var taskDefinition: FargateTaskDefinition {
        FargateTaskDefinition(
            name: name, qualifiedName: qualifiedName, settings: settings,
            containerPort: settings.kind.hasPort ? settings.containerPort : nil, repositoryStack: repositoryStack,
            sidecars: sidecars, dependsOn: dependsOn, taskRoleStatements: taskRoleStatements,
            command: settings.kind == .job ? settings.job.command : nil, controls: environment.controls,
            repositoryRegion: environment.pullRegion, repositoryAccount: environment.pullAccount,
            repositoryKMSKeyArn: environment.pullAccount == nil ? nil : environment.repositoryKMSKeyArn)
    }
}
