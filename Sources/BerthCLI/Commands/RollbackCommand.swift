import ArgumentParser
import BerthAWS
import BerthDeploy
import BerthModel
import Foundation

/// `berth rollback`: deploy, per service, the last tag that completed before the current one (or
/// the one named), through the same image gate and change sets as `deploy --phase ecs`.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Deploy each service's previous tag again (the last that completed before the current one), or the one named.",
        discussion: """
            The previous tag is read from the history ECS keeps (berth history: 90 days). A tag the repository's \
            lifecycle policy has already expired is refused, naming it, before anything changes. Rollback prints the \
            tags it will change, then deploys them like deploy --phase ecs: the image gate, then the service stacks' \
            change sets; it does not ask. It runs no job (before-services migrations move forward only) and leaves \
            the jobs' stacks as they are. The commit and build time are those the deploy that first shipped the tag \
            recorded.

            Examples:
              berth rollback --env prod
              berth rollback --env prod --service api
              berth rollback --env prod --to api=prod-20261122-093000-0123abcd

            Exit codes (deploy's): 0 rolled back or nothing to change; 1 a stack failed or rolled back, or an AWS \
            call failed; 2 invalid input (no earlier deploy to go back to, an unknown service), or a stack with one of the \
            app's names that is not the app's, or a listener-rule priority held by a rule the deploy does not move \
            (nothing changed); 3 the image gate \
            refused, or the tag is no way back: expired or expiring from the repository, moved, or every deploy of it \
            failed (nothing changed); 4 not finished within --timeout \
            (CloudFormation carries on); 130 interrupted.
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment.")
    var env: String

    @Option(name: .customLong("service"), help: ArgumentHelp("Only this service (repeatable).", valueName: "name"))
    var services: [String] = []

    @Option(
        name: .customLong("to"),
        help: ArgumentHelp("The tag to go back to, for every service or one: SERVICE=TAG (repeatable).", valueName: "tag"))
    var targets: [String] = []

    // Unconditional: a negative number is the option's value (refused by its range), not a flag.
    @Option(parsing: .unconditional, help: "How many stacks to deploy at the same time (1 to 32).")
    var concurrency = 4

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m), AWS calls and waiting for stacks included (the stacks go on in CloudFormation).")
    var timeout = TimeoutArgument(.seconds(1800))

    @Option(help: ArgumentHelp("Where outputs.json is written.", valueName: "dir"))
    var out = "out"

    func validate() throws {
        guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 32, got \(concurrency)") }
    }

    func run() async throws {
        do {
            try await rollBack()
        } catch let error as RollbackError {
            throw CommandFailure(Berth.exitStatus(for: error) ?? .inputError, "rollback: " + ErrorWording.text(error, deploy: deployCommand))
        }
    }

    /// The deploy of this environment, as it is deployed, that the advice to take a tag on
    /// purpose starts with.
    private var deployCommand: String {
        "berth deploy --phase ecs --env \(env)" + (appOptions.template.map { " --from \($0)" } ?? "")
    }

    /// What rollback says it does to a service: `api: v2 -> v1, commit abc`, or that the tag
    /// named is the one deployed (`--to api=v2` when v2 runs).
    static func line(service: String, deployed: String?, to tag: String, commit: String?) -> String {
        let commit = commit.map { ", commit \($0)" } ?? ""
        return deployed == tag ? "\(service): \(tag) is deployed already\(commit)" : "\(service): \(deployed ?? "-") -> \(tag)\(commit)"
    }

    private func rollBack() async throws {
        let requested: ImageSelection
        do {
            requested = try ImageSelection(targets, allowMutable: false)
        } catch let error as ImageSelectionError {
            throw CommandFailure(Berth.exitStatus(for: error) ?? .inputError, ErrorWording.text(error, flag: "--to"))
        } catch let error as ImageGateError {
            throw CommandFailure(.imageGateRefused, "image gate: " + ErrorWording.rollbackText(error, deploy: deployCommand, targets: targets, services: services))
        }
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env, services: services))
        if case let jobs = session.plan.jobs(among: services), !jobs.isEmpty {
            throw CommandFailure(
                .inputError,
                "--service \(jobs.joined(separator: ", ")): \(jobs.count == 1 ? "a job, not a service" : "jobs, not services"): rollback goes back on services' deploys "
                    + "and leaves the jobs' stacks as they are; name services with --service")
        }
        // The services' stacks and what they stand on; no job's stack, and so no job runs.
        let plan = try session.plan.selecting(
            .init(phases: [.ecs], environment: env, stacks: session.plan.stacks.filter { $0.jobPolicy == nil }.map(\.name)))
        try RollbackChoice.check(requested, services: plan.stacks.compactMap(\.service))
        // --timeout bounds the whole command: the deploy gets what reading the credentials left.
        let deadline = ContinuousClock.now.advanced(by: timeout.duration)
        let clients = try await session.clients(awsOptions, within: timeout.duration, usesRepositories: true)
        let context = session.context
        let github = GitHubActions(environment: context.environment)
        let output = DeployOutput(console: context.console, github: github)
        if let access = try session.accessSummary(of: env) { output.line(access) }
        let started = ContinuousClock.now
        let (concurrency, timeout, template) = (concurrency, max(.zero, ContinuousClock.now.duration(to: deadline)), appOptions.template)
        let underWay = DeployUnderWay()
        let outcome = try await CommandDeadline.run(
            within: timeout,
            whenInterrupted: "interrupted; \(underWay.whatCarriesOn)",
            whenTimedOut: "the rollback did not finish within --timeout \(self.timeout.defaultValueDescription); \(underWay.whatCarriesOn)"
        ) {
            let history = try await DeployHistory.read(plan, limit: nil, clients: clients)
            let choice = try RollbackChoice(history: history, requested: requested)
            // Run again as it was, a rollback would go back from the tags it deploys now.
            // Its own flags kept (the services, the files, the account), with the tags it chose.
            underWay.continues(with: "the same command again with " + choice.imageTagArguments.map { "--to \($0)" }.joined(separator: " "))
            func ecr(_ repository: String) throws -> ECRClient {
                // The history's services are the plan's stacks, so one always deploys from it.
                guard let stack = plan.stacks.first(where: { $0.imageRepository == repository }) else {
                    throw CommandFailure(.failure, "internal error: no stack of the plan deploys from \(repository)")
                }
                return try clients(plan.repositoryTarget(of: stack)).ecr
            }
            let checked = try await choice.checkStillThere(history) { repository, tag in
                let ecr = try ecr(repository)
                guard let digest = try await ecr.describeImage(repository: repository, tag: tag)?.imageDigest else { return nil }
                let described = try await ecr.describeRepositories(names: [repository]).collect().first
                return (digest, described.map { TagMutability($0).tagCanMove(tag) } ?? true)
            } expiring: { repository in
                let ecr = try ecr(repository)
                guard let text = try await ecr.getLifecyclePolicy(repository: repository) else { return [:] }
                let images = try await ecr.checkedImages(of: repository)
                // A policy Berth cannot read (edited by hand) holds nothing up here; `berth images` says so.
                return (try? LifecyclePreview(policyText: text))?.removals(of: images, now: Date()).mapValues(\.priority) ?? [:]
            }
            let provenance = BuildProvenance(currentCommit: nil)
            var byTag: [String: [ParameterSource.BuildMetadata: String]] = [:]
            for service in history.services {
                guard let tag = choice.tags[service.service] else { continue }
                byTag[tag] = provenance.metadata(for: tag, firstShipped: history.firstShipped(tag))
                output.line(Self.line(service: service.service, deployed: service.deployedTag, to: tag, commit: byTag[tag]?[.commitSha]))
            }
            // A tag that can move was compared with the image that ran under it, and the gate
            // must find what was checked: the digest is pinned, and a move in between refused.
            let images = try ImageSelection(choice.imageTagArguments, allowMutable: true).requiring(digests: checked)
            let deployer = AppDeployer(
                clients: clients, reporter: underWay.recording(output.reporter), progress: underWay.recording(output.progress(waitingForImages: .zero)),
                timeout: timeout, concurrency: concurrency, buildMetadataByTag: byTag)
            do {
                return try await deployer.deploy(plan, images: images)
            } catch let error as ListenerPriorityError {
                // The command that deletes a removed service's stack names the preview's template too.
                throw CommandFailure(.inputError, ErrorWording.text(error, previewOf: template))
            }
        }
        try output.finish(
            plan, outcome, started: started, out: out, app: session.synthesized.app.name, environment: env, github: github,
            context: context)
    }
}
