import BerthTemplate

/// One environment of an app (`dev`, `prod`, `pr-51`): where it runs, what its services share,
/// and its services.
///
/// The services of one environment share one network, one ECS cluster and, for web services
/// that do not ask for their own, one load balancer; they live in the environment's shared stack.
public struct EnvironmentSettings: Sendable, Hashable {
    /// Where the services run.
    public enum Network: Sendable, Hashable {
        /// A new VPC with two public subnets in two availability zones and no NAT gateway.
        ///
        /// Without private subnets (the default outside `controls: control-tower`), tasks run in
        /// the public subnets with public IPs; only the load balancer's security group may reach
        /// them. With private subnets (`privateSubnets: true`, the default under the profile),
        /// the block is cut in four: two public subnets for load balancers and two private ones
        /// for tasks, each with its own route table and no route out of the VPC; the tasks reach
        /// ECR, CloudWatch Logs, S3 and what their features need through VPC endpoints
        /// (`SharedEnvironment.interfaceEndpoints`). `nil`: as the environment's controls say.
        case newVPC(cidr: String, privateSubnets: Bool? = nil)
        /// An existing VPC. Load balancers go in the public subnets; tasks go in the private
        /// subnets when given (they need a NAT gateway or VPC endpoints to pull images), else in
        /// the public subnets with public IPs.
        case existing(vpcID: String, publicSubnetIDs: [String], privateSubnetIDs: [String])

        /// Whether tasks run in public subnets, not knowing the environment's controls.
        @available(*, deprecated, message: "use EnvironmentSettings.tasksNeedPublicIP, which knows what controls: control-tower chooses")
        public var tasksNeedPublicIP: Bool {
            switch self {
            case .newVPC(_, let privateSubnets): !(privateSubnets ?? false)
            case .existing(_, _, let privateSubnetIDs): privateSubnetIDs.isEmpty
            }
        }

        /// The key that puts the tasks in private subnets, as environment files spell it.
        public var privateSubnetsKey: String {
            switch self {
            case .newVPC: "network.privateSubnets"
            case .existing: "network.privateSubnetIds"
            }
        }

        /// What to set so that the tasks run in private subnets.
        var privateSubnetsFix: String {
            switch self {
            case .newVPC: "set network.privateSubnets: true, so that the tasks run in private subnets"
            case .existing: "set network.privateSubnetIds to the VPC's private subnets, so that the tasks run in them"
            }
        }
    }

    /// An HTTPS listener on every load balancer of the environment; HTTP then redirects to it.
    public struct HTTPS: Sendable, Hashable {
        public var certificateArn: String
        /// The listener's Elastic Load Balancing security policy: TLS 1.3 and 1.2 by default.
        public var sslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

        public init(certificateArn: String) { self.certificateArn = certificateArn }
    }

    /// Where the load balancers write their access logs: an S3 bucket whose policy lets Elastic
    /// Load Balancing write to it, and a key prefix.
    public struct AccessLogs: Sendable, Hashable {
        public var bucket: String
        public var prefix: String?

        public init(bucket: String, prefix: String? = nil) {
            self.bucket = bucket
            self.prefix = prefix
        }
    }

    /// Whether the load balancers get deletion protection: as `loadBalancerDeletionProtection`
    /// says, else for a protected environment or one under controls.
    public var protectsLoadBalancers: Bool {
        loadBalancerDeletionProtection ?? (isProtected || controls == .controlTower)
    }

    /// Whether tasks run in public subnets and need a public IP to reach ECR: in a new VPC
    /// without private subnets, or in an existing VPC that names none.
    public var tasksNeedPublicIP: Bool {
        switch network {
        case .newVPC(_, let privateSubnets): !(privateSubnets ?? (controls == .controlTower))
        case .existing(_, _, let privateSubnetIDs): privateSubnetIDs.isEmpty
        }
    }

    /// Whether the shared stack makes a new VPC with private subnets and VPC endpoints.
    public var makesPrivateSubnets: Bool {
        guard case .newVPC = network else { return false }
        return !tasksNeedPublicIP
    }

