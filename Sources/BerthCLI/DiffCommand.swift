import AWS
import ArgumentParser
import CSystemShims
import CloudFormation
import Deploy
import Foundation
import Resources

/// `berth diff`: what a deploy would change in the deployed stacks, and what it would replace.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a deploy would change in the deployed stacks, and what it would replace.",
        discussion: """
            Examples:
              berth diff --env prod --image-tag prod-20261122-093000-0123abcd
              berth diff --env dev --service api --image-tag api=dev-20261122-093000-0123abcd --json
              berth diff --env prod --security-only --fail
              berth diff --stack shop-api-dev --template deployed.yaml

            Exit codes: 0 compared (with or without differences); 1 differences found, with --fail; \
            2 invalid input; 3 a refused --image-tag; 4 not finished within --timeout; 5 the deployed \
            side could not be read (AWS errors, unreadable --template).
            """)

    enum Method: String, ExpressibleByArgument, CaseIterable {
        /// Berth's own comparison only: no change set.
        case template
        /// Also ask CloudFormation through a change set that is never executed.
        case changeSet = "change-set"
        /// A change set for deployed stacks when CloudFormation allows it; the template comparison otherwise.
        case auto
    }

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "Which phase: ecr, ecs or all.")
    var phase: DeployCommand.PhaseSelection = .all

    @Option(help: "Only this environment's phase-2 stacks (the phase-1 stacks are always included).")
    var env: String?

    @Option(name: .customLong("service"), help: ArgumentHelp("Only this service's stacks (repeatable).", valueName: "name"))
    var services: [String] = []

    @Option(name: .customLong("stack"), help: ArgumentHelp("Only this stack (repeatable).", valueName: "name"))
    var stacks: [String] = []

    @Option(
        name: .customLong("image-tag"),
        help: ArgumentHelp(
            "The image tag a deploy would use, for every service or as SERVICE=TAG; without it, the deployed tag is kept.",
            valueName: "tag"))
    var imageTags: [String] = []

    @Flag(name: .customLong("allow-mutable-tag"), help: "Allow a tag such as latest or main.")
    var allowMutableTag = false

    @Option(help: "How to classify changes: template, change-set or auto.")
    var method: Method = .auto

    @Flag(help: "Exit with status 1 when there are differences.")
    var fail = false

    @Flag(help: "Print a JSON document instead of text (see the README for its fields).")
    var json = false

    @Flag(name: .customLong("security-only"), help: "Show only IAM statement and security-group rule changes.")
    var securityOnly = false

    @Option(help: "Give up after this long (AWS calls and change sets included).")
    var timeout = DurationArgument(.seconds(600))

    @Option(help: ArgumentHelp("Compare with this template file (JSON or YAML) instead of the deployed stack; works offline.", valueName: "file"))
    var template: String?

    func validate() throws {
        if template != nil && method == .changeSet {
            throw ValidationError("--template compares with a file; --method change-set needs the deployed stack")
        }
    }

    func run() async throws {
        guard let context = Berth.context else { return }
        let images = try ImageSelection(imageTags, allowMutable: allowMutableTag)
        let synthesizer = Synthesizer(definition: context.app, configuration: try appOptions.configuration(environment: env))
        let synthesized = try synthesizer.synthesize(environment: nil, stackName: nil, format: .json)
        let plan = try DeployPlan(synthesized: synthesized).selecting(
            .init(phases: phase.phases, environment: env, services: services, stacks: stacks))
        try images.check(against: plan, requiringEveryService: false)
        let rendered = Dictionary(synthesized.rendered.map { ($0.stack.name, $0) }, uniquingKeysWith: { first, _ in first })
        let selected = plan.stacks.compactMap { planned in rendered[planned.name].map { (planned, $0) } }
        var reports: [StackDiffReport] = []
        if let template {
            guard selected.count == 1, let (_, only) = selected.first else {
                throw CommandFailure(
                    .inputError,
                    "--template compares one stack; choose it with --stack (one of \(selected.map(\.0.name).joined(separator: ", ")))")
            }
            let deployed = try Self.readTemplateFile(template)
            let comparison = TemplateComparison(
                deployed: deployed, deployedParameters: nil, proposed: only.stack.template.templateValue,
                proposedParameters: [:], createOnlyProperties: Self.createOnlyProperties)
            reports.append(StackDiffReport(stack: only.stack, source: .file(template), diff: comparison.diff()))
        } else {
            // The stacks are compared at the same time (a change set takes CloudFormation seconds)
            // and reported in the app's order; when several fail, the first stack's error is the
            // one shown. A change set being read when Ctrl-C comes is still deleted: signals only
            // cancel the work.
            reports = try await CommandDeadline.run(
                within: timeout.duration, whenInterrupted: "interrupted; nothing was changed",
                whenTimedOut: "the comparison did not finish within --timeout \(timeout.defaultValueDescription); nothing was changed"
            ) {
                let results = await withTaskGroup(of: (Int, Result<StackDiffReport, any Error>).self) { group in
                    for (index, (planned, rendered)) in selected.enumerated() {
                        let tag = planned.service.flatMap(images.tag(for:))
                        group.addTask {
                            do {
                                return (index, .success(try await compareWithDeployed(rendered, planned: planned, tag: tag, context: context)))
                            } catch {
                                return (index, .failure(error))
                            }
                        }
                    }
                    var results: [(Int, Result<StackDiffReport, any Error>)] = []
                    for await result in group { results.append(result) }
                    return results.sorted { $0.0 < $1.0 }.map(\.1)
                }
                return try results.map { try $0.get() }
            }
        }
        let document = DiffDocument(reports: reports, securityOnly: securityOnly)
        if json {
            context.console.write(document.json.jsonText())
        } else {
            context.console.write(DiffText(usesColor: context.console.usesColor).render(document))
        }
        if let summaryPath = context.environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty {
            do {
                try DiffMarkdown.append(document, to: summaryPath)
            } catch {
                context.warn("could not append to GITHUB_STEP_SUMMARY (\(summaryPath)): \(error)")
            }
        }
        if fail && document.hasDifferences {
            // The differences are the output: nothing more to say.
            throw CommandFailure(.differencesFound, "")
        }
    }

    /// The provider schemas' create-only properties of a type.
    @Sendable static func createOnlyProperties(_ type: String) -> [String]? {
        ResourceCatalog.createOnlyProperties[type]
    }

    /// A local template (JSON or YAML with short-form tags); unreadable is exit status 5.
    static func readTemplateFile(_ path: String) throws -> JSONValue {
        let text = try UserFile.text(path, what: "the template", status: .comparisonFailed)
        let template: JSONValue
        do {
            template = try JSONValue.parseTemplate(text, file: path)
        } catch {
            throw CommandFailure(.comparisonFailed, "the template \(path) is not readable: \(error)")
        }
        if let problem = template.templateShapeProblem {
            throw CommandFailure(.comparisonFailed, "\(path) is not a CloudFormation template: \(problem)")
        }
        return template
    }

    /// Reads the deployed stack (template, parameters, tags) and compares; with a change set too,
    /// when `--method` asks for one.
    private func compareWithDeployed(
        _ rendered: Synthesizer.RenderedStack, planned: PlannedStack, tag: ImageTag?, context: Berth.Context
    ) async throws -> StackDiffReport {
        let stack = rendered.stack
        do {
            let configuration = try awsOptions.configuration(stackRegion: stack.region, context: context, within: timeout.duration)
            let cloudFormation = CloudFormationClient(configuration: configuration)
            var proposedParameters: [String: String] = [:]
            for source in stack.parameterSources {
                if case .imageGate(.tag) = source.value, let tag { proposedParameters[source.name] = tag.value }
            }
            let description = try await cloudFormation.describeStack(stack.name)
            // A stack that never finished its first create is created again by a deploy.
            guard let description, !["REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE"].contains(description.status) else {
                // What phase 1 would pass, so that the image line can name the repository.
                for source in stack.parameterSources {
                    if case .stackOutput(let outputStack, let output) = source.value,
                        let value = try await cloudFormation.describeStack(outputStack)?.outputs[output]
                    {
                        proposedParameters[source.name] = value
                    }
                }
                let comparison = TemplateComparison(
                    deployed: nil, proposed: stack.template.templateValue, proposedParameters: proposedParameters,
                    createOnlyProperties: Self.createOnlyProperties)
                return StackDiffReport(stack: stack, source: .notDeployed(status: description?.status), diff: comparison.diff())
            }
            let body = try await cloudFormation.getTemplate(stackName: stack.name)
            let deployed: JSONValue
            do {
                deployed = try JSONValue.parseTemplate(body, file: "\(stack.name) (deployed template)")
            } catch {
                throw CommandFailure(.comparisonFailed, "the deployed template of \(stack.name) is not readable: \(error)")
            }
            if let problem = deployed.templateShapeProblem {
                throw CommandFailure(.comparisonFailed, "the deployed template of \(stack.name) is not a CloudFormation template: \(problem)")
            }
            let comparison = TemplateComparison(
                deployed: deployed, deployedParameters: description.parameters, proposed: stack.template.templateValue,
                proposedParameters: proposedParameters, createOnlyProperties: Self.createOnlyProperties)
            var diff = comparison.diff()
            var note: String?
            let acceptsChangeSets = StackStateMachine.action(for: description.status) == .update
            if method == .changeSet && !acceptsChangeSets {
                throw CommandFailure(
                    .comparisonFailed, "\(stack.name) is \(description.status): CloudFormation makes no change set for it now; use --method template")
            }
            if method == .auto && !acceptsChangeSets {
                note = "\(stack.name) is \(description.status), so no change set; the template comparison alone"
            } else if method != .template {
                let parameters = comparison.parametersToSend()
                let deployment = StackDeployment(
                    stackName: stack.name, templateBody: rendered.text, resourceCount: stack.template.resources.count,
                    parameters: parameters.values, keepPreviousParameters: parameters.keepPrevious,
                    tags: planned.tags, capabilities: planned.capabilities)
                do {
                    diff = diff.merging(try await ChangeSetPreview(cloudFormation: cloudFormation).changes(for: deployment))
                } catch let error where method == .auto && Self.canFallBack(from: error) {
                    note = "no change set (\(error)); the template comparison alone"
                }
            }
            return StackDiffReport(stack: stack, source: .deployed(status: description.status), diff: diff, note: note)
        } catch let error where Self.isReadFailure(error) {
            throw CommandFailure(.comparisonFailed, "\(stack.name): cannot compare with the deployed stack: \(error)")
        }
    }

    /// Errors after which `--method auto` goes on with the template comparison: no permission
    /// for change sets, or a change set CloudFormation would not make.
    static func canFallBack(from error: any Error) -> Bool {
        switch error {
        case let error as AWSServiceError: error.code.contains("AccessDenied") || error.code == "UnauthorizedOperation"
        case DeployError.changeSetFailed: true
        default: false
        }
    }

    /// Errors that mean the deployed side could not be read (as opposed to wrong input).
    static func isReadFailure(_ error: any Error) -> Bool {
        switch error {
        case DeployError.timedOut: false
        case is AWSServiceError, is TransportError, is UnexpectedResponseError, is PaginationError, is SystemLibraryError, is DeployError:
            true
        default: false
        }
    }
}
