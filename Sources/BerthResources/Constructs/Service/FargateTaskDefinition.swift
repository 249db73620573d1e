import BerthModel
import BerthTemplate

/// What a task needs to run, with or without an ECS service: the parameters that carry the
/// image and the build metadata, the log group, the execution and task roles, and the task
/// definition (the main container first, then its sidecars).
///
/// `FargateService` composes it with a `TaskPlacement`, an `ECSService` and, for a web service,
/// a `LoadBalancerAttachment`. A task run without a service (by RunTask or a schedule) needs it
/// and a `TaskPlacement` only.
struct FargateTaskDefinition {
    /// The main container's name, such as `api`.
    let name: String
    /// The task family and part of the log group name, such as `shop-dev-api`.
    let qualifiedName: String
    /// The size, image, environment, secrets, logs and container settings of the task.
    let settings: FargateService.Settings
    /// The port the main container listens on, named after the container for Service Connect;
    /// `nil` when nothing connects to it.
    let containerPort: Int?
    /// The phase-1 stack whose outputs name the repository.
    let repositoryStack: String
    /// Extra containers beside the main one.
    var sidecars: [FargateService.Sidecar] = []
    /// Containers that the main container waits for before it starts.
    var dependsOn: [FargateService.ContainerDependency] = []
    /// Extra statements for the task role.
    var taskRoleStatements: [PolicyStatement] = []
    /// The main container's command, instead of the image's.
    var command: [String]?
    /// The controls the task must meet: what it does not meet is then refused, not recorded.
    var controls: ControlProfile?
    /// Where the repository is when it is not in the stack's own region and account
    /// (`EnvironmentSettings.pullRegion`, `pullAccount`).
    var repositoryRegion: String?
    var repositoryAccount: String?
    /// The KMS key the repository's images are encrypted with, when a pull crosses accounts:
    /// the execution role may decrypt with it.
    var repositoryKMSKeyArn: String?

    /// What the part added.
    struct Handles {
        let taskDefinition: ResourceReference
        let logGroup: ResourceReference
        let roles: Roles
    }

    /// Adds the image parameters, then the log group, the roles and the task definition.
    func add(to stack: inout Stack) -> Handles {
        let parameters = ImageParameters.add(repositoryStack: repositoryStack, to: &stack)
        let logGroup = stack.template.add(
            "LogGroup",
            Logs.LogGroup(
                kmsKeyId: settings.logKMSKeyArn.map(Value.literal),
                logGroupName: .literal("/berth/\(qualifiedName)"), retentionInDays: .literal(settings.logRetentionDays)),
            deletionPolicy: .delete, updateReplacePolicy: .delete,
            metadata: SuppressedControl.metadata(
                checkov: settings.logKMSKeyArn == nil
                    ? [
                        .init(
                            checkID: "CKV_AWS_158",
                            reason: "CloudWatch Logs encrypts log data at rest with its own keys; logs.kmsKeyArn sets a KMS key of yours")
                    ] : [],
                controls: stack.suppress(logGroupControls, under: controls)))
        let roles = addRoles(logGroup: logGroup, to: &stack)
        let taskDefinition = addTaskDefinition(parameters: parameters, logGroup: logGroup, roles: roles, to: &stack)
        return Handles(taskDefinition: taskDefinition, logGroup: logGroup, roles: roles)
    }

    /// Adds the output that names the log group.
    func addOutputs(_ handles: Handles, to stack: inout Stack) {
        stack.template.addOutput(OutputName.logGroupName, Output(handles.logGroup.ref, description: "Where the containers log"))
    }

