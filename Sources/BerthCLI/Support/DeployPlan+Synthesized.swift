import CloudFormation
import Deploy
import Resources

extension DeployPlan {
    /// The plan of every synthesized stack, in the app's order.
    init(synthesized result: Synthesizer.Result) {
        let phases = Dictionary(result.rendered.map { ($0.stack.name, $0.stack.phase) }, uniquingKeysWith: { first, _ in first })
        self.init(
            stacks: result.rendered.map { rendered in
                let stack = rendered.stack
                return PlannedStack(
                    name: stack.name, phase: stack.phase == .ecr ? .ecr : .ecs, environment: stack.environment,
                    service: stack.service, region: stack.region, templateBody: rendered.text,
                    resourceCount: stack.template.resources.count,
                    parameters: stack.parameterSources.map { Named($0.name, Self.valueSource($0.value, phases: phases)) },
                    template: stack.template.templateValue, imageRepository: stack.imageRepository,
                    heldRepository: Self.heldRepository(stack.template), logGroup: Self.logGroup(stack.template),
                    tags: Self.stackTags(stack, appName: result.app.name), capabilities: Self.capabilities(stack.template),
                    terminationProtection: stack.phase == .ecr)
            })
    }

    private static func valueSource(_ source: ParameterSource, phases: [String: Phase]) -> ValueSource {
        switch source {
        case .stackOutput(let stack, let output):
            // The repository's name and URI are also what the image gate reads from ECR.
            let fromGate: ValueSource.GateValue? =
                phases[stack] != .ecr ? nil
                : output == ImageRepository.OutputName.repositoryUri ? .repositoryURI
                : output == ImageRepository.OutputName.repositoryName ? .repositoryName : nil
            return .stackOutput(stack: stack, output: output, orFromGate: fromGate)
        case .imageGate(.tag): return .gate(.tag)
        case .imageGate(.digest): return .gate(.digest)
        case .buildMetadata(let option):
            return .buildMetadata(option == ValueSource.BuildMetadata.buildTime.rawValue ? .buildTime : .commitSha)
        }
    }

    /// The image repository a template creates, with the lifecycle policy it sets.
    static func heldRepository(_ template: Template) -> PlannedStack.HeldRepository? {
        guard let repository = template.resources.first(where: { $0.value.type == ECR.Repository.resourceType })?.value,
            let name = repository.properties["RepositoryName"]?.stringValue
        else { return nil }
        return PlannedStack.HeldRepository(
            name: name, lifecyclePolicyText: repository.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue)
    }

    /// The log group a template creates.
    static func logGroup(_ template: Template) -> String? {
        template.resources.first(where: { $0.value.type == "AWS::Logs::LogGroup" })?.value.properties["LogGroupName"]?.stringValue
    }

    /// The stack's tags: the app, the phase, the environment and the service. They never change
    /// from one deploy to the next, because CloudFormation passes stack tags on to every
    /// resource and a changed tag would update them all; the image tag and commit are stack
    /// parameters (`ImageTag`, `CommitSha`), which DescribeStacks shows as well.
    static func stackTags(_ stack: Stack, appName: String) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = [("berth:app", appName), ("berth:phase", stack.phase.name)]
        if let environment = stack.environment { tags.append(("berth:environment", environment)) }
        if let service = stack.service { tags.append(("berth:service", service)) }
        return tags
    }

    /// `CAPABILITY_IAM` when the template has IAM resources, `CAPABILITY_NAMED_IAM` when one is named.
    static func capabilities(_ template: Template) -> [String] {
        let iam = template.resources.filter { $0.value.type.hasPrefix("AWS::IAM::") }
        guard !iam.isEmpty else { return [] }
        let named = iam.contains { resource in
            ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"].contains {
                resource.value.properties[$0] != nil
            }
        }
        return named ? ["CAPABILITY_NAMED_IAM"] : ["CAPABILITY_IAM"]
    }
}
