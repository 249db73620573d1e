import BerthDiff
import BerthAWS
import BerthTemplate

/// The outputs of the app's stacks, as a deploy needs them: from the stacks it deployed, else
/// from CloudFormation after checking the stack is complete. An output the endpoint does not
/// report (moto reports none for stacks made through change sets) is worked out from the
/// template's definition and the stack's physical resource IDs, when it is made of `Ref`s,
/// `Fn::Join`s and `Fn::Sub`s.
actor StackOutputs {
    private var known: [String: [String: String]] = [:]
    /// Reads under way or done, one per stack, so that stacks that need the same outputs at the
    /// same time share one call.
    private var reading: [String: Task<[String: String], any Error>] = [:]
    private var working: [String: Task<[String: String], any Error>] = [:]
    /// Descriptions read already this run (`nil`: the stack does not exist), used once instead
    /// of reading the stack again.
    private var described: [String: StackDescription?] = [:]
    private let plan: DeployPlan
    private let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients

    init(plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients) {
        self.plan = plan
        self.clients = clients
    }

    /// Whether `stack` is one of the app's repository stacks.
    nonisolated func isRepository(_ stack: String) -> Bool { plan.app[stack]?.phase == .ecr }

    /// Keeps what DescribeStacks said of `stack` a moment ago (`nil`: it does not exist), for the
    /// first read of its outputs when it was ready then; otherwise that read asks again.
    func prime(_ stack: String, _ description: StackDescription?) {
        described[stack] = .some(description)
    }

    /// Records what a deploy of `stack` reported.
    func record(_ stack: String, _ outputs: [String: String]) {
        known[stack] = outputs
        working[stack] = nil
    }

    /// Everything recorded, by stack.
    var recorded: [String: [String: String]] { known }

    /// The value of `output` of `stack`, for `consumer`; `nil` when the stack has no such output.
    func value(of output: String, in stack: String, for consumer: String) async throws -> String? {
        let outputs = try await outputs(of: stack, for: consumer)
        if let value = outputs[output] { return value }
        return try await workedOut(stack)[output]
    }

    /// Checks that `stack` is complete (reading it when this run did not deploy it).
    func ensureReady(_ stack: String, for consumer: String) async throws {
        _ = try await outputs(of: stack, for: consumer)
    }

    private func outputs(of stack: String, for consumer: String) async throws -> [String: String] {
        if let outputs = known[stack] { return outputs }
        if let task = reading[stack] { return try await task.value }
        let task = Task { try await self.read(stack, for: consumer) }
        reading[stack] = task
        return try await task.value
    }

    private func read(_ stack: String, for consumer: String) async throws -> [String: String] {
        let target = plan.app[stack]?.target ?? plan.app[consumer]?.target ?? ClientTarget(region: "", environment: nil)
        let description: StackDescription?
        if let primed = described.removeValue(forKey: stack), primed?.status.hasFinalOutputs == true {
            description = primed
        } else {
            // Read again: the stack may have settled (or appeared) since the deploy began.
            description = try await clients(target).cloudFormation.describeStack(stack)
            if let description, let planned = plan.app[stack] { try StackOwnership.check(description, tags: planned.tags) }
        }
        guard let description, description.status.hasFinalOutputs else {
            if let planned = plan.app[stack], planned.phase == .ecr {
                if description == nil, let repository = planned.heldRepository?.name,
                    (try? await clients(target).ecr.describeRepositories(names: [repository]).collect().isEmpty) == false
                {
                    throw ImageGateError.repositoryOutsideStack(stack: stack, repository: repository)
                }
                throw ImageGateError.repositoryNotReady(stack: stack, status: description?.status.name)
            }
            throw DeployError.dependencyNotReady(stack: consumer, dependency: stack, status: description?.status.name)
        }
        return description.outputs
    }

    private func workedOut(_ stack: String) async throws -> [String: String] {
        if let task = working[stack] { return try await task.value }
        let task = Task { try await self.workOut(stack) }
        working[stack] = task
        return try await task.value
    }

    private func workOut(_ stack: String) async throws -> [String: String] {
        guard let planned = plan.app[stack], let definitions = planned.outputDefinitions?.members, !definitions.isEmpty else {
            return [:]
        }
        let cloudFormation = try clients(planned.target).cloudFormation
        var values: [String: String] = ["AWS::Region": planned.region, "AWS::StackName": stack]
        for resource in try await cloudFormation.listStackResources(stackName: stack).collect() {
            if let physicalID = resource.physicalID { values[resource.logicalID] = physicalID }
        }
        if let description = try await cloudFormation.describeStack(stack) {
            values.merge(description.parameters) { resource, _ in resource }
        }
        let evaluator = TemplateEvaluator(parameters: values, conditions: nil)
        var outputs: [String: String] = [:]
        for definition in definitions {
            if let value = definition.value["Value"].flatMap({ evaluator.string($0) }) { outputs[definition.key] = value }
        }
        return outputs
    }
}
