import BerthModel
import BerthAWS
import Foundation

/// Deploys the stacks of a plan: the repositories first, then, once the image gate has passed
/// every service, the environment's stacks in dependency order, independent ones at the same
/// time. CloudFormation does the work; Berth starts stacks, fills their parameters and waits.
///
/// Before anything changes, every stack it would change or take outputs from is read, and one
/// that is not the app's (`StackOwnership`) refuses the whole deploy. The gate runs for every
/// service before any phase-2 stack changes: one refusal refuses the whole deploy. When a stack fails, no further stack is started, the running ones are waited
/// for, and the error names what was deployed, what failed and what was left as it was.
public struct AppDeployer: Sendable {
    /// The clients of one region.
    public struct Clients: Sendable {
        public let cloudFormation: CloudFormationClient
        public let ecr: ECRClient
        public let ecs: ECSClient
        public let logs: LogsClient
        /// Reads KMS signing keys (`signatures: {cosign: {publicKey: <KMS key ARN>}}`).
        public let kms: KMSClient
        /// Reads a load balancer's deletion protection before a destroy; not read when `nil`.
        public let loadBalancing: ElasticLoadBalancingClient?

        public init(
            cloudFormation: CloudFormationClient, ecr: ECRClient, ecs: ECSClient, logs: LogsClient, kms: KMSClient,
            loadBalancing: ElasticLoadBalancingClient? = nil
        ) {
            self.cloudFormation = cloudFormation
            self.ecr = ecr
            self.ecs = ecs
            self.logs = logs
            self.kms = kms
            self.loadBalancing = loadBalancing
        }
    }

    /// Where the deploy reports its progress, beside each stack's own events.
    public struct Progress: Sendable {
        public var stackStarted: @Sendable (PlannedStack) -> Void
        public var stackFinished: @Sendable (PlannedStack, DeployResult) -> Void
        public var gateStarted: @Sendable (_ service: String, ImageTag) -> Void
        public var gatePassed: @Sendable (_ service: String, ImageGate.Result) -> Void
        /// A stack whose deploy failed, with why (a cancellation is no failure: not said).
        public var stackFailed: @Sendable (PlannedStack, any Error) -> Void

        public init(
            stackStarted: @escaping @Sendable (PlannedStack) -> Void,
            stackFinished: @escaping @Sendable (PlannedStack, DeployResult) -> Void,
            gateStarted: @escaping @Sendable (String, ImageTag) -> Void,
            gatePassed: @escaping @Sendable (String, ImageGate.Result) -> Void,
            stackFailed: @escaping @Sendable (PlannedStack, any Error) -> Void = { _, _ in }
        ) {
            self.stackStarted = stackStarted
            self.stackFinished = stackFinished
            self.gateStarted = gateStarted
            self.gatePassed = gatePassed
            self.stackFailed = stackFailed
        }
    }

    /// What a deploy did.
    public struct Outcome: Sendable {
        /// How each stack's deploy ended, by stack name.
        public let results: [String: DeployResult]
        /// The outputs of every stack it deployed or read, by stack name.
        public let outputs: [String: [String: String]]
        /// What the gate found, by service.
        public let images: [String: ImageGate.Result]
    }

    let clients: @Sendable (ClientTarget) throws -> Clients
    let reporter: DeployReporter
    let progress: Progress
    let timeout: Duration
    let concurrency: Int
    let waitForImage: Duration
    let buildMetadata: [ParameterSource.BuildMetadata: String]
    /// What each tag's build was, by tag, where `buildMetadata` does not say (`BuildProvenance`).
    let buildMetadataByTag: [String: [ParameterSource.BuildMetadata: String]]
    /// Whether to make a change set even when a stack would get exactly what it has.
    let force: Bool
    /// The phase-1 stacks that adopt their existing repository, by stack name: what adopting
    /// it does (`RepositoryAdoption`).
    let adopting: [String: RepositoryAdoption.Plan]
    /// Whether updates revert drift through drift-aware change sets (`deploy --revert-drift`).
    let revertsDrift: Bool

