import CloudFormation

extension FargateService {
    /// How a new revision of the service replaces the running one. ECS does the work, driven by
    /// CloudFormation through `DeploymentConfiguration`; the circuit breaker rolls back a
    /// revision whose tasks fail, whatever the strategy.
    public struct Rollout: Sendable, Hashable {
        public enum Strategy: String, Sendable, Hashable, CaseIterable {
            /// Tasks are replaced a few at a time (`minimumHealthyPercent`, `maximumPercent`).
            case rolling
            /// The new revision starts beside the old one, then takes all traffic at once.
            case blueGreen = "blue-green"
            /// A share of traffic first, then the rest after a bake time.
            case canary
            /// Traffic in equal steps with a bake time between them.
            case linear

            /// As `DeploymentConfiguration.Strategy` spells it.
            var cloudFormationName: String {
                switch self {
                case .rolling: "ROLLING"
                case .blueGreen: "BLUE_GREEN"
                case .canary: "CANARY"
                case .linear: "LINEAR"
                }
            }
        }

        public var strategy: Strategy = .rolling
        /// Minutes both revisions run after all traffic shifted, before the old one stops.
        public var bakeTimeMinutes: Int?
        /// Canary: the share of traffic the new revision gets first, and for how long.
        public var canaryPercent = 10.0
        public var canaryBakeTimeMinutes = 5
        /// Linear: the share each step adds, and the time between steps.
        public var linearStepPercent = 25.0
        public var linearStepBakeTimeMinutes = 5
        /// CloudWatch alarms that roll the deployment back when they go off.
        public var alarms: [String] = []
        /// Blue/green with the service's own load balancer: a listener on this port sends test
        /// traffic to the new revision before it takes production traffic.
        public var testPort: Int?

        public init() {}

        /// Whether ECS shifts traffic between two target groups (not rolling).
        public var shiftsTraffic: Bool { strategy != .rolling }

        /// How long the strategy waits in all, in minutes: what CloudFormation bounds.
        public var totalWaitMinutes: Int {
            let bake = bakeTimeMinutes ?? 0
            switch strategy {
            case .rolling, .blueGreen: return bake
            case .canary: return canaryBakeTimeMinutes + bake
            case .linear:
                let steps = linearStepPercent > 0 ? Int((100 / linearStepPercent).rounded(.up)) : 0
                return steps * linearStepBakeTimeMinutes + bake
            }
        }

        /// CloudFormation gives up on a stack operation after 33 hours.
        public static let maximumTotalWaitMinutes = 33 * 60
    }

    /// The service's deployment configuration: its strategy, bake time, steps and alarms.
    func deploymentConfiguration() -> ECS.Service.DeploymentConfiguration {
        let rollout = settings.rollout
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
            maximumPercent: .literal(settings.maximumPercent), minimumHealthyPercent: .literal(settings.minimumHealthyPercent),
            strategy: rollout.shiftsTraffic ? .literal(rollout.strategy.cloudFormationName) : nil)
    }

    /// What ECS needs to shift traffic: the alternate target group and the role it shifts with.
    struct TrafficShift {
        let alternateTargetGroup: ResourceReference
        let role: ResourceReference
    }

    /// Adds the alternate target group (a twin of `settings`' target group) and the role ECS
    /// uses to move traffic between the two, trusted by ECS for this account only.
    func addTrafficShift(targetGroup: ElasticLoadBalancingV2.TargetGroup, to stack: inout Stack) -> TrafficShift {
        let alternate = stack.template.add("AlternateTargetGroup", targetGroup)
        let role = stack.template.add(
            "LoadBalancerRole",
            IAM.Role(
                assumeRolePolicyDocument: [
                    "Version": "2012-10-17",
                    "Statement": [
                        [
                            "Effect": "Allow", "Principal": ["Service": "ecs.amazonaws.com"], "Action": "sts:AssumeRole",
                            "Condition": ["StringEquals": ["aws:SourceAccount": Intrinsic.ref(.accountId).templateValue]],
                        ]
                    ],
                ],
                managedPolicyArns: [.sub("arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers")]))
        return TrafficShift(alternateTargetGroup: alternate, role: role)
    }

    /// A forward to the primary target group, and, while traffic shifts, to the alternate one
    /// with no weight: ECS moves the weights.
    static func forward(
        to targetGroup: ResourceReference, shift: TrafficShift?
    ) -> ElasticLoadBalancingV2.ListenerRule.Action {
        guard let shift else { return .init(targetGroupArn: targetGroup.ref, type: "forward") }
        return .init(
            forwardConfig: .init(targetGroups: [
                .init(targetGroupArn: targetGroup.ref, weight: 100), .init(targetGroupArn: shift.alternateTargetGroup.ref, weight: 0),
            ]),
            type: "forward")
    }
}
