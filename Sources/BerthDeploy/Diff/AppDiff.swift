import BerthDiff
import BerthAWS
import BerthModel
import BerthTemplate

/// The diff action: compares what a deploy would send with what is deployed, stack by stack,
/// and returns one report per stack in the plan's order. It reads; it never changes a stack (a
/// change set it makes is never executed, and is deleted).
public struct AppDiff: Sendable {
    /// How changes are classified.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Berth's own comparison only: no change set.
        case template
        /// Also ask CloudFormation through a change set that is never executed.
        case changeSet = "change-set"
        /// A change set for deployed stacks when CloudFormation allows it; the template comparison otherwise.
        case auto
    }

    let plan: DeployPlan
    let images: ImageSelection
    let method: Method
    /// Whether to run drift detection on each deployed stack too.
    let detectsDrift: Bool
    let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    /// The provider schemas' create-only properties of a resource type.
    let createOnlyProperties: @Sendable (String) -> [String]?
    /// The build's commit and time as given (`--commit-sha`, `--build-time`), and by tag where
    /// they do not say (`BuildProvenance.metadataByTag`): what the deploy would record.
    let buildMetadata: [ParameterSource.BuildMetadata: String]
    let buildMetadataByTag: [String: [ParameterSource.BuildMetadata: String]]

    public init(
        plan: DeployPlan, images: ImageSelection, method: Method, detectsDrift: Bool = false,
        clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients,
        createOnlyProperties: @escaping @Sendable (String) -> [String]?,
        buildMetadata: [ParameterSource.BuildMetadata: String] = [:],
        buildMetadataByTag: [String: [ParameterSource.BuildMetadata: String]] = [:]
    ) {
        self.buildMetadata = buildMetadata
        self.buildMetadataByTag = buildMetadataByTag
        self.detectsDrift = detectsDrift
        self.plan = plan
        self.images = images
        self.method = method
        self.clients = clients
        self.createOnlyProperties = createOnlyProperties
    }

    /// The reports of every stack of the plan, in its order. The stacks are compared at the same
    /// time (a change set takes CloudFormation seconds); when several fail, the first stack's
    /// error is the one thrown.
    public func reports() async throws -> [StackDiffReport] {
        let results = await withTaskGroup(of: (Int, Result<StackDiffReport, any Error>).self) { group in
            for (index, stack) in plan.stacks.enumerated() {
                group.addTask { (index, await Result { try await compareWithDeployed(stack) }) }
            }
            // In the plan's order, whichever comes back first.
            var results = [Result<StackDiffReport, any Error>?](repeating: nil, count: plan.stacks.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        return try zip(plan.stacks, results).map { stack, result in
            // Each child answers for its own index: one missing is a broken task group, never a
            // stack left out of the comparison.
            guard let result else { throw DiffError.notCompared(stack: stack.name) }
            return try result.get()
        }
    }

    /// The plan's environments' stacks of services the app no longer has (`LeftBehindStacks.look`).
    public func lookForLeftBehind() async throws -> (found: [StackLeftBehind], failure: String?) {
        try await LeftBehindStacks.look(in: plan, clients: clients)
    }

    /// Compares `stack` with a template read from a file (`path`), offline.
    public static func report(
        _ stack: PlannedStack, comparedWithFile template: JSONValue, path: String, createOnlyProperties: @escaping @Sendable (String) -> [String]?
    ) -> StackDiffReport {
        let comparison = TemplateComparison(
            deployed: template, deployedParameters: nil, proposed: stack.template, proposedParameters: [:],
            createOnlyProperties: createOnlyProperties)
        return StackDiffReport(stack: stack, source: .file(path), diff: comparison.diff())
    }

    /// Reads the deployed stack (template, parameters, tags) and compares; with a change set too,
    /// when the method asks for one.
    func compareWithDeployed(_ stack: PlannedStack) async throws -> StackDiffReport {
        do {
            let cloudFormation = try clients(stack.target).cloudFormation
            var proposedParameters: [String: String] = [:]
            // A job runs its service's image: `--image-tag api=…` is the migration's tag too, as
            // in the deploy.
            let tag = stack.imageService.flatMap(images.tag(for:))
            let tagParameter = stack.parameters.first { if case .imageGate(.tag) = $0.value { true } else { false } }?.name
            let digestParameter = stack.parameters.first { if case .imageGate(.digest) = $0.value { true } else { false } }?.name
            if let tag, let tagParameter { proposedParameters[tagParameter] = tag.value }
            // With a tag, the build's commit and time the deploy would record with it.
            if let tag {
                for parameter in stack.parameters {
                    guard case .buildMetadata(let key) = parameter.value else { continue }
                    proposedParameters[parameter.name] = buildMetadata[key] ?? buildMetadataByTag[tag.value]?[key] ?? "unknown"
                }
            }
            let description = try await cloudFormation.describeStack(stack.name)
            // Said first, whatever the stack's status; no change set or drift detection on it.
            let foreign = description.flatMap { StackOwnership.foreign($0, tags: stack.tags) }
            let foreignNote = foreign.map {
                "\($0)\($0.isOtherApps ? ", so it is not this app's" : ""): deploy refuses to change it; the template comparison alone"
            }
            // A stack that never finished its first create is created again by a deploy.
            guard let description, description.status.holdsDeployment else {
                // What phase 1 would pass, so that the image line can name the repository.
                for parameter in stack.parameters {
                    if case .stackOutput(let outputStack, let output) = parameter.value,
                        let value = try await self.output(output, of: outputStack, for: stack)
                    {
                        proposedParameters[parameter.name] = value
                    }
                }
                if tag != nil, let digestParameter { proposedParameters[digestParameter] = "" }
                let comparison = TemplateComparison(
                    deployed: nil, proposed: stack.template, proposedParameters: proposedParameters, createOnlyProperties: createOnlyProperties)
                return StackDiffReport(
                    stack: stack, source: .notDeployed(status: description?.status.name), diff: comparison.diff(),
                    note: await adoptionNote(stack, deployed: description) ?? foreignNote)
            }
            // Each parameter from another stack's output takes what the deploy would pass: the
            // output as it is now (the shared stack redeployed with a new listener, say), each
            // stack read once; one not readable keeps its deployed value.
            var outputsOf: [String: [String: String]] = [:]
            for parameter in stack.parameters {
                guard case .stackOutput(let outputStack, let output) = parameter.value else { continue }
                if outputsOf[outputStack] == nil { outputsOf[outputStack] = try await self.outputs(of: outputStack, for: stack) }
                if let value = outputsOf[outputStack]?[output] { proposedParameters[parameter.name] = value }
            }
            if let tag, let digestParameter {
                proposedParameters[digestParameter] = try await digest(of: tag, for: stack)
            }
            let deployed = try Self.readDeployedTemplate(try await cloudFormation.getTemplate(stackName: stack.name), of: stack.name)
            let comparison = TemplateComparison(
                deployed: deployed, deployedParameters: description.parameters, proposed: stack.template,
                proposedParameters: proposedParameters, createOnlyProperties: createOnlyProperties)
            var diff = comparison.diff()
            var note = foreignNote
            let acceptsChangeSets = description.status.acceptsChangeSets
            // No change set is ever made on a stack that is not the app's.
            if foreign == nil {
                if method == .changeSet && !acceptsChangeSets {
                    throw DiffError.noChangeSetNow(stack: stack.name, status: description.status.name)
                } else if method == .auto && !acceptsChangeSets {
                    note = "\(stack.name) is \(description.status), so no change set; the template comparison alone"
                } else if method != .template {
                    let parameters = comparison.parametersToSend()
                    var deployment = StackDeployment(
                        stackName: stack.name, templateBody: stack.templateBody, resourceCount: stack.resourceCount,
                        parameters: parameters.values, keepPreviousParameters: parameters.keepPrevious, tags: stack.tags,
                        capabilities: stack.capabilities)
                    deployment.cloudFormationRoleArn = stack.cloudFormationRoleArn
                    do {
                        let preview = try await ChangeSetPreview(cloudFormation: cloudFormation).preview(for: deployment)
                        diff = diff.merging(preview.changes)
                        if let leftBehind = preview.leftBehind { note = "\(leftBehind)" }
                    } catch let error where method == .auto && Self.canFallBack(from: error) {
                        note = "no change set (\(error)); the template comparison alone"
                    } catch let failure as ChangeSetPreview.Failure where method == .auto && Self.canFallBack(from: failure.cause) {
                        note = "no change set (\(failure.cause)); the template comparison alone; \(failure.leftBehind)"
                    }
                }
            }
            var report = StackDiffReport(stack: stack, source: .deployed(status: description.status.name), diff: diff, note: note)
            if detectsDrift && foreign == nil {
                report.drift = try await DriftDetection(cloudFormation: cloudFormation).detect(stackName: stack.name)
            }
            return report
        } catch let error where Self.isReadFailure(error) {
            throw DiffError.deployedSideUnreadable(stack: stack.name, reason: "\(error)")
        }
    }

    /// Output `output` of `outputStack`, read where that stack is (the repositories' account and
    /// region for a phase-1 stack), with its credentials, as a deploy of `stack` reads it.
    private func output(_ output: String, of outputStack: String, for stack: PlannedStack) async throws -> String? {
        try await outputs(of: outputStack, for: stack)[output]
    }

    /// For a repository stack that does not exist, whose repository does (made outside any
    /// stack): the deploy adopts it, which the comparison with no stack does not show. A
    /// repository that cannot be read (missing, or no ECR rights) leaves the note out.
    private func adoptionNote(_ stack: PlannedStack, deployed: StackDescription?) async -> String? {
        guard deployed == nil, stack.phase == .ecr, let repository = stack.heldRepository?.name,
            let found = try? await clients(stack.target).ecr.describeRepositories(names: [repository]).collect(), !found.isEmpty
        else { return nil }
        return "repository \(repository) exists outside any stack: a deploy of phase 1 adopts it into \(stack.name), with its images, "
            + "once agreed to, and lists then what adopting changes; this compares the template with no stack"
    }

    /// The outputs of `outputStack`, read as `output(_:of:for:)` reads one; none when it is not deployed.
    private func outputs(of outputStack: String, for stack: PlannedStack) async throws -> [String: String] {
        try await clients(plan.app[outputStack]?.target ?? stack.target).cloudFormation.describeStack(outputStack)?.outputs ?? [:]
    }

    /// The digest the deploy would pin for `tag`, as the gate decides it: the digest ECR gives
    /// the tag now when the stack requires signatures (the verified digest is pinned) or the
    /// repository lets the tag move (a moved `latest` is a change); else none, and the image is
    /// compared by its tag. A tag ECR does not have yet is compared by its tag too.
    private func digest(of tag: ImageTag, for stack: PlannedStack) async throws -> String {
        guard let repository = stack.imageRepository else { return "" }
        let ecr = try clients(plan.repositoryTarget(of: stack)).ecr
        guard let image = try await ecr.describeImage(repository: repository, tag: tag.value) else { return "" }
        if stack.signatures != nil { return image.imageDigest }
        let described = try await ecr.describeRepositories(names: [repository]).collect().first
        return described.map { TagMutability($0).tagCanMove(tag.value) } == true ? image.imageDigest : ""
    }

    /// The deployed template, as GetTemplate returned it (JSON, or YAML with short-form tags).
    static func readDeployedTemplate(_ body: String, of stack: String) throws -> JSONValue {
        guard body.utf8.count <= TemplateLimits.maxTemplateBytes else {
            throw DiffError.deployedSideUnreadable(
                stack: stack, reason: "the deployed template has \(body.utf8.count) bytes, over the \(TemplateLimits.maxTemplateBytes) (1 MB) CloudFormation takes")
        }
        let deployed: JSONValue
        do {
            deployed = try JSONValue.parseTemplate(body, file: "\(stack) (deployed template)")
        } catch {
            throw DiffError.deployedSideUnreadable(stack: stack, reason: "the deployed template is not readable: \(error)")
        }
        if let problem = deployed.templateShapeProblem {
            throw DiffError.deployedSideUnreadable(stack: stack, reason: "the deployed template is not a CloudFormation template: \(problem)")
        }
        return deployed
    }

    /// Errors after which `auto` goes on with the template comparison: no permission for change
    /// sets, or a change set CloudFormation would not make.
    static func canFallBack(from error: any Error) -> Bool {
        switch error {
        // A parameter the deployed stack lacks and CloudFormation wants (ValidationError "must
        // have values"): the template comparison still says what changes. Other ValidationErrors
        // (a role that cannot be assumed, a template refused) are the deploy's too, and fail.
        case let error as AWSServiceError:
            error.code.contains("AccessDenied") || error.code == "UnauthorizedOperation"
                || error.code == "ValidationError" && error.message.contains("must have values")
        case DeployError.changeSetFailed: true
        default: false
        }
    }

    /// Errors that mean the deployed side could not be read (as opposed to wrong input, or the
    /// deadline, which keep their own meaning).
    static func isReadFailure(_ error: any Error) -> Bool {
        switch error {
        case DeployError.timedOut, is DiffError, is DriftError: false
        case let failure as ChangeSetPreview.Failure: isReadFailure(failure.cause)
        case is AWSServiceError, is TransportError, is UnexpectedResponseError, is PaginationError, is SystemLibraryError, is DeployError:
            true
        default: false
        }
    }
}