    public init(
        clients: @escaping @Sendable (ClientTarget) throws -> Clients, reporter: DeployReporter, progress: Progress,
        timeout: Duration = .seconds(1800), concurrency: Int = 4, waitForImage: Duration = .zero,
        buildMetadata: [ParameterSource.BuildMetadata: String] = [:],
        buildMetadataByTag: [String: [ParameterSource.BuildMetadata: String]] = [:], force: Bool = false,
        adopting: [String: RepositoryAdoption.Plan] = [:], revertsDrift: Bool = false
    ) {
        self.adopting = adopting
        self.revertsDrift = revertsDrift
        self.buildMetadataByTag = buildMetadataByTag
        self.force = force
        self.clients = clients
        self.reporter = reporter
        self.progress = progress
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self.waitForImage = waitForImage
        self.buildMetadata = buildMetadata
    }

    /// Deploys the plan's stacks with `images` for its services (checked with
    /// `ImageSelection.check(against:)` first): the repositories; the gate; the check of the
    /// priorities the services' rules take on the shared listener (`listenerRuleOrder`); the shared stacks and
    /// the stacks of the jobs that run before the services; then, when a service stack would
    /// change, those jobs (a failed one changes no service, and no other job: a scheduled job on
    /// the same image would run against what the migration did not do); the service stacks with
    /// the other jobs' stacks; and the jobs that run after.
    public func deploy(_ plan: DeployPlan, images: ImageSelection) async throws -> Outcome {
        try images.check(against: plan)
        let outputs = StackOutputs(plan: plan, clients: clients)
        let described = try await refuseForeignStacks(plan, outputs: outputs)
        let repositories = plan.stacks.filter { $0.phase == .ecr }
        try await refuseRepositoryLosses(repositories, described: described, of: plan)
        var results = try await run(repositories, outputs: outputs, gate: [:])
        let phase2 = plan.stacks.filter { $0.phase == .ecs }
        let gate = try await passGate(phase2, of: plan, images: images, outputs: outputs)
        let groundwork = phase2.filter { $0.service == nil || $0.jobPolicy?.runOnDeploy == .beforeServices }
        // A rule that takes a priority another stack's rule moves away from deploys after it.
        let ruleOrder = try await listenerRuleOrder(phase2, in: plan)
        let services = phase2.filter { $0.service != nil && $0.jobPolicy?.runOnDeploy != .beforeServices }.map { stack in
            var stack = stack
            stack.deployAfter += ruleOrder[stack.name] ?? []
            return stack
        }
        let serviceStacks = services.filter { $0.jobPolicy == nil }
        var done = repositories.map(\.name)
        var waiting = services.map(\.name)
        do {
            results.merge(try await run(groundwork, outputs: outputs, gate: gate)) { first, _ in first }
            done += groundwork.map(\.name)
            let before = groundwork.filter { $0.jobPolicy?.runOnDeploy == .beforeServices }
            if !before.isEmpty, !(try await anyWouldChange(serviceStacks, outputs: outputs, gate: gate)) {
                for job in before { reportNotRun(job) }
            } else {
                for job in before {
                    do {
                        try await runJob(job)
                    } catch {
                        throw AppDeployError(stack: job.name, cause: error, completed: [], alsoFailed: [], notStarted: [])
                    }
                }
            }
            waiting = []
            results.merge(try await run(services, outputs: outputs, gate: gate)) { first, _ in first }
            done += services.map(\.name)
            let after = services.filter { $0.jobPolicy?.runOnDeploy == .afterServices }
            if !serviceStacks.contains(where: { results[$0.name] != DeployResult.noChanges }) {
                for job in after { reportNotRun(job) }
            } else {
                for job in after {
                    do {
                        try await runJob(job)
                    } catch {
                        throw AppDeployError(stack: job.name, cause: error, completed: [], alsoFailed: [], notStarted: [])
                    }
                }
            }
        } catch let error as AppDeployError {
            // What this run deployed before the failure counts as deployed.
            var whole = AppDeployError(
                stack: error.stack, cause: error.cause, completed: done + error.completed,
                alsoFailed: error.alsoFailed, notStarted: error.notStarted + waiting.filter { $0 != error.stack && !error.notStarted.contains($0) })
            whole.alsoFailedCauses = error.alsoFailedCauses
            throw whole
        }
        var byService: [String: ImageGate.Result] = [:]
        for stack in phase2 {
            if let service = stack.service, let result = gate[stack.name] { byService[service] = result }
        }
        return Outcome(results: results, outputs: await outputs.recorded, images: byService)
    }

    /// Says that a job that runs on deploy did not run, as no service stack changes.
    private func reportNotRun(_ job: PlannedStack) {
        reporter.message("\(job.service ?? job.name): not run: it runs on a deploy that changes a service, and this one changes none")
    }

