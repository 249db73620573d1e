import Foundation

/// The ECS calls Berth makes (JSON 1.1).
public struct ECSClient: Sendable {
    static let target = "AmazonEC2ContainerServiceV20141113"
    let client: ServiceClient

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .ecs, configuration: configuration)
    }

    /// A service and its rollouts.
    public struct Service: Sendable, Hashable, Decodable {
        public struct Deployment: Sendable, Hashable, Decodable {
            public let id: String?
            public let status: String?
            public let taskDefinition: String?
            public let desiredCount: Int?
            public let runningCount: Int?
            public let pendingCount: Int?
            public let rolloutState: String?
            public let rolloutStateReason: String?
            /// Seconds since 1970.
            public let createdAt: Double?
        }

        public struct Event: Sendable, Hashable, Decodable {
            public let id: String?
            public let createdAt: Double?
            public let message: String?
        }

        public struct DeploymentConfiguration: Sendable, Hashable, Decodable {
            /// `ROLLING`, `BLUE_GREEN`, `CANARY` or `LINEAR`; `nil` from endpoints that predate them.
            public let strategy: String?
            public let minimumHealthyPercent: Int?
            public let maximumPercent: Int?
        }

        /// The subnets and security groups of an `awsvpc` service's tasks.
        public struct NetworkConfiguration: Sendable, Hashable, Decodable {
            public struct AwsvpcConfiguration: Sendable, Hashable, Decodable {
                public let subnets: [String]?
                public let securityGroups: [String]?
                /// `ENABLED` or `DISABLED`.
                public let assignPublicIp: String?
            }
            public let awsvpcConfiguration: AwsvpcConfiguration?
        }

        /// A target group (or classic load balancer) the service registers its tasks with.
        public struct LoadBalancer: Sendable, Hashable, Decodable {
            public let targetGroupArn: String?
            public let loadBalancerName: String?
            public let containerName: String?
            public let containerPort: Int?
        }

        /// A Cloud Map registry the service registers its tasks with.
        public struct ServiceRegistry: Sendable, Hashable, Decodable {
            public let registryArn: String?
        }

        public let serviceName: String?
        public let serviceArn: String?
        public let status: String?
        public let desiredCount: Int?
        public let runningCount: Int?
        public let pendingCount: Int?
        public let taskDefinition: String?
        public let deployments: [Deployment]?
        public let events: [Event]?
        public let deploymentConfiguration: DeploymentConfiguration?
        public let clusterArn: String?
        /// `FARGATE`, `EC2` or `EXTERNAL`; `nil` with a capacity provider strategy.
        public let launchType: String?
        public let networkConfiguration: NetworkConfiguration?
        public let loadBalancers: [LoadBalancer]?
        public let serviceRegistries: [ServiceRegistry]?
        public let enableExecuteCommand: Bool?
        public let healthCheckGracePeriodSeconds: Int?
    }

    /// A task definition: its size, roles, volumes and containers.
    public struct TaskDefinition: Sendable, Hashable, Decodable {
        public struct Container: Sendable, Hashable, Decodable {
            public struct Variable: Sendable, Hashable, Decodable {
                public let name: String?
                public let value: String?
            }

            /// A secret handed to the container as a variable: `valueFrom` is a Secrets Manager
            /// or SSM parameter ARN (or a parameter's name in the task's own region).
            public struct Secret: Sendable, Hashable, Decodable {
                public let name: String?
                public let valueFrom: String?
            }

            public struct PortMapping: Sendable, Hashable, Decodable {
                public let containerPort: Int?
                public let hostPort: Int?
                public let `protocol`: String?
            }

            /// The health check ECS runs inside the container.
            public struct HealthCheck: Sendable, Hashable, Decodable {
                /// `["CMD-SHELL", "curl …"]` or `["CMD", "exe", "arg"]`.
                public let command: [String]?
                public let interval: Int?
                public let timeout: Int?
                public let retries: Int?
                public let startPeriod: Int?
            }

            public struct MountPoint: Sendable, Hashable, Decodable {
                public let sourceVolume: String?
                public let containerPath: String?
            }

            public struct LogConfiguration: Sendable, Hashable, Decodable {
                public let logDriver: String?
            }

            public let name: String?
            public let image: String?
            public let environment: [Variable]?
            public let secrets: [Secret]?
            public let portMappings: [PortMapping]?
            public let healthCheck: HealthCheck?
            public let essential: Bool?
            public let cpu: Int?
            public let memory: Int?
            public let memoryReservation: Int?
            public let command: [String]?
            public let entryPoint: [String]?
            public let user: String?
            public let readonlyRootFilesystem: Bool?
            public let mountPoints: [MountPoint]?
            public let environmentFiles: [JSONObjectPresence]?
            public let logConfiguration: LogConfiguration?
            public let dependsOn: [JSONObjectPresence]?
            public let linuxParameters: JSONObjectPresence?
            public let ulimits: [JSONObjectPresence]?
            public let dockerLabels: [String: String]?
            public let stopTimeout: Int?
        }

        public struct Volume: Sendable, Hashable, Decodable {
            public let name: String?
        }

        public struct RuntimePlatform: Sendable, Hashable, Decodable {
            /// `X86_64` or `ARM64`.
            public let cpuArchitecture: String?
            public let operatingSystemFamily: String?
        }

        public struct EphemeralStorage: Sendable, Hashable, Decodable {
            public let sizeInGiB: Int?
        }

        public let taskDefinitionArn: String?
        public let family: String?
        public let revision: Int?
        public let containerDefinitions: [Container]?
        /// CPU units, as ECS answers them (`"256"`).
        public let cpu: String?
        /// MiB, as ECS answers them (`"512"`).
        public let memory: String?
        public let networkMode: String?
        public let taskRoleArn: String?
        public let executionRoleArn: String?
        public let volumes: [Volume]?
        public let runtimePlatform: RuntimePlatform?
        public let ephemeralStorage: EphemeralStorage?
        public let requiresCompatibilities: [String]?
    }

    /// A task, and why it stopped when it did.
    public struct Task: Sendable, Hashable, Decodable {
        public struct Container: Sendable, Hashable, Decodable {
            public let name: String?
            public let lastStatus: String?
            public let reason: String?
            public let exitCode: Int?
            /// The digest of the image the container runs.
            public let imageDigest: String?
            /// The container's ID in its runtime: the last part of ECS Exec's Session Manager target.
            public let runtimeId: String?
        }

        public let taskArn: String?
        public let taskDefinitionArn: String?
        public let lastStatus: String?
        public let desiredStatus: String?
        public let stopCode: String?
        public let stoppedReason: String?
        /// Seconds since 1970.
        public let createdAt: Double?
        public let startedAt: Double?
        public let stoppedAt: Double?
        public let containers: [Container]?
        /// The deployment (`ecs-svc/…`) that started a service's task, or RunTask's `startedBy`.
        public let startedBy: String?
        /// Whether ECS Exec was on when the task started; it cannot be turned on for a running task.
        public let enableExecuteCommand: Bool?
        /// The task's group: `service:NAME` for a service's task.
        public var group: String? = nil
    }

    /// What to start with RunTask: one Fargate task of a task definition, in the given subnets
    /// and security groups, optionally with another command for one container.
    public struct RunTaskRequest: Sendable, Hashable, Encodable {
        public struct NetworkConfiguration: Sendable, Hashable, Encodable {
            public struct AwsvpcConfiguration: Sendable, Hashable, Encodable {
                public let subnets: [String]
                public let securityGroups: [String]
                public let assignPublicIp: String
            }
            public let awsvpcConfiguration: AwsvpcConfiguration
        }

        public struct Overrides: Sendable, Hashable, Encodable {
            public struct ContainerOverride: Sendable, Hashable, Encodable {
                public let name: String
                public let command: [String]
            }
            public let containerOverrides: [ContainerOverride]
        }

        public let cluster: String
        public let taskDefinition: String
        public let launchType = "FARGATE"
        public let count = 1
        /// Who started the task, as ListTasks' `startedBy` filter and the console show it.
        public let startedBy: String
        public let networkConfiguration: NetworkConfiguration
        public let overrides: Overrides?
        /// One per request, sent again with every retry: ECS starts one task for it, however
        /// many times a lost or failed answer makes the call go again (RunTask's idempotency).
        public let clientToken: String

        public init(
            cluster: String, taskDefinition: String, subnets: [String], securityGroups: [String], assignPublicIp: String,
            startedBy: String, container: String, command: [String]?
        ) {
            self.clientToken = UUID().uuidString
            self.cluster = cluster
            self.taskDefinition = taskDefinition
            self.startedBy = startedBy
            self.networkConfiguration = .init(
                awsvpcConfiguration: .init(subnets: subnets, securityGroups: securityGroups, assignPublicIp: assignPublicIp))
            self.overrides = command.map { .init(containerOverrides: [.init(name: container, command: $0)]) }
        }
    }

    /// Why RunTask could not start a task.
    public struct Failure: Sendable, Hashable, Decodable {
        public let arn: String?
        public let reason: String?
        public let detail: String?
    }

    private struct RunTaskResponse: Decodable {
        let tasks: [Task]?
        let failures: [Failure]?
    }

    /// Starts one task; the task, or why none started.
    public func runTask(_ request: RunTaskRequest) async throws -> (task: Task?, failures: [Failure]) {
        let answer = try await client.json(targetPrefix: Self.target, operation: "RunTask", request: request, as: RunTaskResponse.self)
        return (answer.tasks?.first, answer.failures ?? [])
    }

    private struct StopTaskRequest: Encodable {
        let cluster: String
        let task: String
        let reason: String
    }

    private struct StopTaskResponse: Decodable { let task: Task? }

    /// Stops a task, saying why (the task's `stoppedReason`).
    @discardableResult
    public func stopTask(cluster: String, task: String, reason: String) async throws -> Task? {
        try await client.json(
            targetPrefix: Self.target, operation: "StopTask", request: StopTaskRequest(cluster: cluster, task: task, reason: reason),
            as: StopTaskResponse.self
        ).task
    }

    private struct ServicesRequest: Encodable {
        let cluster: String
        let services: [String]
    }

    private struct ServicesResponse: Decodable {
        let services: [Service]?
    }

    public func describeServices(cluster: String, services: [String]) async throws -> [Service] {
        try await client.json(
            targetPrefix: Self.target, operation: "DescribeServices", request: ServicesRequest(cluster: cluster, services: services),
            as: ServicesResponse.self
        ).services ?? []
    }

    private struct TaskDefinitionRequest: Encodable { let taskDefinition: String }
    private struct TaskDefinitionResponse: Decodable { let taskDefinition: TaskDefinition? }

    public func describeTaskDefinition(_ taskDefinition: String) async throws -> TaskDefinition? {
        try await client.json(
            targetPrefix: Self.target, operation: "DescribeTaskDefinition",
            request: TaskDefinitionRequest(taskDefinition: taskDefinition), as: TaskDefinitionResponse.self
        ).taskDefinition
    }

    private struct ListTasksRequest: Encodable {
        let cluster: String
        let serviceName: String?
        let family: String?
        let startedBy: String?
        let desiredStatus: String?
        let nextToken: String?
    }

    private struct ListTasksResponse: Decodable {
        let taskArns: [String]?
        let nextToken: String?
    }

    /// The ARNs of a cluster's (or a service's, or a task family's) tasks, `RUNNING` or
    /// `STOPPED`, a page at a time.
    public func listTasks(
        cluster: String, serviceName: String? = nil, family: String? = nil, startedBy: String? = nil, desiredStatus: String? = nil
    ) -> Paginated<String> {
        Paginated("ListTasks") { token in
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "ListTasks",
                request: ListTasksRequest(
                    cluster: cluster, serviceName: serviceName, family: family, startedBy: startedBy, desiredStatus: desiredStatus, nextToken: token),
                as: ListTasksResponse.self)
            return (answer.taskArns ?? [], answer.nextToken)
        }
    }

    private struct TasksRequest: Encodable {
        let cluster: String
        let tasks: [String]
    }

    private struct TasksResponse: Decodable { let tasks: [Task]? }

    /// The tasks `tasks` names (ARNs or IDs), however many: DescribeTasks takes 100 a call.
    public func describeTasks(cluster: String, tasks: [String]) async throws -> [Task] {
        var described: [Task] = []
        for start in stride(from: 0, to: tasks.count, by: 100) {
            described += try await client.json(
                targetPrefix: Self.target, operation: "DescribeTasks",
                request: TasksRequest(cluster: cluster, tasks: Array(tasks[start..<min(start + 100, tasks.count)])), as: TasksResponse.self
            ).tasks ?? []
        }
        return described
    }
}
