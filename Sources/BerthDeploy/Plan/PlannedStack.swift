import BerthModel
import BerthTemplate

/// One stack of an app as the deployer sees it: what to send, and where its parameters' values
/// come from.
public struct PlannedStack: Sendable {
    public var name: String
    public var phase: Phase
    /// The environment a phase-2 stack belongs to.
    public var environment: String?
    /// The service a stack belongs to; `nil` for an environment's shared stack.
    public var service: String?
    public var region: String
    public var templateBody: String
    /// How many resources the template declares, for the progress count.
    public var resourceCount: Int
    /// Every parameter the deployer fills, in template order.
    public var parameters: [Named<ParameterSource>]
    /// The template as a value: what diff compares, and where outputs that an endpoint does not
    /// report are worked out from.
    public var template: JSONValue
    /// The repository whose image the stack runs: the image gate checks it before the stack changes.
    public var imageRepository: String?
    /// The Cosign signatures the image must carry (`signatures:`); none are required when `nil`.
    public var signatures: SignaturePolicy?
    /// The account the stack's tasks pull the image into, when it is another than the
    /// repository's: the image gate checks that the repository's policy lets it pull.
    public var pullAccount: String?
    /// The service whose image tag the stack runs: its own, or for a job on another service's
    /// image (a migration), that service's.
    public var imageService: String? { borrowedImageOf ?? service }
    /// For a job that runs another service's image, that service.
    public var borrowedImageOf: String?
    /// How a deploy treats a job's stack; `nil` for every other stack.
    public var jobPolicy: JobPolicy?
    /// The image repository a phase-1 stack holds, and the lifecycle policy it gives it.
    public var heldRepository: HeldRepository?
    /// The log group of a service stack's containers.
    public var logGroup: String?
    public var tags: [(key: String, value: String)]
    public var capabilities: [String]
    /// The role CloudFormation acts with on the stack: every change set's and the delete's
    /// `RoleARN` (an environment's `cloudFormationRoleArn`); the caller's rights when `nil`.
    public var cloudFormationRoleArn: String?
    /// Whether to turn on termination protection (repositories).
    public var terminationProtection: Bool
    /// Stacks this one deploys after although it takes none of their outputs (the Service Connect
    /// servers a service calls); outside the selection they are not waited for.
    public var deployAfter: [String]

    /// The app whose stack it is, as its `berth:app` tag says (`StackOwnership` checks a deployed
    /// stack against it).
    public var appName: String? { StackTags.app(in: tags) }

    public init(
        name: String, phase: Phase, environment: String?, service: String?, region: String, templateBody: String,
        resourceCount: Int, parameters: [Named<ParameterSource>], template: JSONValue, imageRepository: String?,
        heldRepository: HeldRepository? = nil, logGroup: String? = nil, borrowedImageOf: String? = nil, jobPolicy: JobPolicy? = nil,
        tags: [(key: String, value: String)], capabilities: [String], terminationProtection: Bool, deployAfter: [String] = [],
        signatures: SignaturePolicy? = nil, cloudFormationRoleArn: String? = nil, pullAccount: String? = nil
    ) {
        self.pullAccount = pullAccount
        self.cloudFormationRoleArn = cloudFormationRoleArn
        self.signatures = signatures
        self.name = name
        self.phase = phase
        self.environment = environment
        self.service = service
        self.region = region
        self.templateBody = templateBody
        self.resourceCount = resourceCount
        self.parameters = parameters
        self.template = template
        self.imageRepository = imageRepository
        self.heldRepository = heldRepository
        self.logGroup = logGroup
        self.borrowedImageOf = borrowedImageOf
        self.jobPolicy = jobPolicy
        self.tags = tags
        self.capabilities = capabilities
        self.terminationProtection = terminationProtection
        self.deployAfter = deployAfter
    }

    /// An image repository that a phase-1 stack holds.
    public struct HeldRepository: Sendable, Hashable {
        public var name: String
        /// The lifecycle policy the stack sets on it (ECR's JSON), if any.
        public var lifecyclePolicyText: String?

        public init(name: String, lifecyclePolicyText: String?) {
            self.name = name
            self.lifecyclePolicyText = lifecyclePolicyText
        }
    }

    /// The template's `Outputs` section.
    public var outputDefinitions: JSONValue? { template["Outputs"] }

    /// The parameter that takes a shared stack's listener (its `ListenerArn` output), and that
    /// stack: the shared listener this stack's rule is on; `nil` for a stack with no such rule.
    public var sharedListener: (parameter: String, stack: String)? {
        for parameter in parameters {
            if case .stackOutput(let shared, OutputName.listenerArn) = parameter.value { return (parameter.name, shared) }
        }
        return nil
    }

    /// The stacks this one deploys after: those whose outputs it takes, then `deployAfter`.
    public var ordering: [String] {
        var seen: Set<String> = []
        return (dependencies + deployAfter).filter { seen.insert($0).inserted }
    }

    /// The stacks whose outputs this one takes, in the order its parameters name them.
    public var dependencies: [String] {
        var seen: Set<String> = []
        return parameters.compactMap { parameter -> String? in
            guard case .stackOutput(let stack, _) = parameter.value, seen.insert(stack).inserted else { return nil }
            return stack
        }
    }
}

extension PlannedStack {
    /// The value of the parameter filled from `source` in a deployed stack's `parameters`
    /// (an empty value counts as none): the contract is the source, not the parameter's name.
    public func deployedValue(of source: ParameterSource, in parameters: [String: String]) -> String? {
        guard let name = self.parameters.first(where: { $0.value == source })?.name, let value = parameters[name], !value.isEmpty else {
            return nil
        }
        return value
    }
}