    /// Reads every stack the deploy changes or takes outputs from, at most `concurrency` at a
    /// time, before anything changes, and refuses the whole deploy when any of them has one of
    /// the app's names but is not the app's (`StackOwnership`). Each stack's deploy checks again
    /// when it describes the stack; what was read of a stack the deploy only takes outputs from
    /// serves `outputs` for its first read. A read that fails stops the deploy before anything
    /// changes, with every stack of the plan not started. Returns the stacks read that exist, by name.
    private func refuseForeignStacks(_ plan: DeployPlan, outputs: StackOutputs) async throws -> [String: StackDescription] {
        var names: [String] = []
        var seen: Set<String> = []
        for stack in plan.stacks {
            for name in [stack.name] + stack.dependencies where seen.insert(name).inserted { names.append(name) }
        }
        let stacks = names.compactMap { plan.app[$0] }
        let selected = Set(plan.stacks.map(\.name))
        let read = try await withThrowingTaskGroup(of: (Int, StackDescription?).self) { group in
            var read: [(Int, StackDescription?)] = []
            for (index, stack) in stacks.enumerated() {
                if index >= concurrency, let result = try await group.next() { read.append(result) }
                group.addTask { [clients] in
                    do {
                        return (index, try await clients(stack.target).cloudFormation.describeStack(stack.name))
                    } catch let cancelled as CancellationError {
                        throw cancelled  // an interrupt or the deadline, which the caller words
                    } catch {
                        throw AppDeployError(stack: stack.name, cause: error, completed: [], alsoFailed: [], notStarted: plan.stacks.map(\.name))
                    }
                }
            }
            for try await result in group { read.append(result) }
            return read.sorted { $0.0 < $1.0 }
        }
        var foreign: [ForeignStack] = []
        var described: [String: StackDescription] = [:]
        for (index, description) in read {
            let stack = stacks[index]
            described[stack.name] = description
            if let found = description.flatMap({ StackOwnership.foreign($0, tags: stack.tags) }) {
                foreign.append(found)
            } else if !selected.contains(stack.name) {
                await outputs.prime(stack.name, description)
            }
        }
        guard !foreign.isEmpty, let app = stacks.lazy.compactMap(\.appName).first else { return described }
        throw DeployError.foreignStacks(foreign, app: app)
    }

    /// Whether deploying any of `stacks` would change it: a stack that is not settled in a
    /// healthy state, or that would get another template, parameter or tag, would. With `force`
    /// every stack counts as changing, and with `revertsDrift` too (drift is not in the template).
    private func anyWouldChange(_ stacks: [PlannedStack], outputs: StackOutputs, gate: [String: ImageGate.Result]) async throws -> Bool {
        guard !force && !revertsDrift else { return !stacks.isEmpty }
        for stack in stacks {
            do {
                let deployment = try await prepare(stack, outputs: outputs, gate: gate[stack.name])
                let cloudFormation = try clients(stack.target).cloudFormation
                guard let deployed = try await cloudFormation.describeStack(stack.name), deployed.status.canSkipUnchanged,
                    deployment.isUnchanged(comparedWith: deployed, templateBody: try await cloudFormation.getTemplate(stackName: stack.name))
                else { return true }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Named as the stack it was about, so that the deploy's error says what the
                // shared and job stacks before it had already changed.
                throw AppDeployError(stack: stack.name, cause: error, completed: [], alsoFailed: [], notStarted: [])
            }
        }
        return false
    }

    /// Runs a job of the plan with the task definition its stack now holds, and waits for it.
    private func runJob(_ stack: PlannedStack) async throws {
        let clients = try clients(stack.target)
        let run = try await JobRun.of(
            stack, cloudFormation: clients.cloudFormation, command: nil, timeout: .seconds(60 * (stack.jobPolicy?.timeoutMinutes ?? 30)))
        reporter.message("\(run.job): running \(stack.jobPolicy?.runOnDeploy == .afterServices ? "after" : "before") the services")
        // Laid out as `berth run` lays them out: no line of a task's log stands alone, to pass
        // for Berth's own or for a CI runner's command.
        let outcome = try await JobRunner(ecs: clients.ecs, logs: clients.logs, show: { [reporter] in reporter.message(ServerText.message($0)) }).run(run)
        reporter.message("\(run.job): exited 0 (task \(outcome.taskID))")
    }

