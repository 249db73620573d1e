import BerthAWS
import BerthModel
import BerthTemplate

extension AppDeployer {
    /// For each of `stacks` (the phase-2 stacks of the deploy) whose rule takes a priority on its
    /// environment's shared listener that the rule of another stack of this deploy holds now (a
    /// rule that moves to another number, or goes with its service's move off the shared load
    /// balancer), the stacks to deploy first (`ListenerRuleClaims`); throws
    /// `ListenerPriorityError` before anything changes when a rule the deploy does not move holds
    /// one. Reads the listener's rules (DescribeRules) and, only for a priority the listener
    /// holds, which stack's rule holds it (ListStackResources of the environment's service stacks,
    /// and of the stacks of services the app no longer has). Skipped for a listener not deployed
    /// yet or replaced by this deploy (it holds nothing the new rules meet), without a
    /// load-balancing client, and, with a warning, for credentials without
    /// `elasticloadbalancing:DescribeRules` (a deploy role from before Berth read the rules).
    func listenerRuleOrder(_ stacks: [PlannedStack], in plan: DeployPlan) async throws -> [String: [String]] {
        var byListener: [(shared: String, claimants: [(stack: PlannedStack, priority: Int)])] = []
        for stack in stacks {
            guard let (shared, priority) = Self.sharedListenerRule(of: stack) else { continue }
            if let index = byListener.firstIndex(where: { $0.shared == shared }) {
                byListener[index].claimants.append((stack, priority))
            } else {
                byListener.append((shared, [(stack, priority)]))
            }
        }
        let deploying = Set(stacks.map(\.name))
        var after: [String: [String]] = [:]
        var conflicts: [ListenerPriorityError.Conflict] = []
        var removedServices: [String: ListenerPriorityError.RemovedService] = [:]
        for (shared, claimants) in byListener {
            guard let first = claimants.first?.stack, let loadBalancing = try clients(first.target).loadBalancing else { continue }
            guard let listener = try await deployedListener(of: shared, for: first, in: plan) else { continue }
            let rules: [ElasticLoadBalancingClient.Rule]
            do {
                rules = try await loadBalancing.rules(listenerArn: listener)
            } catch let error as AWSServiceError where error.code.contains("AccessDenied") {
                reporter.warning(.listenerRulesUnreadable(stack: shared, code: error.code))
                continue
            }
            var held: [Int: String] = [:]
            for rule in rules { if let priority = rule.priority { held[priority] = rule.arn } }
            let wanted = Set(claimants.compactMap { held[$0.priority] })
            guard !wanted.isEmpty else { continue }
            if deploying.contains(shared), try await replacesListener(listener, of: shared, in: plan) { continue }
            let (owners, removed) = try await owners(of: wanted, claimants: claimants.map(\.stack), shared: shared, in: plan)
            removedServices.merge(removed) { found, _ in found }
            let judgement = ListenerRuleClaims(claims: claimants.map { .init(stack: $0.stack.name, priority: $0.priority) })
                .judge(held: held, owners: owners, deploying: deploying)
            after.merge(judgement.after) { $0 + $1 }
            conflicts += judgement.conflicts
        }
        conflicts += Self.orderConflicts(after, among: stacks)
        guard conflicts.isEmpty else {
            throw ListenerPriorityError(conflicts: conflicts, appStacks: Set(plan.app.keys), removedServices: removedServices)
        }
        return after
    }

    /// The waits of `after` that no order can keep: the holder waits for the claimant, through
    /// the stacks' own order (`ordering`) and perhaps other rule waits. Rings of rule waits alone
    /// are `ListenerRuleClaims`'s exchanges.
    static func orderConflicts(_ after: [String: [String]], among stacks: [PlannedStack]) -> [ListenerPriorityError.Conflict] {
        let names = Set(stacks.map(\.name))
        var ordering: [String: [String]] = [:]
        for stack in stacks { ordering[stack.name] = stack.ordering.filter(names.contains) }
        /// Whether `start` waits for `target` along a path with at least one edge of the stacks' own order.
        func waits(_ start: String, for target: String) -> Bool {
            var seen: Set<String> = []
            var next = [(start, false)]
            while let (current, throughOrder) = next.popLast() {
                let steps = (ordering[current] ?? []).map { ($0, true) } + (after[current] ?? []).map { ($0, throughOrder) }
                for (stack, viaOrder) in steps {
                    let reached = viaOrder || throughOrder
                    if stack == target {
                        if reached { return true }
                        continue
                    }
                    if seen.insert("\(stack) \(reached)").inserted { next.append((stack, reached)) }
                }
            }
            return false
        }
        return after.keys.sorted().flatMap { stack in
            (after[stack] ?? []).filter { waits($0, for: stack) }.map { ListenerPriorityError.Conflict.order(stack: stack, holder: $0) }
        }
    }

    /// The shared stack whose listener `stack`'s rule is on (the stack its `ListenerArn`
    /// parameter comes from) and the rule's priority; `nil` for a stack with no rule on a shared
    /// listener, or one whose priority is not a number in the template.
    static func sharedListenerRule(of stack: PlannedStack) -> (shared: String, priority: Int)? {
        guard stack.phase == .ecs, let (parameter, shared) = stack.sharedListener, let resources = stack.template["Resources"]?.members
        else { return nil }
        for member in resources where member.value["Type"]?.stringValue == Self.listenerRuleType {
            guard let properties = member.value["Properties"], properties["ListenerArn"] == Intrinsic.ref(parameter).templateValue,
                case .int(let priority) = properties["Priority"]
            else { continue }
            return (shared, priority)
        }
        return nil
    }

