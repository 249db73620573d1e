import BerthAWS
import BerthModel
import BerthTemplate

extension AppDeployer {
    /// For each of `services` whose rule takes a priority on its environment's shared listener
    /// that another stack of this deploy moves its rule away from, the stacks to deploy first
    /// (`ListenerRuleClaims`); throws `ListenerPriorityError` before anything changes when a
    /// priority is held by a rule the deploy does not move. Reads the listener's rules
    /// (DescribeRules) and, only for a priority the listener holds, which stack's rule holds it
    /// (ListStackResources). A listener not deployed yet holds nothing; credentials without
    /// `elasticloadbalancing:DescribeRules` (a deploy role from before Berth read the rules) skip
    /// the check with a warning.
    func listenerRuleOrder(_ services: [PlannedStack], in plan: DeployPlan) async throws -> [String: [String]] {
        // Outputs of its own: what is read of the shared stack before its deploy is not kept for the services'.
        let outputs = StackOutputs(plan: plan, clients: clients)
        var byListener: [(shared: String, stacks: [(stack: PlannedStack, rule: String, priority: Int)])] = []
        for stack in services {
            guard let (shared, rule, priority) = Self.sharedListenerRule(of: stack) else { continue }
            if let index = byListener.firstIndex(where: { $0.shared == shared }) {
                byListener[index].stacks.append((stack, rule, priority))
            } else {
                byListener.append((shared, [(stack, rule, priority)]))
            }
        }
        var after: [String: [String]] = [:]
        var conflicts: [ListenerPriorityError.Conflict] = []
        for (shared, claimants) in byListener {
            guard let first = claimants.first?.stack, let loadBalancing = try clients(first.target).loadBalancing else { continue }
            let listener: String?
            do {
                listener = try await outputs.value(of: OutputName.listenerArn, in: shared, for: first.name)
            } catch DeployError.dependencyNotReady {
                continue  // not deployed yet (no rule to meet), or settling: its own deploy comes first
            }
            guard let listener else { continue }
            let rules: [ElasticLoadBalancingClient.Rule]
            do {
                rules = try await loadBalancing.rules(listenerArn: listener)
            } catch let error as AWSServiceError where error.code.contains("AccessDenied") {
                reporter.message(
                    "warning: cannot read the rules of \(shared)'s listener (\(error.code)): the check that no rule holds the priorities "
                        + "this deploy's rules take is skipped; deploy the bootstrap template again (berth synth --bootstrap), whose deploy "
                        + "role may read them")
                continue
            }
            var held: [Int: String] = [:]
            for rule in rules { if let priority = rule.priority { held[priority] = rule.arn } }
            let wanted = Set(claimants.compactMap { held[$0.priority] })
            guard !wanted.isEmpty else { continue }
            // Whose rules the held ones are: first the claimants' own (a rule that keeps its number
            // is its own stack's), then, for any left, the environment's other service stacks.
            var owners: [String: String] = [:]
            var candidates = claimants.map { ($0.stack, $0.rule) }
            let claimantNames = Set(claimants.map(\.stack.name))
            for stack in plan.app.values.sorted(by: { $0.name < $1.name }) where !claimantNames.contains(stack.name) {
                if let (otherShared, rule, _) = Self.sharedListenerRule(of: stack), otherShared == shared { candidates.append((stack, rule)) }
            }
            for (stack, rule) in candidates where !wanted.isSubset(of: owners.keys) {
                if let arn = try await ruleArn(rule, of: stack), wanted.contains(arn) { owners[arn] = stack.name }
            }
            if !wanted.isSubset(of: owners.keys) {
                // The stack of a service the app no longer has: tagged as the environment's, and not planned.
                owners.merge(try await leftBehindOwners(of: wanted.subtracting(owners.keys), beside: first, in: plan)) { found, _ in found }
            }
            let judgement = ListenerRuleClaims(claims: claimants.map { .init(stack: $0.stack.name, priority: $0.priority) })
                .judge(held: held, owners: owners)
            after.merge(judgement.after) { $0 + $1 }
            conflicts += judgement.conflicts
        }
        guard conflicts.isEmpty else {
            throw ListenerPriorityError(conflicts: conflicts, appStacks: Set(plan.app.keys))
        }
        return after
    }

    /// The shared stack whose listener `stack`'s rule is on (the stack its `ListenerArn`
    /// parameter comes from), the rule's logical ID and its priority; `nil` for a stack with no
    /// rule on a shared listener, or one whose priority is not a number in the template.
    static func sharedListenerRule(of stack: PlannedStack) -> (shared: String, rule: String, priority: Int)? {
        guard stack.phase == .ecs,
            let parameter = stack.parameters.first(where: {
                if case .stackOutput(_, OutputName.listenerArn) = $0.value { true } else { false }
            }),
            case .stackOutput(let shared, _) = parameter.value,
            let resources = stack.template["Resources"]?.members
        else { return nil }
        for member in resources where member.value["Type"]?.stringValue == "AWS::ElasticLoadBalancingV2::ListenerRule" {
            guard let properties = member.value["Properties"], properties["ListenerArn"] == Intrinsic.ref(parameter.name).templateValue,
                case .int(let priority) = properties["Priority"]
            else { continue }
            return (shared, member.key, priority)
        }
        return nil
    }

    /// Which of the app's deployed stacks of `stack`'s environment that the app no longer has
    /// (by their `berth:` tags) holds each of `rules` (rule ARN → stack name): read only when a
    /// priority is held by a rule of none of the app's stacks, to name the stack in the refusal.
    private func leftBehindOwners(of rules: Set<String>, beside stack: PlannedStack, in plan: DeployPlan) async throws -> [String: String] {
        guard let app = stack.appName, let environment = stack.environment else { return [:] }
        let cloudFormation = try clients(stack.target).cloudFormation
        var owners: [String: String] = [:]
        for try await described in cloudFormation.describeStacks()
        where described.tags[StackTags.appKey] == app && described.tags[StackTags.environmentKey] == environment
            && plan.app[described.name] == nil && !described.status.holdsNoResources
        {
            for try await resource in cloudFormation.listStackResources(stackName: described.name)
            where resource.resourceType == "AWS::ElasticLoadBalancingV2::ListenerRule" {
                if let arn = resource.physicalID, rules.contains(arn) { owners[arn] = described.name }
            }
            if rules.isSubset(of: owners.keys) { break }
        }
        return owners
    }

    /// The ARN of the rule `logicalID` of the deployed stack; `nil` when the stack or the rule
    /// does not exist.
    private func ruleArn(_ logicalID: String, of stack: PlannedStack) async throws -> String? {
        do {
            for try await resource in try clients(stack.target).cloudFormation.listStackResources(stackName: stack.name)
            where resource.logicalID == logicalID {
                return resource.physicalID
            }
            return nil
        } catch let error as AWSServiceError where error.code == "ValidationError" && error.message.contains("does not exist") {
            return nil
        }
    }
}
