import AWS
import ArgumentParser
import CloudFormation
import CSystemShims
import Deploy
import Foundation
import Resources

/// `berth deploy`: apply the phase-1 (ECR) stacks, then, behind the image gate, the phase-2
/// (ECS) stack of one environment.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy the image repository (--phase ecr), a service (--phase ecs), or both (--phase all).",
        discussion: """
            The ECS phase changes nothing until the image tag is really in ECR. Rolling back is deploying \
            an earlier tag. Interrupting leaves the stack to CloudFormation: deploy again to keep waiting.
            """)

    enum PhaseSelection: String, ExpressibleByArgument, CaseIterable {
        case ecr, ecs, all
    }

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "Which phase: ecr, ecs or all.")
    var phase: PhaseSelection

    @Option(help: "The environment to deploy (for --phase ecs and all).")
    var env: String?

    @Option(name: .customLong("image-tag"), help: "The image tag to deploy (for --phase ecs and all).")
    var imageTag: String?

    @Flag(name: .customLong("allow-mutable-tag"), help: "Allow a tag such as latest or main.")
    var allowMutableTag = false

    @Option(name: .customLong("wait-for-image"), help: "Wait up to this long for the image to appear in ECR (90s, 10m).")
    var waitForImage = DurationArgument(.zero)

    @Option(help: "Give up waiting for a stack after this long (it goes on in CloudFormation).")
    var timeout = DurationArgument(.seconds(1800))

    @Option(name: .customLong("commit-sha"), help: "The commit the image was built from (COMMIT_SHA in the task).")
    var commitSHA: String?

    @Option(name: .customLong("build-time"), help: "When the image was built (BUILD_TIME in the task).")
    var buildTime: String?

    @Option(help: ArgumentHelp("Where outputs.json is written.", valueName: "dir"))
    var out = "out"

    func validate() throws {
        if phase != .ecr {
            guard env != nil else { throw ValidationError("--phase \(phase.rawValue) needs --env NAME") }
            guard imageTag != nil else { throw ValidationError("--phase \(phase.rawValue) needs --image-tag TAG") }
        }
    }

    func run() async throws {
        guard let context = Berth.context else { return }
        // Every check that needs no AWS call comes first: nothing changes when one fails.
        let tag = try imageTag.map { tag throws(ImageGateError) in try ImageTag(tag, allowMutable: allowMutableTag) }
        let synthesizer = Synthesizer(definition: context.app, configuration: Configuration(directory: appOptions.configDirectory))
        let synthesized = try synthesizer.synthesize(environment: env, stackName: nil, format: .json)
        let plan = try DeployPlan(result: synthesized, environment: env)
        let work = Task { try await deploy(plan, tag: tag, context: context) }
        let watcher = Self.cancelOnSignals(work)
        defer {
            watcher.cancel()
            berth_signals_restore()
        }
        do {
            try await work.value
        } catch is CancellationError {
            throw CommandFailure(
                .interrupted,
                "interrupted; the stacks carry on in CloudFormation. Run the same command again to wait for them and continue.")
        }
    }

    /// Ctrl-C and SIGTERM stop the waiting, not CloudFormation: while the deploy runs they only
    /// raise a flag, which a watcher turns into the cancellation of `task`.
    static func cancelOnSignals<Success>(_ task: Task<Success, any Error>) -> Task<Void, Never> {
        berth_signals_install()
        return Task {
            while !Task.isCancelled {
                if berth_signals_take() != 0 {
                    task.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func deploy(_ plan: DeployPlan, tag: ImageTag?, context: Berth.Context) async throws {
        let output = DeployOutput(console: context.console)
        var phaseOneOutputs: [String: [String: String]] = [:]
        if phase != .ecs {
            for stack in plan.phaseOne {
                let configuration = try awsOptions.configuration(stackRegion: stack.stack.region, context: context)
                let deployer = deployer(configuration, output: output)
                output.heading("phase 1: \(stack.stack.name)")
                let (result, outputs) = try await deployer.deploy(stackDeployment(stack, appName: plan.appName, parameters: []))
                output.done(stack.stack.name, result)
                phaseOneOutputs[stack.stack.name] = outputs
            }
            try OutputsFile(directory: out).merge(phaseOneOutputs)
            output.line("wrote \((out as NSString).appendingPathComponent(OutputsFile.name))")
        }
        guard phase != .ecr, let tag, let serviceStack = plan.phaseTwo else { return }
        let configuration = try awsOptions.configuration(stackRegion: serviceStack.stack.region, context: context)
        let cloudFormation = CloudFormationClient(configuration: configuration)
        var parameters: [String: String] = [:]
        for source in serviceStack.stack.parameterSources {
            switch source.value {
            case .stackOutput(let stackName, let outputName):
                let outputs = try await repositoryOutputs(stackName, known: phaseOneOutputs, cloudFormation: cloudFormation)
                if let value = outputs[outputName] { parameters[source.name] = value }
            case .imageGate, .buildMetadata:
                continue
            }
        }
        output.heading("image gate: \(tag)")
        let repositoryName = try repositoryName(for: serviceStack, plan: plan, parameters: parameters)
        let gate = ImageGate(ecr: ECRClient(configuration: configuration))
        let pollInterval = min(Duration.seconds(5), max(Duration.seconds(1), waitForImage.duration / 10))
        if waitForImage.duration > .zero { output.line("waiting up to \(waitForImage.duration) for the image") }
        let result = try await gate.check(
            repositoryName: repositoryName, tag: tag, waitFor: waitForImage.duration, pollInterval: pollInterval)
        output.gate(result)
        for source in serviceStack.stack.parameterSources {
            switch source.value {
            case .stackOutput(_, let outputName):
                if parameters[source.name] == nil {
                    // moto, and stacks deployed before their outputs existed: ask ECR.
                    parameters[source.name] = outputName == ImageRepository.OutputName.repositoryUri ? result.repositoryURI : result.repositoryName
                }
            case .imageGate(.tag): parameters[source.name] = tag.value
            case .imageGate(.digest): parameters[source.name] = result.pinnedDigest ?? ""
            case .buildMetadata(let option):
                let value = option == "commit-sha" ? commitSHA : buildTime
                parameters[source.name] = value ?? "unknown"
            }
        }
        let ordered = serviceStack.stack.parameterSources.compactMap { source in
            parameters[source.name].map { (key: source.name, value: $0) }
        }
        output.heading("phase 2: \(serviceStack.stack.name)")
        let deployer = deployer(configuration, output: output)
        let (deployResult, _) = try await deployer.deploy(
            stackDeployment(serviceStack, appName: plan.appName, parameters: ordered))
        output.done(serviceStack.stack.name, deployResult)
    }

    private func deployer(_ configuration: AWSConfiguration, output: DeployOutput) -> StackDeployer {
        StackDeployer(
            cloudFormation: CloudFormationClient(configuration: configuration), ecs: ECSClient(configuration: configuration),
            reporter: output.reporter, timeout: timeout.duration)
    }

    private func stackDeployment(
        _ rendered: Synthesizer.RenderedStack, appName: String, parameters: [(key: String, value: String)]
    ) -> StackDeployment {
        let stack = rendered.stack
        return StackDeployment(
            stackName: stack.name, templateBody: rendered.text, resourceCount: stack.template.resources.count,
            parameters: parameters, tags: Self.stackTags(stack, appName: appName), capabilities: Self.capabilities(stack.template),
            terminationProtection: stack.phase == .ecr)
    }

    /// The stack's tags: the app, the phase and the environment. They never change from one
    /// deploy to the next, because CloudFormation passes stack tags on to every resource and a
    /// changed tag would update them all; the image tag and commit are stack parameters
    /// (`ImageTag`, `CommitSha`), which DescribeStacks shows as well.
    static func stackTags(_ stack: Stack, appName: String) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = [("berth:app", appName), ("berth:phase", stack.phase.name)]
        if let environment = stack.environment { tags.append(("berth:environment", environment)) }
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

    /// The phase-1 stack's outputs: from this run, or from CloudFormation, after checking the
    /// stack is there and complete.
    private func repositoryOutputs(
        _ stackName: String, known: [String: [String: String]], cloudFormation: CloudFormationClient
    ) async throws -> [String: String] {
        if let outputs = known[stackName] { return outputs }
        guard let stack = try await cloudFormation.describeStack(stackName) else {
            throw ImageGateError.repositoryNotReady(stack: stackName, status: nil)
        }
        guard ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"].contains(stack.status) else {
            throw ImageGateError.repositoryNotReady(stack: stackName, status: stack.status)
        }
        return stack.outputs
    }

    /// The repository's name: the phase-1 stack's output, or the name its template gives.
    private func repositoryName(
        for service: Synthesizer.RenderedStack, plan: DeployPlan, parameters: [String: String]
    ) throws -> String {
        if let name = parameters[FargateService.ParameterName.repositoryName] { return name }
        let sources = service.stack.parameterSources.compactMap { source -> String? in
            if case .stackOutput(let stack, _) = source.value { return stack }
            return nil
        }
        for stack in plan.phaseOne where sources.contains(stack.stack.name) {
            if let name = ImagesCommand.repositoryNames(in: stack.stack.template).first { return name }
        }
        throw CommandFailure(.inputError, "\(service.stack.name) names no repository stack that the app defines")
    }
}

/// The stacks one deploy touches.
struct DeployPlan {
    let appName: String
    let phaseOne: [Synthesizer.RenderedStack]
    let phaseTwo: Synthesizer.RenderedStack?

    init(result: Synthesizer.Result, environment: String?) throws {
        appName = result.app.name
        phaseOne = result.rendered.filter { $0.stack.phase == .ecr }
        let services = result.rendered.filter { $0.stack.phase == .ecs && $0.stack.environment == environment }
        guard services.count <= 1 else {
            throw CommandFailure(
                .inputError, "environment \(environment ?? "") has \(services.count) service stacks; deploy them one at a time")
        }
        phaseTwo = services.first
    }
}
