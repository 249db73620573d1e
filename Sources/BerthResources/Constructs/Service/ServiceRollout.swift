import BerthTemplate

/// The construct half of a service's rollout (`FargateService.Rollout` is the settings half,
/// with their checks): the deployment configuration ECS deploys with, and the `TrafficShift`
/// for a strategy other than rolling.
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
}
