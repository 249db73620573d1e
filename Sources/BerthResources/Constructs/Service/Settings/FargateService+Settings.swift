extension FargateService {
    /// Everything about a service that an environment file tunes.
    public struct Settings: Sendable, Hashable {
        /// Web, backend, worker or job: which parts the service is made of.
        public var kind: Kind = .web
        /// The task's CPU and memory.
        public var size: FargateSize
        /// Tasks to run; ignored when autoscaling is on (see `add(to:)`).
        public var desiredCount = 1
        /// The port the container listens on (web and backend services).
        public var containerPort = 8080
        /// Which load balancer a web service is behind.
        public var loadBalancer: LoadBalancerChoice = .shared
        /// The listener rule on the shared load balancer (web services only).
        public var routing = Routing()
        /// The load balancer's health check (web services only).
        public var healthCheck = HealthCheck()
        /// A health check ECS runs inside the service's container, if any.
        public var containerHealthCheck: ContainerHealthCheck?
        /// Plain environment variables, written sorted by name.
        public var environment: [String: String] = [:]
        /// Secrets by ARN (Secrets Manager or SSM Parameter Store), written sorted by name.
        public var secrets: [String: String] = [:]
        /// How long the log group keeps the containers' logs, in days.
        public var logRetentionDays = 30
        /// The log retention under `controls: control-tower` when the file sets none: a year,
        /// the least the controls take.
        public static let controlledLogRetentionDays = 365
        /// Target tracking on CPU, memory, requests or a queue, and a schedule; `nil` runs `desiredCount` tasks.
        public var autoscaling: Autoscaling?
        /// Whether `aws ecs execute-command` may open a shell in the service's tasks.
        public var enableExecuteCommand = false
        /// The share of `desiredCount` that stays running while a rolling deployment replaces tasks.
        public var minimumHealthyPercent = 100
        /// The share of `desiredCount` that may run while a rolling deployment replaces tasks.
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
        /// The CPU architecture the image is built for.
        public var cpuArchitecture: CPUArchitecture = .x86_64
        /// What only a job has: its image, command, schedule, timeout and deploy runs.
        public var job = Job()
        /// The service's own image repository when it is not `<app>/<service>`, such as
        /// `shared/api`. Every environment must name the same; no other service may.
        public var repository: String?
        /// Tags of the service's repository that stay mutable, such as `latest` or `*-latest`:
        /// ECR's `IMMUTABLE_WITH_EXCLUSION` with these as its filters. Every environment must agree.
        public var mutableTags: [String] = []

        /// A service of `kind` and `size`, every other setting at its default.
        public init(size: FargateSize, kind: Kind = .web) {
            self.size = size
            self.kind = kind
        }

        /// Whether the service sits behind the environment's shared load balancer.
        public var usesSharedLoadBalancer: Bool { kind == .web && loadBalancer == .shared }
    }
}
