import BerthModel
import BerthAWS
import ArgumentParser
import BerthTemplate
import CBerthShims
import BerthDeploy
import BerthDiff
import Foundation
import BerthResources

/// `berth deploy`: apply the phase-1 (ECR) stacks, then, behind the image gate, the phase-2
/// (ECS) stacks of one environment. The plan and its execution live in `Deploy`; this command
/// parses, calls and prints.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy the image repositories (--phase ecr), an environment's services (--phase ecs), or both (--phase all).",
        discussion: """
            The ECS phase changes nothing until every service's image tag is really in ECR. Stacks that do not \
            depend on each other deploy at the same time; the environment's shared stack goes before its services. \
            Rolling back is deploying an earlier tag (berth rollback chooses it). A job with runOnDeploy: before-services runs, with the deploy's \
            image, after the shared and job stacks and before any service stack changes, when one would change; \
            after-services jobs run once the services are done. Interrupting leaves the stacks to CloudFormation \
            (deploy again to keep waiting), and stops a job's task Berth started.

            A repository that already exists under the name Berth gives it (made by hand, by a script, by another \
            tool) is adopted with --adopt: Berth lists what adopting changes (tag mutability, the lifecycle policy and \
            the images it would expire, scan on push), refuses while any image would expire unless --expire-images N \
            names their number, asks on a terminal (elsewhere it needs --yes), then imports it as \
            it is with a CREATE change set with ImportExistingResources (every image stays), and updates the stack to \
            Berth's template with a second change set. A repository's lifecycle policy that changes (an environment \
            or a service removed, keepImages lowered) is held to the same rule: the images it would expire sooner \
            than the current one are listed, and need --expire-images N.

            With --revert-drift, each stack that exists is updated through a drift-aware change set \
            (DeploymentMode REVERT_DRIFT): resources changed outside CloudFormation (a desired count set in the \
            console, say) get the template's values back. Before it executes, the deploy lists each drifted \
            property with its value now and the value it gets. berth diff --drift shows the drift without changing it.

            Example: berth deploy --phase all --env dev --image-tag dev-20261122-093000-0123abcd
            Example: berth deploy --phase ecs --env prod --service api --image-tag api=prod-20261122-093000-0123abcd --revert-drift

            Exit codes: 0 deployed or nothing to change; 1 a stack failed or rolled back; 2 invalid input, or \
            a repository exists outside any stack and --adopt was not given (or not confirmed), or it cannot be adopted \
            (another stack holds it, its encryption differs, it has a repository policy and no --keep-repository-policy): \
            what adopting would change is listed and nothing changes, or an adopted repository's or a changed \
            lifecycle policy would expire images --expire-images did not agree to, or a change would replace or remove a \
            repository (a new name or KMS key) or replace its own policy, or a stack with one of the app's names is \
            not the app's (its berth:app tag names another app, or it has none, or its berth: tags name another \
            environment or service of the app) and nothing changes (one found only mid-deploy \
            stops the deploy after the stacks before it), or a listener-rule priority on the shared load balancer is held \
            by a rule the deploy does not move (no phase-2 stack changed); 3 the image gate refused (a tag, an image, a signature, \
            or a repository that does not let the environment's account pull; no phase-2 stack changed; with --phase all \
            the repository stacks stay deployed); 4 a stack did not settle, or the deploy did not finish, within \
            --timeout (CloudFormation carries on; a job's task is stopped); 6 a job run before the services failed, no \
            service was changed (or after them: the services stay as deployed); 130 interrupted.
            """)

    enum PhaseSelection: String, ExpressibleByArgument, CaseIterable {
        case ecr, ecs, all

        var phases: Set<Phase> {
            switch self {
            case .ecr: [.ecr]
            case .ecs: [.ecs]
            case .all: [.ecr, .ecs]
            }
        }
    }

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "Which phase: ecr, ecs or all.")
    var phase: PhaseSelection

    @Option(help: "The environment to deploy (for --phase ecs and all).")
    var env: String?

    @Option(
        name: .customLong("image-tag"),
        help: ArgumentHelp("The image tag of every service, or of one: SERVICE=TAG (repeat for each service).", valueName: "tag"))
    var imageTags: [String] = []

    @Option(name: .customLong("service"), help: ArgumentHelp("Only this service's stacks (repeatable).", valueName: "name"))
    var services: [String] = []

    @Option(name: .customLong("stack"), help: ArgumentHelp("Only this stack (repeatable).", valueName: "name"))
    var stacks: [String] = []

    // Unconditional: a negative number is the option's value (refused by its range), not a flag.
    @Option(parsing: .unconditional, help: "How many stacks to deploy at the same time (1 to 32).")
    var concurrency = 4

    @Flag(name: .customLong("allow-mutable-tag"), help: "Allow a tag such as latest or main.")
    var allowMutableTag = false

    @Flag(help: "Make a change set even for a stack that would get exactly what it has.")
    var force = false

    @Flag(
        name: .customLong("revert-drift"),
        help: "Put resources changed outside CloudFormation back to the template's values (drift-aware change sets); shows what it reverts first.")
    var revertDrift = false

    @Option(name: .customLong("wait-for-image"), help: "Wait up to this long for the images to appear in ECR (90s, 10m).")
    var waitForImage = DurationArgument(.zero)

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m), AWS calls and waiting for stacks included (the stacks go on in CloudFormation).")
    var timeout = TimeoutArgument(.seconds(1800))

    @OptionGroup var build: BuildMetadataOptions

    @Flag(help: "Bring a repository that exists outside any stack, under the name Berth gives it, into its phase-1 stack (its images stay).")
    var adopt = false

    @Flag(
        name: .customLong("keep-repository-policy"),
        help: "With --adopt: keep the repository policy of an adopted repository (Berth's template declares none); without it such a repository is refused.")
    var keepRepositoryPolicy = false

    @Flag(help: "With --adopt: adopt without asking (needed when there is no terminal to ask on).")
    var yes = false

    @Option(
        name: .customLong("expire-images"),
        parsing: .unconditional,
        help: ArgumentHelp(
            "Agree that the lifecycle policies this phase-1 deploy puts on (an adopted repository's, or a changed one) expire the N images listed "
                + "(needed when N is not 0; ECR cannot bring them back).",
            valueName: "N"))
    var expireImages: Int?

    @Option(help: ArgumentHelp("Where outputs.json is written.", valueName: "dir"))
    var out = "out"

    func validate() throws {
        if phase != .ecr {
            guard env != nil else { throw ValidationError("--phase \(phase.rawValue) needs --env NAME") }
            guard !imageTags.isEmpty else { throw ValidationError("--phase \(phase.rawValue) needs --image-tag TAG") }
        }
        guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 32, got \(concurrency)") }
        if let expireImages {
            guard expireImages >= 0 else { throw ValidationError("--expire-images must be 0 or more, got \(expireImages)") }
            guard phase != .ecs else { throw ValidationError("--expire-images goes with --phase ecr or all, which change lifecycle policies") }
        }
        if adopt && phase == .ecs {
            throw ValidationError("--adopt goes with --phase ecr or all, which deploy the repository stacks that adopt repositories")
        }
        // A choice only an adoption reads is refused without one: it seems to keep a policy and
        // keeps nothing. (`--yes` answers a question; with none asked it is harmless, as `-y` is.)
        if keepRepositoryPolicy && !adopt {
            throw ValidationError("--keep-repository-policy goes with --adopt: it keeps an adopted repository's policy")
        }
    }

    func run() async throws {
        // --timeout bounds the whole command: each step below gets what is left of it.
        // The time spent waiting for an answer on the terminal is not counted.
        var deadline = ContinuousClock.now.advanced(by: timeout.duration)
        func remaining() -> Duration { max(.zero, ContinuousClock.now.duration(to: deadline)) }
        // Every check that needs no AWS call comes first: nothing changes when one fails.
        let images = try ImageSelection(phase == .ecr ? [] : imageTags, allowMutable: allowMutableTag)
        let session = try AppSession(
            appOptions, environment: env,
            selecting: .init(
                phases: phase.phases, environment: phase == .ecr ? nil : env, services: services, stacks: stacks, includesDeployJobs: true))
        let (context, plan) = (session.context, session.plan)
        // What synth warns about (a job on another service's architecture, a secret's name among
        // plain variables) is said here too: a deploy is where it takes effect.
        let deployed = Set(plan.stacks.map(\.name))
        for warning in session.synthesized.warnings where deployed.contains(warning.stack) { context.warn(warning.text) }
        if phase != .ecr { try session.configuration.checkNewPreviewNames() }
        for (job, minutes) in plan.deployJobs(outlasting: timeout.duration) {
            context.warn(
                "\(job) may run \(minutes) minutes (timeoutMinutes), longer than --timeout \(timeout.defaultValueDescription), which bounds the whole "
                    + "deploy: past it, berth stops the job's task midway; give a --timeout longer than the job and the stacks together")
        }
        if !stacks.isEmpty, case let left = plan.deployJobsLeftOut, !left.isEmpty {
            context.warn(
                "--stack deploys exactly the stacks it names: \(left.joined(separator: ", ")), which run\(left.count == 1 ? "s" : "") on every deploy "
                    + "that changes a service, will not run; to run \(left.count == 1 ? "it" : "them"), name \(left.count == 1 ? "its stack" : "their stacks") "
                    + "with --stack too, or select the services with --service")
        }
        try images.check(against: plan)
        let clients = try await session.clients(awsOptions, within: remaining(), usesRepositories: true)
        let github = GitHubActions(environment: context.environment)
        let output = DeployOutput(console: context.console, github: github)
        if phase != .ecr, let access = try session.accessSummary(of: env) { output.line(access) }
        let started = ContinuousClock.now
        let given = build.given
        let provenance = build.provenance(context: context, asksGit: phase != .ecr)
        let underWay = DeployUnderWay()
        let (reporter, progress) = (underWay.recording(output.reporter), underWay.recording(output.progress(waitingForImages: waitForImage.duration)))
        let policyExpiring = try await lifecycleChanges(plan, clients: clients, output: output, within: remaining())
        let (adopting, answering) = try await adoptions(
            plan, clients: clients, output: output, context: context, alsoExpiring: policyExpiring, within: remaining())
        deadline = deadline.advanced(by: answering)
        let (timeout, concurrency, waitForImage, force, revertDrift, template) = (
            remaining(), concurrency, waitForImage.duration, force, revertDrift, appOptions.template)
        let outcome = try await CommandDeadline.run(
            within: timeout,
            whenInterrupted: "interrupted; \(underWay.whatCarriesOn)",
            whenTimedOut: "the deploy did not finish within --timeout \(self.timeout.defaultValueDescription); \(underWay.whatCarriesOn)"
        ) {
            let byTag = try await provenance.metadataByTag(plan, images: images, given: given, clients: clients)
            let deployer = AppDeployer(
                clients: clients, reporter: reporter, progress: progress, timeout: timeout, concurrency: concurrency,
                waitForImage: waitForImage, buildMetadata: given, buildMetadataByTag: byTag, force: force,
                adopting: Dictionary(adopting.map { ($0.stack, $0) }, uniquingKeysWith: { first, _ in first }), revertsDrift: revertDrift)
            do {
                return try await deployer.deploy(plan, images: images)
            } catch let error as ListenerPriorityError {
                // The command that deletes a removed service's stack names the preview's template too.
                throw CommandFailure(.inputError, ErrorWording.text(error, previewOf: template))
            }
        }
        for adopted in adopting where outcome.results[adopted.stack] != nil {
            output.line("\(adopted.stack): adopted repository \(adopted.repository) (\(adopted.imageCount) image\(adopted.imageCount == 1 ? "" : "s") when inspected; Berth deleted none)")
        }
        try output.finish(
            plan, outcome, started: started, out: out, app: session.synthesized.app.name, environment: phase == .ecr ? nil : env, github: github,
            context: context)
        if services.isEmpty && stacks.isEmpty {
            try await warnOfLeftBehind(plan, clients: clients, context: context, within: remaining())
        }
    }

    /// A deploy of whole environments names the stacks of services removed from the files, which
    /// it leaves running (a scheduled job's schedule still starting its tasks), and what deletes
    /// each; a deploy of the repositories (phase 1) names their repository stacks, which stay
    /// with their images (`RepositoryLeftBehind`). Said, never failing a deploy that is done;
    /// within what is left of --timeout. An interrupt during the look still ends the command as
    /// interrupted (exit 130), saying the deploy is done.
    private func warnOfLeftBehind(
        _ plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients, context: Berth.Context, within limit: Duration
    ) async throws {
        let (environments, repositories) = (phase != .ecr, phase != .ecs)
        let look: (found: [StackLeftBehind], repositories: [RepositoryLeftBehind], failure: String?)
        do {
            look = try await CommandDeadline.run(
                within: limit, whenInterrupted: "interrupted while looking for stacks of removed services; the deploy is done",
                whenTimedOut: "the deploy is done"
            ) {
                // Each look on its own: the environments' stacks and the repositories' may be read
                // with other credentials, and one failing says nothing of the other.
                let stacks: (found: [StackLeftBehind], failure: String?) = environments ? try await LeftBehindStacks.look(in: plan, clients: clients) : ([], nil)
                let held: (found: [RepositoryLeftBehind], failure: String?) =
                    repositories ? try await LeftBehindStacks.listing { try await RepositoryLeftBehind.look(in: plan, clients: clients) } : ([], nil)
                let failures = [stacks.failure, held.failure].compactMap { $0 }
                return (stacks.found, held.found, failures.isEmpty ? nil : failures.joined(separator: "; "))
            }
        } catch let failure as CommandFailure where failure.status == .interrupted {
            throw failure
        } catch {
            return context.warn("could not look for stacks of removed services within --timeout; the deploy is done")
        }
        if let failure = look.failure { context.warn("could not look for stacks of removed services: \(failure)") }
        for stack in look.found {
            context.warn(stack.summary + (appOptions.destroyCommand(for: stack).map { "; \($0) deletes it" } ?? ""))
        }
        for repository in look.repositories { context.warn(repository.summary) }
    }

    /// The phase-1 stacks that adopt an existing repository: none when no repository exists
    /// outside its stack. When one does, a stack of the plan that is another app's is refused
    /// first (as the deploy would refuse it); then, without --adopt, or when one cannot be
    /// adopted, it shows what adopting would change and stops before any change.
    /// `alsoExpiring` images the lifecycle policies of repositories already held would expire
    /// (`lifecycleChanges`) are agreed to with the adoptions' (one `--expire-images`). Returns the
    /// plans, and how long the question on the terminal waited for its answer.
    private func adoptions(
        _ plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients, output: DeployOutput, context: Berth.Context,
        alsoExpiring: (count: Int, running: Int), within limit: Duration
    ) async throws -> (plans: [RepositoryAdoption.Plan], answering: Duration) {
        guard phase != .ecs else { return ([], .zero) }
        let reader = reader(clients: clients, output: output)
        let plans = try await CommandDeadline.run(
            within: limit, whenInterrupted: "interrupted; nothing was changed",
            whenTimedOut: "looking for existing repositories did not finish within --timeout \(timeout.defaultValueDescription); nothing was changed"
        ) { [keepRepositoryPolicy] in try await reader.adoptions(plan, keepingRepositoryPolicy: keepRepositoryPolicy) }
        guard !plans.isEmpty else {
            try requireConsent(toExpiring: alsoExpiring, adopting: 0, context: context)
            return (plans, .zero)
        }
        for found in plans {
            if let holder = found.heldBy {
                output.line("\(found.repository) (\(found.imageCount) image\(found.imageCount == 1 ? "" : "s")) is held by stack \(holder); it cannot be adopted into \(found.stack):")
            } else {
                output.line("\(found.repository) exists outside any stack (\(found.imageCount) image\(found.imageCount == 1 ? "" : "s")); adopting it into \(found.stack):")
            }
            for change in found.changes { output.line("  " + change) }
            if found.changes.isEmpty { output.line("  nothing about the repository changes") }
            for refusal in found.refusals { output.line("  refused: " + refusal) }
            if let advice = ErrorWording.policyAdvice(found.repositoryPolicy) { output.line("  (\(advice))") }
        }
        guard adopt, plans.allSatisfy(\.canAdopt) else { throw AdoptionRefusal(plans: plans, adoptRequested: adopt) }
        try requireConsent(toExpiring: alsoExpiring, adopting: plans.map(\.expiring).reduce(0, +), context: context)
        output.line(
            "steps for each: 1. a CREATE change set with ImportExistingResources and the repository declared as it is now: "
                + "its planned change is Import, executed and waited for (the repository and its images stay; DeletionPolicy Retain); "
                + "2. an UPDATE change set to Berth's template: its planned changes are the ones above, executed and waited for")
        if !yes {
            let names = plans.map(\.repository).joined(separator: ", ")
            guard context.console.isInteractive else {
                throw CommandFailure(.inputError, "adopting \(names) needs --yes when there is no terminal to ask on; nothing was changed")
            }
            context.console.write("Adopt \(names)? Type yes to confirm: ")
            let asked = ContinuousClock.now
            guard context.console.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                throw CommandFailure(.inputError, "not confirmed; nothing was changed")
            }
            return (plans, asked.duration(to: .now))
        }
        return (plans, .zero)
    }

    /// Lists the repositories whose changed lifecycle policy would expire images the current one
    /// keeps, and returns how many; refused when that cannot be worked out for one of them.
    private func lifecycleChanges(
        _ plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients, output: DeployOutput, within limit: Duration
    ) async throws -> (count: Int, running: Int) {
        guard phase != .ecs else { return (0, 0) }
        let reader = reader(clients: clients, output: output)
        let changes = try await CommandDeadline.run(
            within: limit, whenInterrupted: "interrupted; nothing was changed",
            whenTimedOut: "reading the repositories' images did not finish within --timeout \(timeout.defaultValueDescription); nothing was changed"
        ) {
            // What the deploy would refuse is refused before anyone is asked about images.
            try await reader.refuseWhatTheDeployWould(plan)
            return try await reader.lifecycleChanges(plan)
        }
        for change in changes {
            if let problem = change.problem {
                throw CommandFailure(.inputError, "\(change.repository) (\(change.stack)): \(problem); nothing was changed")
            }
            let count = change.expiring.count
            output.line(
                "\(change.repository): the lifecycle policy \(change.stack) puts on would expire \(count) image\(count == 1 ? "" : "s") the current one keeps, or keeps longer:")
            for expiring in change.expiring {
                let tags = expiring.image.imageTags.map { $0.isEmpty ? "untagged" : $0.joined(separator: ", ") } ?? "untagged"
                let runs = expiring.runsIn.isEmpty
                    ? "" : "; it runs in \(expiring.runsIn.joined(separator: ", ")) now, whose new tasks could not pull it once it expires"
                output.line("  \(expiring.image.imageDigest) (\(tags)) by rule \(expiring.rule.priority)\(runs)")
            }
        }
        let expiring = changes.flatMap(\.expiring)
        return (expiring.count, expiring.filter { !$0.runsIn.isEmpty }.count)
    }

    /// A deployer that only reads, for what the deploy checks before it changes anything (with
    /// --revert-drift, the deploy puts a template's lifecycle policy back over a hand edit).
    private func reader(clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients, output: DeployOutput) -> AppDeployer {
        AppDeployer(
            clients: clients, reporter: output.reporter, progress: output.progress(waitingForImages: .zero), concurrency: concurrency,
            revertsDrift: revertDrift)
    }

    /// Images a lifecycle policy would expire are lost only when agreed to by their number: a
    /// `--yes` written into a script once agrees to nothing more. A number given when nothing
    /// expires is let through with a warning: the images it agreed to lose are kept.
    /// `changed.running` of the images the changed policies expire run in an environment now.
    private func requireConsent(toExpiring changed: (count: Int, running: Int), adopting: Int, context: Berth.Context) throws {
        let expiring = changed.count + adopting
        if expiring == 0, let expireImages, expireImages > 0 {
            context.warn("--expire-images \(expireImages) was given, but no lifecycle policy this deploy puts on expires any image")
        }
        guard expiring > 0 && expireImages != expiring else { return }
        let given = expireImages.map { "--expire-images \($0) was given, and " } ?? ""
        let what = adopting > 0 && changed.count > 0 ? "adopting, and the changed lifecycle policies," : adopting > 0 ? "adopting" : "this deploy"
        let running = changed.running == 0 ? "" : changed.running == expiring ? ", every one running now" : ", \(changed.running) of them running now"
        throw CommandFailure(
            .inputError,
            "\(given)\(what) would let Berth's lifecycle policy expire \(expiring) image\(expiring == 1 ? "" : "s") (listed above\(running)) within a day, "
                + "and ECR cannot bring them back; nothing was changed. To keep them, raise lifecycle.keepImages, or tag the ones you need "
                + "(an untagged image expires after a day), until none is listed; to \(adopting > 0 ? "adopt" : "deploy") anyway, add --expire-images \(expiring)")
    }
}