    /// The environment's name: it goes into stack names and image tag prefixes.
    public var name: String
    /// The region its stacks are deployed to.
    public var region: String
    /// The AWS account its stacks live in (`account:`): the credentials Berth uses for it must be
    /// in it. Any account when `nil`.
    public var account: String?
    /// The IAM role Berth assumes for the environment's stacks (`roleArn:`); the caller's own
    /// credentials when `nil`.
    public var roleArn: String?
    /// The external ID the role's trust policy asks for (`externalId:`).
    public var externalID: String?
    /// Where the app's repositories live (`repositories:`); every environment agrees. `nil`: in
    /// the one region every environment states, in the caller's account.
    public var repositories: RepositoryLocation?
    public var network: Network = .newVPC(cidr: "10.0.0.0/16")
    public var https: HTTPS?
    /// The deploy-time controls the environment's templates must meet (`controls:`); none when `nil`.
    public var controls: ControlProfile?
    /// CloudWatch Container Insights on the environment's cluster.
    public var containerInsights = true
    /// How many of this environment's images each repository keeps.
    public var keepImages = 10
    /// Whether `berth destroy` refuses the environment (`protected: true`, for production).
    public var isProtected = false
    /// Access logs of every load balancer of the environment; none when `nil`.
    public var accessLogs: AccessLogs?
    /// A KMS key (ARN) new repositories encrypt images with; every environment must agree.
    public var repositoryKMSKeyArn: String?
    /// Deletion protection on the load balancers; `nil`: on for protected environments and under
    /// `controls: control-tower`.
    public var loadBalancerDeletionProtection: Bool?
    /// For a template of preview environments: the prefix their names start with (`pr-`).
    /// Its lifecycle rule counts the images of all of them together.
    public var previewPrefix: String?
    /// For a preview environment made from a template (`--from`): the template's name. The
    /// template's lifecycle rule counts its images, so it adds no rule of its own.
    public var template: String?
    /// Signatures its images must carry; none are required when `nil`.
    public var signatures: SignatureRequirement?
    /// The role CloudFormation acts with on the environment's stacks (`cloudFormationRoleArn`,
    /// the bootstrap's execution role), passed as each change set's `RoleARN`; the caller's
    /// rights when `nil`.
    public var cloudFormationRoleArn: String?
    /// The managed policy that bounds every IAM role of the environment's stacks
    /// (`permissionsBoundary`): its ARN, or its name in the stacks' account. No role is bounded
    /// when `nil`.
    public var permissionsBoundary: String?
    /// The environment's services, in the order they were declared.
    public var services: [Named<FargateService.Settings>] = []

    public init(name: String, region: String) {
        self.name = name
        self.region = region
    }

    /// The image tag prefix of this environment, which the lifecycle policy counts by: `dev-`;
    /// for a template, the prefix of its previews' names (`pr-`).
    public var tagPrefix: String { previewPrefix ?? "\(name)-" }

    /// The account the environment's stacks are in, as far as its file says: `account`, else the
    /// account of `roleArn` (the reader refuses the two disagreeing); `nil` when neither names one.
    public var stacksAccount: String? {
        if let account { return account }
        guard let roleArn else { return nil }
        let parts = roleArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[4].utf8.count == 12, parts[4].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return String(parts[4])
    }
    /// The region of the app's repositories: `repositories.region`, else the environment's own.
    public var repositoryRegion: String { repositories?.region ?? region }

    /// The region in the ARN of the repositories its execution roles pull from, when it is not
    /// the environment's own (`repositories.region`); `nil`: the stack's region.
    public var pullRegion: String? {
        repositories.map(\.region).flatMap { $0 == region ? nil : $0 }
    }

    /// The account in the ARN of the repositories its execution roles pull from, when it may
    /// not be the stack's own: `repositories.account`, else `*` for an environment whose
    /// credentials may be another account's (`account` or `roleArn`). `nil`: the stack's account.
    public var pullAccount: String? {
        if let owner = repositories?.account { return owner == account ? nil : owner }
        return account == nil && roleArn == nil ? nil : "*"
    }

    /// The settings of the service called `name`, if this environment runs it.
    public func service(_ name: String) -> FargateService.Settings? {
        // By index: looking with `first(where:)` would copy every service's settings it passes.
        services.firstIndex { $0.name == name }.map { services[$0].value }
    }
}