    private static let listenerRuleType = "AWS::ElasticLoadBalancingV2::ListenerRule"

    /// The listener `shared` holds as deployed; `nil` when the stack is not deployed, or did not
    /// settle as one that holds it (a failed first create: its own deploy makes it anew, with no
    /// rule to meet). A stack still in progress (a deploy stopped midway, or another one running)
    /// is waited for first: the rules its listener holds once it settles are the ones this
    /// deploy's rules meet. Its outputs are read apart from the deploy's, which read it again
    /// once its own deploy is done.
    private func deployedListener(of shared: String, for claimant: PlannedStack, in plan: DeployPlan) async throws -> String? {
        do {
            return try await StackOutputs(plan: plan, clients: clients).value(of: OutputName.listenerArn, in: shared, for: claimant.name)
        } catch DeployError.dependencyNotReady(_, _, let status?) where StackStatus(status).isInProgress {
            reporter.message("\(shared) is \(status); waiting for it to settle before reading its listener's rules")
            let cloudFormation = try clients(plan.app[shared]?.target ?? claimant.target).cloudFormation
            _ = try await StackDeployer(cloudFormation: cloudFormation, ecs: nil, reporter: reporter, timeout: timeout).settled(shared)
        } catch DeployError.dependencyNotReady {
            return nil
        }
        do {
            return try await StackOutputs(plan: plan, clients: clients).value(of: OutputName.listenerArn, in: shared, for: claimant.name)
        } catch DeployError.dependencyNotReady {
            return nil
        }
    }

    /// Whether this deploy of the shared stack puts its `ListenerArn` output on another listener
    /// than `listener` (with `https:` added or removed, the rules go to the other listener).
    private func replacesListener(_ listener: String, of shared: String, in plan: DeployPlan) async throws -> Bool {
        guard let planned = plan.app[shared], case .string(let logicalID)? = planned.template["Outputs"]?[OutputName.listenerArn]?["Value"]?["Ref"]
        else { return false }
        for try await resource in try clients(planned.target).cloudFormation.listStackResources(stackName: shared)
        where resource.physicalID == listener {
            return resource.logicalID != logicalID
        }
        return false
    }

    /// Which stack's rule each of `rules` (ARNs) is: first the claimants' own (a rule that keeps
    /// its number is its own stack's), read `concurrency` at a time; for any left, the
    /// environment's other service stacks, then the stacks of services the app no longer has
    /// (`removed`: what each was deployed for, by stack name).
    private func owners(
        of rules: Set<String>, claimants: [PlannedStack], shared: String, in plan: DeployPlan
    ) async throws -> (owners: [String: String], removed: [String: ListenerPriorityError.RemovedService]) {
        var owners = try await ruleOwners(claimants, among: rules)
        guard !rules.isSubset(of: owners.keys), let first = claimants.first else { return (owners, [:]) }
        let claimantNames = Set(claimants.map(\.name))
        let others = plan.app.values.filter { stack in
            stack.phase == .ecs && stack.service != nil && stack.environment == first.environment && stack.region == first.region
                && !claimantNames.contains(stack.name) && stack.name != shared
        }.sorted { $0.name < $1.name }
        owners.merge(try await ruleOwners(others, among: rules.subtracting(owners.keys))) { found, _ in found }
        guard !rules.isSubset(of: owners.keys), let app = first.appName, let environment = first.environment else { return (owners, [:]) }
        let cloudFormation = try clients(first.target).cloudFormation
        var removed: [String: ListenerPriorityError.RemovedService] = [:]
        for description in try await LeftBehindStacks.find(app: app, environment: environment, except: Set(plan.app.keys), in: cloudFormation)
        where !rules.isSubset(of: owners.keys) && LeftBehindStacks.isNamedByItsTags(description, app: app, environment: environment) {
            for arn in try await ruleArns(of: description.name, target: first.target) where rules.contains(arn) {
                owners[arn] = description.name
                if let service = description.tags[StackTags.serviceKey] {
                    removed[description.name] = .init(environment: environment, service: service)
                }
            }
        }
        return (owners, removed)
    }

    /// The stack of `stacks` each of `rules` belongs to, reading the stacks `concurrency` at a time.
    private func ruleOwners(_ stacks: [PlannedStack], among rules: Set<String>) async throws -> [String: String] {
        try await withThrowingTaskGroup(of: (String, [String]).self) { group in
            var owners: [String: String] = [:]
            func take(_ result: (String, [String])) {
                for arn in result.1 where rules.contains(arn) { owners[arn] = result.0 }
            }
            for (index, stack) in stacks.enumerated() {
                if index >= concurrency, let result = try await group.next() { take(result) }
                group.addTask { (stack.name, try await self.ruleArns(of: stack.name, target: stack.target)) }
            }
            for try await result in group { take(result) }
            return owners
        }
    }

    /// The ARNs of the listener rules of the deployed stack `name`; none when it does not exist.
    private func ruleArns(of name: String, target: ClientTarget) async throws -> [String] {
        do {
            return try await clients(target).cloudFormation.listStackResources(stackName: name).collect()
                .filter { $0.resourceType == Self.listenerRuleType }.compactMap(\.physicalID)
        } catch let error as AWSServiceError where error.isMissingStack {
            return []
        }
    }
}