    /// Checks every service's image, all at the same time, before anything changes, and reports
    /// the answers in the plan's order. A service whose repository stack is not ready, or whose
    /// image is not there, refuses the deploy.
    private func passGate(
        _ stacks: [PlannedStack], of plan: DeployPlan, images: ImageSelection, outputs: StackOutputs
    ) async throws -> [String: ImageGate.Result] {
        let gated = stacks.filter { $0.imageRepository != nil && $0.service != nil }
        let pollInterval = min(Duration.seconds(5), max(Duration.seconds(1), waitForImage / 10))
        for stack in gated {
            if let service = stack.service, let image = stack.imageService, let tag = images.tag(for: image) { progress.gateStarted(service, tag) }
        }
        // Each requirement is read once per deploy (a KMS key's GetPublicKey, a trusted root).
        var reading: [SignaturePolicy: Result<SignatureTrust, any Error>] = [:]
        for stack in gated {
            guard let policy = stack.signatures, reading[policy] == nil else { continue }
            do {
                reading[policy] = .success(try await policy.trust(kms: try clients(plan.repositoryTarget(of: stack)).kms))
            } catch {
                reading[policy] = .failure(error)
            }
        }
        let trusts = reading
        let answers = await withTaskGroup(of: (Int, Result<ImageGate.Result, any Error>).self) { group in
            for (index, stack) in gated.enumerated() {
                guard let image = stack.imageService, let repository = stack.imageRepository, let tag = images.tag(for: image) else {
                    continue
                }
                group.addTask {
                    let answer = await Result {
                        for dependency in stack.dependencies where outputs.isRepository(dependency) {
                            try await outputs.ensureReady(dependency, for: stack.name)
                        }
                        let gate = ImageGate(ecr: try clients(plan.repositoryTarget(of: stack)).ecr)
                        let result = try await gate.check(
                            repositoryName: repository, tag: tag, allowMutable: images.allowsMutableTags, waitFor: waitForImage,
                            pollInterval: pollInterval, signatures: try stack.signatures.flatMap { trusts[$0] }?.get(), pullingAccount: stack.pullAccount)
                        if let required = images.requiredDigests[image], result.digest != required {
                            throw ImageGateError.tagMovedSinceChecked(repository: repository, tag: tag.value, checked: required, now: result.digest)
                        }
                        return result
                    }
                    return (index, answer)
                }
            }
            var answers: [(Int, Result<ImageGate.Result, any Error>)] = []
            for await answer in group { answers.append(answer) }
            return answers.sorted { $0.0 < $1.0 }
        }
        try Task.checkCancellation()
        var passed: [String: ImageGate.Result] = [:]
        var refusals: [(service: String, reason: ImageGateError)] = []
        for (index, answer) in answers {
            let stack = gated[index]
            switch answer {
            case .success(let result):
                passed[stack.name] = result
                if let service = stack.service { progress.gatePassed(service, result) }
                if let warning = Self.foreignTagWarning(stack, result, in: plan) { reporter.warning(warning) }
            case .failure(let error as ImageGateError): refusals.append((stack.service ?? stack.name, error))
            case .failure(let error as CancellationError): throw error
            case .failure(let error):
                let image = "\(stack.imageRepository ?? "?"):\(stack.imageService.flatMap { images.tag(for: $0)?.value } ?? "?")"
                throw ImageCheckFailure(service: stack.service ?? stack.name, image: image, cause: error)
            }
        }
        guard refusals.isEmpty else { throw ImageGateRefusal(refusals: refusals) }
        return passed
    }

    /// A warning when a service is deployed with a tag that another environment's lifecycle rule
    /// counts (`dev-…` to prod): that rule counts the image with the other environment's, whose
    /// pushes may expire it while this environment runs it. A tag no rule counts
    /// (`v1.2.3`) is not warned about. The rules are those the repository's stack in `plan` sets.
    static func foreignTagWarning(_ stack: PlannedStack, _ result: ImageGate.Result, in plan: DeployPlan) -> DeployWarning? {
        guard let environment = stack.environment, let service = stack.service, let repository = stack.imageRepository,
            let policy = plan.app.values.first(where: { $0.heldRepository?.name == repository })?.heldRepository?.lifecyclePolicyText,
            let rules = try? LifecyclePreview(policyText: policy).rules
        else { return nil }
        // The rule that counts this tag, against the one that counts a tag of this environment
        // as berth tag makes it (by prefix, not by name: `staging-` is not `staging-pr-7`'s rule).
        func counting(_ tag: String) -> LifecycleRule? { rules.first { $0.tagStatus == .tagged && LifecyclePreview.selects($0, tags: [tag]) } }
        guard let rule = counting(result.tag.value), let prefix = rule.tagPrefixes.first,
            rule.priority != counting("\(environment)-20260101-000000-0123abcd")?.priority
        else { return nil }
        return .foreignTag(service: service, tag: "\(result.tag)", countedWith: prefix, environment: environment)
    }

