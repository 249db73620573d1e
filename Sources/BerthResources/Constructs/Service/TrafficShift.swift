import BerthTemplate

/// What ECS shifts traffic with, for a rollout other than rolling: the alternate target group
/// and the role ECS moves listener-rule weights with. Added by `ServiceRollout`; used by a
/// `LoadBalancerAttachment` (its forward actions and rules) and the `ECSService` (its advanced
/// configuration).
struct TrafficShift {
    let alternateTargetGroup: ResourceReference
    let role: ResourceReference

    /// Adds the alternate target group (a twin of `targetGroup`) and the role ECS uses to move
    /// traffic between the two, trusted by ECS for this account only.
    static func add(twinOf targetGroup: ElasticLoadBalancingV2.TargetGroup, to stack: inout Stack) -> TrafficShift {
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

    /// Adds the rules whose weights ECS moves on a load balancer of the service's own: every
    /// path, before the listener's default, on the serving listener and on the test listener.
    func addRules(
        forwardingTo targetGroup: ResourceReference, serving: ResourceReference, test: ResourceReference?, to stack: inout Stack
    ) -> (production: ResourceReference, test: ResourceReference?) {
        func rule(_ logicalID: String, on listener: ResourceReference) -> ResourceReference {
            stack.template.add(
                logicalID,
                ElasticLoadBalancingV2.ListenerRule(
                    actions: [Self.forward(to: targetGroup, shift: self)],
                    conditions: [.init(field: "path-pattern", pathPatternConfig: .init(values: ["/*"]))],
                    listenerArn: listener.ref, priority: 1))
        }
        let production = rule("ListenerRule", on: serving)
        return (production, test.map { rule("TestListenerRule", on: $0) })
    }

    /// What the ECS service's load balancer entry says about the shift: the alternate target
    /// group, the role, and the rules whose weights move.
    func advancedConfiguration(
        productionRule: ResourceReference?, testRule: ResourceReference?
    ) -> ECS.Service.AdvancedConfiguration {
        .init(
            alternateTargetGroupArn: alternateTargetGroup.ref, productionListenerRule: productionRule?.ref,
            roleArn: role.getAtt("Arn"), testListenerRule: testRule?.ref)
    }
}
