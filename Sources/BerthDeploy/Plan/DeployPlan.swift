import BerthModel

/// Which stacks of an app a command works on, and in which order they deploy: the one value
/// that `deploy` and `diff` read.
///
/// A stack deploys after the stacks whose outputs it takes (a service after its environment's
/// shared stack and its repository) and after the stacks it is told to follow (`deployAfter`: a
/// service after the Service Connect servers it calls); stacks that do not depend on each other
/// deploy at the same time. Dependencies outside the selection are read from CloudFormation as
/// they are.
public struct DeployPlan: Sendable {
    /// The selected stacks, in the app's order.
    public let stacks: [PlannedStack]
    /// Every stack of the app by name, selected or not: where dependencies' outputs are defined.
    public let app: [String: PlannedStack]

    /// A plan of every stack of the app.
    public init(stacks: [PlannedStack]) {
        self.stacks = stacks
        self.app = Dictionary(stacks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private init(stacks: [PlannedStack], app: [String: PlannedStack]) {
        self.stacks = stacks
        self.app = app
    }

    /// The app's services, sorted.
    public var services: [String] { Set(app.values.compactMap(\.service)).sorted() }

    /// The names among `services` that are the app's jobs: what acts on services' deploys
    /// (history, rollback) has nothing to do for them.
    public func jobs(among services: [String]) -> [String] {
        let jobs = Set(app.values.filter { $0.jobPolicy != nil }.compactMap(\.service))
        return services.filter(jobs.contains)
    }

    /// The jobs that run on every deploy of their environment (`runOnDeploy`) which this plan
    /// leaves out, though it holds a service stack of that environment: a selection of exact
    /// stacks (`--stack`) does not bring them in. Sorted.
    public var deployJobsLeftOut: [String] {
        let selected = Set(stacks.map(\.name))
        let environments = Set(stacks.filter { $0.phase == .ecs && $0.service != nil && $0.jobPolicy == nil }.compactMap(\.environment))
        return app.values.filter { stack in
            stack.jobPolicy?.runOnDeploy != nil && stack.environment.map(environments.contains) == true && !selected.contains(stack.name)
        }.map(\.name).sorted()
    }

    /// The jobs of this plan that a deploy runs (`runOnDeploy`) and that may run longer than
    /// `limit`, which bounds the whole deploy: past it, berth stops the job's task midway. With
    /// their `timeoutMinutes`, sorted by name.
    public func deployJobs(outlasting limit: Duration) -> [(job: String, minutes: Int)] {
        stacks.compactMap { stack -> (job: String, minutes: Int)? in
            guard let policy = stack.jobPolicy, policy.runOnDeploy != nil, let job = stack.service,
                Duration.seconds(policy.timeoutMinutes * 60) > limit
            else { return nil }
            return (job, policy.timeoutMinutes)
        }.sorted { $0.job < $1.job }
    }

    /// The app's environments, sorted.
    public var environments: [String] { Set(app.values.compactMap(\.environment)).sorted() }

    /// The selected stacks in deploy order: each group depends only on earlier groups, so the
    /// stacks of one group can deploy at the same time. Stacks in a cycle (which Berth never
    /// makes) come last, one group each.
    public var waves: [[String]] {
        let selected = Set(stacks.map(\.name))
        var placed: Set<String> = []
        // Each stack with the selected stacks it waits for, worked out once.
        var remaining = stacks.map { stack in (name: stack.name, waitsFor: stack.ordering.filter(selected.contains)) }
        var waves: [[String]] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { stack in stack.waitsFor.allSatisfy(placed.contains) }
            let wave = ready.isEmpty ? [remaining[0].name] : ready.map(\.name)
            waves.append(wave)
            placed.formUnion(wave)
            remaining.removeAll { placed.contains($0.name) }
        }
        return waves
    }

    /// What a command selects.
    public struct Selection: Sendable, Hashable {
        public var phases: Set<Phase>
        /// The environment of the phase-2 stacks (every environment when `nil`); phase-1 stacks belong to none.
        public var environment: String?
        /// Only these services' stacks (and their environment's shared stack); all when empty.
        public var services: [String]
        /// Only these stacks; all that the rest selects when empty.
        public var stacks: [String]
        /// With `services`: also the jobs of their environments that a deploy runs (a deploy of
        /// some services still runs the environment's migration), and the jobs on their images
        /// (which take their tags); a job on the image of a service left out is refused.
        public var includesDeployJobs: Bool

        public init(
            phases: Set<Phase>, environment: String?, services: [String] = [], stacks: [String] = [], includesDeployJobs: Bool = false
        ) {
            self.phases = phases
            self.environment = environment
            self.services = services
            self.stacks = stacks
            self.includesDeployJobs = includesDeployJobs
        }
    }

    /// The stacks `selection` names; an unknown environment, service or stack is an error that
    /// lists the ones there are.
    public func selecting(_ selection: Selection) throws(PlanError) -> DeployPlan {
        if let environment = selection.environment, !environments.contains(environment) {
            throw PlanError("no environment \(environment); the app has \(environments.joined(separator: ", "))")
        }
        let unknownServices = selection.services.filter { !services.contains($0) }
        guard unknownServices.isEmpty else {
            throw PlanError(
                "no service \(unknownServices.joined(separator: ", ")); the app has \(services.joined(separator: ", "))")
        }
        var chosen = stacks.filter { stack in
            guard selection.phases.contains(stack.phase) else { return false }
            if stack.phase == .ecs, let environment = selection.environment, stack.environment != environment { return false }
            guard !selection.services.isEmpty else { return true }
            // A service's stacks, and the shared stack of its environment that it stands on.
            return stack.service.map(selection.services.contains) ?? true
        }
        if !selection.services.isEmpty && selection.phases.contains(.ecs) {
            // A deploy of some services still runs their environment's jobs that run on every
            // deploy (of a service: a selection of jobs alone changes none, and runs none), and
            // moves the jobs on their images (a scheduled job on the API's) with them: such a job
            // takes its service's tag.
            let environments: Set<String> =
                selection.includesDeployJobs ? Set(chosen.filter { $0.phase == .ecs && $0.service != nil }.compactMap(\.environment)) : []
            let changingServices = Set(chosen.filter { $0.phase == .ecs && $0.service != nil && $0.jobPolicy == nil }.compactMap(\.environment))
            let deployJobs = stacks.filter { stack in
                guard let policy = stack.jobPolicy, let environment = stack.environment, environments.contains(environment),
                    !chosen.contains(where: { $0.name == stack.name })
                else { return false }
                return (changingServices.contains(environment) && policy.runOnDeploy != nil) || stack.borrowedImageOf.map(selection.services.contains) == true
            }
            chosen = stacks.filter { stack in chosen.contains { $0.name == stack.name } || deployJobs.contains { $0.name == stack.name } }
            // A job on another service's image runs that service's new code (its migrations, its
            // smoke test): with that service left as it is, the two would disagree (about the
            // schema, say), and the job's stack would hold a tag its service does not run, for
            // its next run. (A --stack selection is checked below, once narrowed.)
            if selection.includesDeployJobs && selection.stacks.isEmpty {
                for job in chosen where job.jobPolicy != nil {
                    guard let borrowed = job.borrowedImageOf, !selection.services.contains(borrowed), let name = job.service else { continue }
                    let imageStack = stacks.first { $0.environment == job.environment && $0.service == borrowed && $0.jobPolicy == nil }
                    throw PlanError(
                        .init(
                            job: name, imageOf: borrowed, runOnDeploy: job.jobPolicy?.runOnDeploy, selectedServices: selection.services,
                            jobStack: job.name, imageStack: imageStack?.name ?? borrowed))
                }
            }
            let needed = Set(chosen.filter { $0.service != nil }.flatMap(\.dependencies))
            chosen.removeAll { $0.service == nil && !needed.contains($0.name) }
        }
        if !selection.stacks.isEmpty {
            for name in selection.stacks where !chosen.contains(where: { $0.name == name }) {
                guard let stack = app[name] else {
                    throw PlanError("no stack \(name); the app has \(stacks.map(\.name).joined(separator: ", "))")
                }
                throw PlanError(
                    "stack \(name) is not among the stacks selected (\(stack.phase.name)\(stack.environment.map { " stack of environment \($0)" } ?? " stack")); "
                        + "the selection holds \(chosen.map(\.name).joined(separator: ", "))")
            }
            chosen.removeAll { !selection.stacks.contains($0.name) }
            // A job stack named with --stack runs its job before the services it is deployed with:
            // on another service's image, that service must be deployed with it.
            for job in chosen where job.jobPolicy?.runOnDeploy == .beforeServices {
                guard let borrowed = job.borrowedImageOf, let name = job.service,
                    !chosen.contains(where: { $0.environment == job.environment && $0.service == borrowed && $0.jobPolicy == nil }),
                    chosen.contains(where: { $0.environment == job.environment && $0.service != nil && $0.jobPolicy == nil })
                else { continue }
                let imageStack = stacks.first { $0.environment == job.environment && $0.service == borrowed && $0.jobPolicy == nil }
                throw PlanError(
                    .init(
                        job: name, imageOf: borrowed, runOnDeploy: .beforeServices, selectedServices: nil, jobStack: job.name,
                        imageStack: imageStack?.name ?? borrowed))
            }
        }
        guard !chosen.isEmpty else {
            // A job on another service's image has no repository stack of its own.
            let borrowing = selection.services.compactMap { name in
                stacks.lazy.compactMap { stack in stack.service == name ? stack.borrowedImageOf.map { "\(name) runs \($0)'s image, in \($0)'s repository" } : nil }.first
            }
            throw PlanError("the selection holds no stack" + (borrowing.isEmpty ? "" : ": " + borrowing.joined(separator: "; ")))
        }
        return DeployPlan(stacks: chosen, app: app)
    }

    /// The services whose images the selected stacks run, in order.
    public var imageServices: [String] {
        var seen: Set<String> = []
        return stacks.filter { $0.imageRepository != nil }.compactMap(\.imageService).filter { seen.insert($0).inserted }
    }

    /// The jobs that run another service's image, with that service: they take its tag.
    public var borrowedImages: [String: String] {
        var found: [String: String] = [:]
        for stack in app.values {
            if let service = stack.service, let source = stack.borrowedImageOf { found[service] = source }
        }
        return found
    }
}