    /// Deploys `stacks`, each after the stacks of this group whose outputs it takes or that it
    /// follows (`PlannedStack.ordering`), at most `concurrency` at a time.
    private func run(
        _ stacks: [PlannedStack], outputs: StackOutputs, gate: [String: ImageGate.Result]
    ) async throws -> [String: DeployResult] {
        try await StackScheduler(concurrency: concurrency).run(stacks, after: \.ordering) { stack in
            try await deployOne(stack, outputs: outputs, gate: gate[stack.name])
        }
    }

    /// What deploying `stack` would send: its template, tags and the parameters filled from the
    /// outputs it takes, the gate and the build.
    private func prepare(_ stack: PlannedStack, outputs: StackOutputs, gate: ImageGate.Result?) async throws -> StackDeployment {
        var parameters: [(key: String, value: String)] = []
        for parameter in stack.parameters {
            if let value = try await value(of: parameter.value, for: stack, outputs: outputs, gate: gate) {
                parameters.append((parameter.name, value))
            }
        }
        var deployment = StackDeployment(
            stackName: stack.name, templateBody: stack.templateBody, resourceCount: stack.resourceCount,
            parameters: parameters, tags: stack.tags, capabilities: stack.capabilities, terminationProtection: stack.terminationProtection)
        deployment.revertsDrift = revertsDrift
        deployment.cloudFormationRoleArn = stack.cloudFormationRoleArn
        return deployment
    }

    /// What adopting each repository of the plan that exists outside any stack would do, in the
    /// plan's order; empty when there is none. It only reads. When there is something to adopt,
    /// it first refuses, as `deploy` would, a plan with another app's stack
    /// (`DeployError.foreignStacks`), so that nobody is asked to confirm a deploy that cannot run.
    public func adoptions(_ plan: DeployPlan, keepingRepositoryPolicy: Bool = false) async throws -> [RepositoryAdoption.Plan] {
        var plans: [RepositoryAdoption.Plan] = []
        for stack in plan.stacks where stack.phase == .ecr {
            let clients = try clients(stack.target)
            if let found = try await RepositoryAdoption(ecr: clients.ecr, cloudFormation: clients.cloudFormation).inspect(stack, keepingRepositoryPolicy: keepingRepositoryPolicy) {
                plans.append(found)
            }
        }
        if !plans.isEmpty { try await refuseForeignStacks(plan, outputs: StackOutputs(plan: plan, clients: clients)) }
        return plans
    }

    /// Refuses, reading only, what `deploy` would refuse before it changes anything: a stack
    /// with one of the app's names that is another's (`DeployError.foreignStacks`), and a
    /// repository stack's update that would replace its repository or its policy
    /// (`refuseRepositoryLosses`). For a command that asks questions first (which images to let
    /// expire, which repositories to adopt): nobody is asked to agree to a deploy that cannot run.
    public func refuseWhatTheDeployWould(_ plan: DeployPlan) async throws {
        let described = try await refuseForeignStacks(plan, outputs: StackOutputs(plan: plan, clients: clients))
        try await refuseRepositoryLosses(plan.stacks.filter { $0.phase == .ecr }, described: described, of: plan)
    }

