import BerthTemplate

/// The construct half of a service's rollout (`FargateService.Rollout` is the settings half):
/// the deployment configuration ECS deploys with, the `TrafficShift` for a strategy other than
/// rolling, and what AWS would refuse about the rollout's settings.
///
/// A `LoadBalancerAttachment` asks it for the traffic shift and the test listener's port; the
/// `ECSService` for the deployment configuration.
struct ServiceRollout {
    /// The strategy, bake times, steps, alarms and test port.
    let rollout: FargateService.Rollout
    /// The share of tasks that stays running while a rolling deployment replaces tasks.
    let minimumHealthyPercent: Int
    /// The share of tasks that may run while a rolling deployment replaces tasks.
    let maximumPercent: Int

    /// The rollout of a service with `settings`.
    init(_ settings: FargateService.Settings) {
        rollout = settings.rollout
        minimumHealthyPercent = settings.minimumHealthyPercent
        maximumPercent = settings.maximumPercent
    }

    /// The service's deployment configuration: its strategy, bake time, steps and alarms. The
    /// circuit breaker rolls back a revision whose tasks fail, whatever the strategy.
    var deploymentConfiguration: ECS.Service.DeploymentConfiguration {
        let alarms = rollout.alarms.isEmpty
            ? nil : ECS.Service.DeploymentAlarms(alarmNames: .items(rollout.alarms.map(Value.literal)), enable: true, rollback: true)
        return ECS.Service.DeploymentConfiguration(
            alarms: alarms,
            bakeTimeInMinutes: rollout.shiftsTraffic ? rollout.bakeTimeMinutes.map(Value.literal) : nil,
            canaryConfiguration: rollout.strategy == .canary
                ? .init(canaryBakeTimeInMinutes: .literal(rollout.canaryBakeTimeMinutes), canaryPercent: .literal(rollout.canaryPercent)) : nil,
            deploymentCircuitBreaker: .init(enable: true, rollback: true),
            linearConfiguration: rollout.strategy == .linear
                ? .init(stepBakeTimeInMinutes: .literal(rollout.linearStepBakeTimeMinutes), stepPercent: .literal(rollout.linearStepPercent))
                : nil,
            maximumPercent: .literal(maximumPercent), minimumHealthyPercent: .literal(minimumHealthyPercent),
            strategy: rollout.shiftsTraffic ? .literal(rollout.strategy.cloudFormationName) : nil)
    }

    /// The port of a load balancer's test listener: blue/green with `testPort` only.
    var testListenerPort: Int? { rollout.strategy == .blueGreen ? rollout.testPort : nil }

    /// Adds what ECS shifts traffic with, unless the strategy is rolling: a twin of
    /// `targetGroup` and the role ECS moves the weights with.
    func addTrafficShift(twinOf targetGroup: ElasticLoadBalancingV2.TargetGroup, to stack: inout Stack) -> TrafficShift? {
        rollout.shiftsTraffic ? TrafficShift.add(twinOf: targetGroup, to: &stack) : nil
    }

    /// What AWS would refuse about the rollout of a service of `kind` behind `loadBalancer`,
    /// found before anything is sent.
    func validate(kind: FargateService.Kind, loadBalancer: FargateService.LoadBalancerChoice, into problems: inout SettingProblems) {
        if rollout.shiftsTraffic {
            problems.check(
                kind == .web, "deployment.strategy",
                "\(rollout.strategy.rawValue) shifts traffic between two target groups, and a worker has none; a worker deploys rolling")
        }
        if let bake = rollout.bakeTimeMinutes {
            problems.check((0...1440).contains(bake), "deployment.bakeTimeMinutes", "must be 0 to 1440, got \(bake)")
            problems.check(rollout.shiftsTraffic, "deployment.bakeTimeMinutes", "applies to blue-green, canary and linear, not rolling")
        }
        if rollout.strategy == .canary {
            problems.check((0.1...100).contains(rollout.canaryPercent), "deployment.canary.percent", "must be 0.1 to 100, got \(rollout.canaryPercent)")
            problems.check(
                (0...1440).contains(rollout.canaryBakeTimeMinutes), "deployment.canary.bakeTimeMinutes",
                "must be 0 to 1440, got \(rollout.canaryBakeTimeMinutes)")
        }
        if rollout.strategy == .linear {
            problems.check(
                (3...100).contains(rollout.linearStepPercent), "deployment.linear.stepPercent", "must be 3 to 100, got \(rollout.linearStepPercent)")
            problems.check(
                (0...1440).contains(rollout.linearStepBakeTimeMinutes), "deployment.linear.stepBakeTimeMinutes",
                "must be 0 to 1440, got \(rollout.linearStepBakeTimeMinutes)")
        }
        problems.check(
            rollout.totalWaitMinutes <= FargateService.Rollout.maximumTotalWaitMinutes, "deployment",
            "waits \(rollout.totalWaitMinutes) minutes in all, over the \(FargateService.Rollout.maximumTotalWaitMinutes) (33 hours) CloudFormation waits for a stack")
        var seen: Set<String> = []
        for alarm in rollout.alarms {
            problems.check(!alarm.isEmpty && alarm.utf8.count <= 255, "deployment.alarms", "\"\(alarm)\" is not an alarm name (1 to 255 characters)")
            problems.check(seen.insert(alarm).inserted, "deployment.alarms", "\(alarm) is named twice")
        }
        if let port = rollout.testPort {
            problems.check(rollout.strategy == .blueGreen, "deployment.testPort", "a test listener is for blue-green deployments")
            problems.check(
                loadBalancer == .dedicated, "deployment.testPort",
                "a test listener needs the service's own load balancer (loadBalancer: dedicated)")
            problems.check(
                (1...65_535).contains(port) && ![80, 443].contains(port), "deployment.testPort",
                "must be a port from 1 to 65535 other than the load balancer's 80 and 443, got \(port)")
        }
    }
}
