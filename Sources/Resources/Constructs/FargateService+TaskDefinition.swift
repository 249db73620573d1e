import CloudFormation

extension FargateService {
    /// The task definition: the service's own container first, then its sidecars.
    func addTaskDefinition(
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
            mountPoints: scratchVolumes.isEmpty
                ? nil
                : .items(scratchVolumes.map { .init(containerPath: .literal($0.path), readOnly: false, sourceVolume: .literal($0.name)) }),
            name: .literal(name),
            portMappings: settings.kind == .web ? [.init(containerPort: .literal(settings.containerPort), protocol: "tcp")] : nil,
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
                memoryReservation: sidecar.memoryReservation.map(Value.literal),
                name: .literal(sidecar.name),
                portMappings: sidecar.port.map { [.init(containerPort: .literal($0), protocol: "tcp")] })
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
                volumes: scratchVolumes.isEmpty ? nil : .items(scratchVolumes.map { .init(name: .literal($0.name)) })))
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

    private static func dependencies(_ list: [ContainerDependency]) -> ListValue<ECS.TaskDefinition.ContainerDependency>? {
        list.isEmpty
            ? nil
            : .items(list.map { .init(condition: .literal($0.condition.rawValue), containerName: .literal($0.container)) })
    }
}