    /// The task definition: the main container first, then the sidecars.
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
        let main = ECS.TaskDefinition.ContainerDefinition(
            command: command.map { .items($0.map(Value.literal)) },
            dependsOn: Self.dependencies(dependsOn),
            environment: .items(variables),
            essential: true,
            healthCheck: settings.containerHealthCheck.map { check in
                .init(
                    command: .items(check.command.map(Value.literal)), interval: .literal(check.intervalSeconds),
                    retries: .literal(check.retries), startPeriod: .literal(check.startPeriodSeconds),
                    timeout: .literal(check.timeoutSeconds))
            },
            image: image,
            logConfiguration: logConfiguration(logGroup, streamPrefix: name),
            memory: .literal(mainContainerMemory),
            mountPoints: scratchVolumes.isEmpty
                ? nil
                : .items(scratchVolumes.map { .init(containerPath: .literal($0.path), readOnly: false, sourceVolume: .literal($0.name)) }),
            name: .literal(name),
            portMappings: containerPort.map { [ServiceConnect.portMapping(name: name, containerPort: $0, isServer: true)] },
            readonlyRootFilesystem: settings.readonlyRootFilesystem ? true : nil,
            secrets: secretEntries.isEmpty ? nil : .items(secretEntries),
            user: settings.user.map(Value.literal))
        let sidecarContainers = sidecars.map { sidecar in
            ECS.TaskDefinition.ContainerDefinition(
                command: sidecar.command.map { .items($0.map(Value.literal)) },
                cpu: sidecar.cpu.map(Value.literal),
                dependsOn: Self.dependencies(sidecar.dependsOn),
                environment: sidecar.environment.isEmpty
                    ? nil
                    : .items(sidecar.environment.keys.sorted().map { key in
                        .init(name: .literal(key), value: .literal(sidecar.environment[key] ?? ""))
                    }),
                essential: .literal(sidecar.essential),
                image: .literal(sidecar.image),
                logConfiguration: logConfiguration(logGroup, streamPrefix: "\(name)-\(sidecar.name)"),
                memory: sidecar.memoryReservation == nil ? nil : .literal(settings.size.memory),
                memoryReservation: sidecar.memoryReservation.map(Value.literal),
                name: .literal(sidecar.name),
                portMappings: sidecar.port.map { [.init(containerPort: .literal($0), protocol: "tcp")] },
                readonlyRootFilesystem: sidecar.readonlyRootFilesystem ? true : nil,
                user: sidecar.user.map(Value.literal))
        }
        return stack.template.add(
            "TaskDefinition",
            ECS.TaskDefinition(
                containerDefinitions: .items([main] + sidecarContainers),
                cpu: .literal(String(settings.size.cpu)),
                executionRoleArn: roles.execution.getAtt("Arn"),
                family: .literal(qualifiedName),
                memory: .literal(String(settings.size.memory)),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: .init(
                    cpuArchitecture: .literal(settings.cpuArchitecture.rawValue), operatingSystemFamily: "LINUX"),
                taskRoleArn: roles.task.getAtt("Arn"),
                volumes: scratchVolumes.isEmpty ? nil : .items(scratchVolumes.map { .init(name: .literal($0.name)) })),
            metadata: SuppressedControl.metadata(checkov: [], controls: stack.suppress(taskDefinitionControls, under: controls)))
    }

    /// The controls the log group does not meet, with the key that makes it meet them.
    var logGroupControls: [SuppressedControl] {
        var controls: [SuppressedControl] = []
        if settings.logRetentionDays < 365 {
            controls.append(
                .init(
                    control: .logGroupRetention, reason: "Logs are kept \(settings.logRetentionDays) days, fewer than 365",
                    key: "logs.retentionDays", fix: "set logs.retentionDays to 365 or more"))
        }
        if settings.logKMSKeyArn == nil {
            controls.append(
                .init(
                    control: .logGroupEncryption, reason: "CloudWatch Logs encrypts the logs with its own keys, not a KMS key of yours",
                    key: "logs.kmsKeyArn", fix: "set logs.kmsKeyArn to a KMS key the logs are encrypted with"))
        }
        return controls
    }

    /// The controls the task definition does not meet, with the key that makes it meet them.
    var taskDefinitionControls: [SuppressedControl] {
        var controls: [SuppressedControl] = []
        if !Self.isNonRoot(settings.user) {
            controls.append(
                .init(
                    control: .nonRootUser, reason: "The \(name) container runs as the image's user, which may be root",
                    key: "user", fix: "set user to a user other than root (such as 1000)"))
        } else if let sidecar = sidecars.first(where: { !Self.isNonRoot($0.user) }) {
            controls.append(
                .init(
                    control: .nonRootUser, reason: "The \(sidecar.name) sidecar runs as its image's user, which may be root",
                    key: "sidecars.\(sidecar.name).user", fix: "set sidecars.\(sidecar.name).user to a user other than root (such as 1000)"))
        }
        if !settings.readonlyRootFilesystem {
            controls.append(
                .init(
                    control: .readOnlyRootFilesystem, reason: "The \(name) container may write to its root filesystem (scratchPaths gives it writable directories)",
                    key: "readonlyRootFilesystem", fix: "set readonlyRootFilesystem: true (with scratchPaths for the directories it writes)"))
        } else if let sidecar = sidecars.first(where: { !$0.readonlyRootFilesystem }) {
            controls.append(
                .init(
                    control: .readOnlyRootFilesystem, reason: "The \(sidecar.name) sidecar may write to its root filesystem",
                    key: "sidecars.\(sidecar.name).readonlyRootFilesystem", fix: "set sidecars.\(sidecar.name).readonlyRootFilesystem: true"))
        }
        if let sidecar = sidecars.first(where: { $0.memoryReservation == nil }) {
            controls.append(
                .init(
                    control: .containerMemoryLimit,
                    reason: "The \(sidecar.name) sidecar reserves no memory, so it gets no hard limit of its own",
                    key: "sidecars.\(sidecar.name).memoryReservation", fix: "set sidecars.\(sidecar.name).memoryReservation to the MiB it needs"))
        }
        return controls
    }

    /// Whether `user` names a user other than root: not the image's default, not `root`, not 0.
    static func isNonRoot(_ user: String?) -> Bool {
        guard let user, let name = user.split(separator: ":", omittingEmptySubsequences: false).first else { return false }
        return !name.isEmpty && name != "root" && name != "0"
    }

    /// The main container's hard memory limit: the task's memory less what the sidecars reserve,
    /// so that one container can never take the memory the others were promised.
    var mainContainerMemory: Int {
        settings.size.memory - FargateService.memoryReserved(by: sidecars, of: settings.size)
    }

    /// The writable scratch directories, each a volume of its own: `scratch-1`, `scratch-2`, …
    private var scratchVolumes: [(name: String, path: String)] {
        settings.scratchPaths.enumerated().map { ("scratch-\($0.offset + 1)", $0.element) }
    }

    private func logConfiguration(_ logGroup: ResourceReference, streamPrefix: String) -> ECS.TaskDefinition.LogConfiguration {
        .init(
            logDriver: "awslogs",
            options: ["awslogs-group": logGroup.ref, "awslogs-region": .ref(.region), "awslogs-stream-prefix": .literal(streamPrefix)])
    }

    private static func dependencies(_ list: [FargateService.ContainerDependency]) -> ListValue<ECS.TaskDefinition.ContainerDependency>? {
        list.isEmpty
            ? nil
            : .items(list.map { .init(condition: .literal($0.condition.rawValue), containerName: .literal($0.container)) })
    }
}