    /// The phase-1 stacks of `plan` whose new lifecycle policy would expire images the current
    /// one keeps (`LifecycleChange`), each image with the environments that run it now, read
    /// before anything changes.
    public func lifecycleChanges(_ plan: DeployPlan) async throws -> [LifecycleChange] {
        var changes: [LifecycleChange] = []
        var running: RunningImages?
        for stack in plan.stacks where stack.phase == .ecr {
            let clients = try clients(stack.target)
            guard var change = try await LifecycleChange.inspect(stack, ecr: clients.ecr, cloudFormation: clients.cloudFormation, revertingDrift: revertsDrift)
            else { continue }
            if !change.expiring.isEmpty {
                if running == nil {
                    let repositories = plan.stacks.compactMap { $0.phase == .ecr ? $0.heldRepository?.name : nil }
                    running = try await RunningImages.read(of: Set(repositories), in: plan, clients: self.clients)
                }
                for index in change.expiring.indices {
                    let image = change.expiring[index].image
                    for environment in running?.of(change.repository) ?? []
                    where environment.digest.map({ $0 == image.imageDigest }) ?? environment.tag.map({ image.imageTags?.contains($0) == true }) ?? false
                        && !change.expiring[index].runsIn.contains(environment.environment)
                    {
                        change.expiring[index].runsIn.append(environment.environment)
                    }
                }
            }
            changes.append(change)
        }
        return changes
    }

    private func deployOne(_ stack: PlannedStack, outputs: StackOutputs, gate: ImageGate.Result?) async throws -> DeployResult {
        do {
            let deployment = try await prepare(stack, outputs: outputs, gate: gate)
            progress.stackStarted(stack)
            return try await deployStarted(stack, deployment, outputs: outputs)
        } catch {
            // What a cancellation stopped (an update left to settle, whose repository settings
            // are at risk, among them) is no failure of the stack's: it carries on.
            if !(error is CancellationError) && !Task.isCancelled { progress.stackFailed(stack, error) }
            throw error
        }
    }

    /// `deployOne` once its progress says it started.
    private func deployStarted(_ stack: PlannedStack, _ deployment: StackDeployment, outputs: StackOutputs) async throws -> DeployResult {
        var deployment = deployment
        let clients = try clients(stack.target)
        if stack.phase == .ecr, let held = stack.heldRepository {
            deployment.repositoryKeeper = RepositoryKeeper(ecr: clients.ecr, repository: held.name, template: stack.template)
        }
        let deployer = StackDeployer(
            cloudFormation: clients.cloudFormation, ecs: clients.ecs, reporter: reporter, timeout: timeout, skipsUnchanged: !force)
        if let adoption = adopting[stack.name] {
            // Import first, as the repository is (CloudFormation imports, it does not change), then
            // update to Berth's template: the second change set makes the changes listed.
            var importing = deployment
            importing.templateBody = adoption.importTemplateBody
            importing.importExistingResources = true
            reporter.message("\(stack.name): step 1 of 2: import the repository as it is")
            _ = try await deployer.deploy(importing)
            reporter.message("\(stack.name): step 2 of 2: update it to Berth's settings")
            let stackOutputs: [String: String]
            do {
                stackOutputs = try await deployer.deploy(deployment).outputs
            } catch {
                // The import stands: the stack holds the repository, with every image, as it was.
                reporter.message(
                    "\(stack.name): step 1 of 2 is done (the stack holds repository \(adoption.repository) as it was, every image kept); "
                        + "step 2 failed: run the same deploy again to update it to Berth's settings, without --adopt")
                throw error
            }
            await outputs.record(stack.name, stackOutputs)
            progress.stackFinished(stack, .created)
            return .created
        }
        let (result, stackOutputs) = try await deployer.deploy(deployment)
        await outputs.record(stack.name, stackOutputs)
        progress.stackFinished(stack, result)
        return result
    }

    private func value(
        of source: ParameterSource, for stack: PlannedStack, outputs: StackOutputs, gate: ImageGate.Result?
    ) async throws -> String? {
        switch source {
        case .stackOutput(let dependency, let output):
            if let value = try await outputs.value(of: output, in: dependency, for: stack.name) { return value }
            // The repository's name and URI are also what the image gate read from ECR.
            if let gate, outputs.isRepository(dependency) {
                if output == OutputName.repositoryUri { return gate.repositoryURI }
                if output == OutputName.repositoryName { return gate.repositoryName }
            }
            throw DeployError.missingOutput(stack: stack.name, dependency: dependency, output: output)
        case .imageGate(.tag):
            return gate?.tag.value
        case .imageGate(.digest):
            return gate.map { $0.pinnedDigest ?? "" }
        case .buildMetadata(let key):
            return buildMetadata[key] ?? gate.flatMap { buildMetadataByTag[$0.tag.value]?[key] } ?? "unknown"
        }
    }
}
