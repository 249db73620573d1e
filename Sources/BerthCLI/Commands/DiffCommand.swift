import BerthAWS
import BerthDiff
import ArgumentParser
import BerthTemplate
import BerthDeploy
import Foundation
import BerthResources

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
              berth diff --env prod --drift --fail

            With --drift, CloudFormation's drift detection also runs on each deployed stack (it changes \
            no resource): every drifted resource's property, expected value and actual value.

            Exit codes: 0 compared (with or without differences); 1 differences or drift found, with --fail; \
            2 invalid input; 3 a refused --image-tag; 4 not finished within --timeout; 5 the deployed \
            side could not be read (AWS errors, unreadable --template, failed drift detection).
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions
    @OptionGroup var build: BuildMetadataOptions

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
    var method: AppDiff.Method = .auto

    @Flag(help: "Exit with status 1 when there are differences (or drift, with --drift).")
    var fail = false

    @Flag(help: "Also run drift detection on the deployed stacks and show what drifted.")
    var drift = false

    @Flag(help: "Print a JSON document instead of text (see the README for its fields).")
    var json = false

    @Flag(name: .customLong("security-only"), help: "Show only IAM statement and security-group rule changes.")
    var securityOnly = false

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m; AWS calls and change sets included).")
    var timeout = TimeoutArgument(.seconds(600))

    @Option(help: ArgumentHelp("Compare with this template file (JSON or YAML) instead of the deployed stack; works offline.", valueName: "file"))
    var template: String?

    func validate() throws {
        if template != nil && method == .changeSet {
            throw ValidationError("--template compares with a file; --method change-set needs the deployed stack")
        }
        if template != nil && drift {
            throw ValidationError("--template compares with a file; --drift needs the deployed stacks")
        }
    }

    func run() async throws {
        let images = try ImageSelection(imageTags, allowMutable: allowMutableTag)
        let session = try AppSession(
            appOptions, environment: env,
            // The selection a deploy with these flags would make, jobs that every deploy runs included.
            selecting: .init(phases: phase.phases, environment: env, services: services, stacks: stacks, includesDeployJobs: true))
        try images.check(against: session.plan, requiringEveryService: false)
        let context = session.context
        let reports: [StackDiffReport]
        var leftBehind: [StackLeftBehind] = []
        if let template {
            guard session.plan.stacks.count == 1, let only = session.plan.stacks.first else {
                throw CommandFailure(
                    .inputError,
                    "--template compares one stack; choose it with --stack (one of \(session.plan.stacks.map(\.name).joined(separator: ", ")))")
            }
            if !imageTags.isEmpty {
                context.warn("--image-tag only checks the tags here: --template compares two templates, with no parameter values to give them")
            }
            reports = [
                AppDiff.report(
                    only, comparedWithFile: try Self.readTemplateFile(template), path: template, createOnlyProperties: Self.createOnlyProperties)
            ]
        } else {
            let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
            do {
                clients = try await session.clients(awsOptions, within: timeout.duration)
            } catch let error where error is TransportError || error is AWSServiceError || error is UnexpectedResponseError || error is SystemLibraryError {
                // Checking the accounts (STS) is reading the deployed side, and so is loading libcurl
                // or libcrypto to make the clients: diff's own status, never 1 (--fail's).
                throw CommandFailure(.comparisonFailed, "cannot compare with the deployed stacks: \(error)")
            }
            // Stacks left behind by a service removed from the files, when whole environments are compared.
            let seeksLeftBehind = services.isEmpty && stacks.isEmpty
            let (plan, method, drift, given) = (session.plan, method, drift, build.given)
            // What the deploy would record of the images' build, worked out as it does; without
            // a tag the deployed values stand.
            if imageTags.isEmpty && !given.isEmpty {
                context.warn("--commit-sha and --build-time go with --image-tag: without a new tag, the deployed values are compared as they are")
            }
            let provenance = imageTags.isEmpty ? BuildProvenance(currentCommit: nil) : build.provenance(context: context, asksGit: true)
            // A change set being read when Ctrl-C comes is still deleted: signals only cancel the work.
            (reports, leftBehind) = try await CommandDeadline.run(
                within: timeout.duration, whenInterrupted: "interrupted; nothing was changed",
                whenTimedOut: "the comparison did not finish within --timeout \(timeout.defaultValueDescription); nothing was changed"
            ) {
                let byTag: [String: [ParameterSource.BuildMetadata: String]]
                do {
                    byTag = try await provenance.metadataByTag(plan, images: images, given: given, clients: clients)
                } catch let error where !(error is CancellationError) {
                    // Reading the deployed side (the history a tag's build is read from): diff's own status, never --fail's.
                    throw CommandFailure(.comparisonFailed, "cannot compare with the deployed stacks: reading what the tags' builds were: \(error)")
                }
                let diff = AppDiff(
                    plan: plan, images: images, method: method, detectsDrift: drift, clients: clients, createOnlyProperties: Self.createOnlyProperties,
                    buildMetadata: given, buildMetadataByTag: byTag)
                let reports = try await diff.reports()
                guard seeksLeftBehind else { return (reports, []) }
                let look = try await diff.lookForLeftBehind()
                if let failure = look.failure { context.warn("could not look for stacks of removed services: \(failure)") }
                return (reports, look.found)
            }
        }
        let document = DiffDocument(reports: reports, securityOnly: securityOnly, leftBehind: leftBehind)
        if json {
            context.console.write(document.json.jsonText())
        } else {
            context.console.write(DiffText(usesColor: context.console.usesColor).render(document))
            // What deletes each: the CLI's words, after the library's.
            for stack in leftBehind {
                // One that names no service is deleted only with its whole environment: no command is offered.
                if let destroy = appOptions.destroyCommand(for: stack) { context.console.write("  \(destroy) deletes \(stack.stack)\n") }
            }
        }
        do {
            try GitHubActions(environment: context.environment).appendSummary(DiffMarkdown.render(document))
        } catch let failure as CommandFailure {
            context.warn(failure.message + "; the comparison above is complete")
        } catch {
            context.warn("could not append to GITHUB_STEP_SUMMARY: \(error)")
        }
        if fail && (document.hasDifferences || document.hasDrift) {
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
        guard text.utf8.count <= TemplateLimits.maxTemplateBytes else {
            throw CommandFailure(
                .comparisonFailed,
                "\(path) is not a CloudFormation template: it has \(text.utf8.count) bytes, over the \(TemplateLimits.maxTemplateBytes) (1 MB) CloudFormation takes")
        }
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
}

extension AppDiff.Method: ExpressibleByArgument {}
