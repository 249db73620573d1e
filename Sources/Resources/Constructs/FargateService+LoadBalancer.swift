import CloudFormation

extension FargateService {
    /// A web service's target group and what sends requests to it.
    struct LoadBalancing {
        let targetGroup: ResourceReference
        /// The service's own load balancer, when it has one.
        let loadBalancer: ResourceReference?
        /// The listener rule or listeners that attach the target group to a load balancer: the
        /// ECS service waits for them.
        let attachments: [ResourceReference]
        /// What ECS shifts traffic with, for a strategy other than rolling.
        var shift: TrafficShift?
        /// The rules whose weights ECS moves: production and, for blue/green, test traffic.
        var productionRule: ResourceReference?
        var testRule: ResourceReference?
    }

    /// Adds the target group, and either the rule on the shared load balancer's listener or a
    /// load balancer of the service's own; the tasks take the container port from that load
    /// balancer's security group only.
    func addLoadBalancing(placement: Placement, serviceGroup: ResourceReference, to stack: inout Stack) -> LoadBalancing {
        let targetGroupProperties = ElasticLoadBalancingV2.TargetGroup(
                healthCheckIntervalSeconds: .literal(settings.healthCheck.intervalSeconds),
                healthCheckPath: .literal(settings.healthCheck.path),
                healthCheckProtocol: "HTTP",
                healthCheckTimeoutSeconds: .literal(settings.healthCheck.timeoutSeconds),
                healthyThresholdCount: .literal(settings.healthCheck.healthyThreshold),
                matcher: .init(httpCode: .literal(settings.healthCheck.matcher)),
                port: .literal(settings.containerPort),
                protocol: "HTTP",
                targetGroupAttributes: [.init(key: "deregistration_delay.timeout_seconds", value: "30")],
                targetType: "ip",
                unhealthyThresholdCount: .literal(settings.healthCheck.unhealthyThreshold),
                vpcId: .ref(ParameterName.vpcID))
        let targetGroup = stack.template.add("TargetGroup", targetGroupProperties)
        let shift = settings.rollout.shiftsTraffic ? addTrafficShift(targetGroup: targetGroupProperties, to: &stack) : nil
        if let shared = placement.sharedListener {
            addIngress(from: shared.securityGroup, to: serviceGroup, in: &stack)
            let rule = stack.template.add(
                "ListenerRule",
                ElasticLoadBalancingV2.ListenerRule(
                    actions: [Self.forward(to: targetGroup, shift: shift)],
                    conditions: .items(ruleConditions),
                    listenerArn: shared.listener,
                    priority: .literal(rulePriority ?? 1)))
            // While traffic shifts, the service names the rule (a Ref), which orders them already.
            return LoadBalancing(
                targetGroup: targetGroup, loadBalancer: nil, attachments: shift == nil ? [rule] : [], shift: shift, productionRule: rule)
        }
        let balancer = InternetLoadBalancer.add(
            vpcID: .ref(ParameterName.vpcID), subnets: placement.loadBalancerSubnets ?? [], environment: environment,
            defaultAction: .init(targetGroupArn: targetGroup.ref, type: "forward"),
            egress: [
                .init(
                    description: "to the service's tasks", destinationSecurityGroupId: serviceGroup.getAtt("GroupId"),
                    fromPort: .literal(settings.containerPort), ipProtocol: "tcp", toPort: .literal(settings.containerPort))
            ],
            testPort: settings.rollout.strategy == .blueGreen ? settings.rollout.testPort : nil, to: &stack)
        addIngress(from: balancer.securityGroup.getAtt("GroupId"), to: serviceGroup, in: &stack)
        guard let shift, let serving = balancer.listeners.last else {
            return LoadBalancing(targetGroup: targetGroup, loadBalancer: balancer.loadBalancer, attachments: balancer.listeners)
        }
        // ECS shifts traffic by the weights of a listener rule: every path, before the default.
        func rule(_ logicalID: String, on listener: ResourceReference) -> ResourceReference {
            stack.template.add(
                logicalID,
                ElasticLoadBalancingV2.ListenerRule(
                    actions: [Self.forward(to: targetGroup, shift: shift)],
                    conditions: [.init(field: "path-pattern", pathPatternConfig: .init(values: ["/*"]))],
                    listenerArn: listener.ref, priority: 1))
        }
        let production = rule("ListenerRule", on: serving)
        let test = balancer.testListener.map { rule("TestListenerRule", on: $0) }
        return LoadBalancing(
            targetGroup: targetGroup, loadBalancer: balancer.loadBalancer, attachments: balancer.listeners, shift: shift,
            productionRule: production, testRule: test)
    }

    /// The rule's conditions: the paths and hosts it matches; every path when it names none.
    private var ruleConditions: [ElasticLoadBalancingV2.ListenerRule.RuleCondition] {
        var conditions: [ElasticLoadBalancingV2.ListenerRule.RuleCondition] = []
        if !settings.routing.hosts.isEmpty {
            conditions.append(
                .init(field: "host-header", hostHeaderConfig: .init(values: .items(settings.routing.hosts.map(Value.literal)))))
        }
        if !settings.routing.paths.isEmpty || conditions.isEmpty {
            let paths = settings.routing.paths.isEmpty ? ["/*"] : settings.routing.paths
            conditions.append(.init(field: "path-pattern", pathPatternConfig: .init(values: .items(paths.map(Value.literal)))))
        }
        return conditions
    }

    private func addIngress(from loadBalancerGroup: Value<String>, to serviceGroup: ResourceReference, in stack: inout Stack) {
        stack.template.add(
            "ServiceIngressFromLoadBalancer",
            EC2.SecurityGroupIngress(
                description: "container port from the load balancer only", fromPort: .literal(settings.containerPort),
                groupId: serviceGroup.getAtt("GroupId"), ipProtocol: "tcp",
                sourceSecurityGroupId: loadBalancerGroup, toPort: .literal(settings.containerPort)))
    }

    /// Adds target tracking on the service's average CPU.
    func addAutoscaling(_ autoscaling: Autoscaling, service: ResourceReference, to stack: inout Stack) {
        let target = stack.template.add(
            "ScalableTarget",
            ApplicationAutoScaling.ScalableTarget(
                maxCapacity: .literal(autoscaling.maxCount), minCapacity: .literal(autoscaling.minCount),
                resourceId: .sub("service/${\(ParameterName.clusterName)}/${\(service.logicalID).Name}"),
                scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs"))
        stack.template.add(
            "CpuScalingPolicy",
            ApplicationAutoScaling.ScalingPolicy(
                policyName: .sub("${AWS::StackName}-cpu"),
                policyType: "TargetTrackingScaling",
                scalingTargetId: target.ref,
                targetTrackingScalingPolicyConfiguration: .init(
                    predefinedMetricSpecification: .init(predefinedMetricType: "ECSServiceAverageCPUUtilization"),
                    scaleInCooldown: .literal(autoscaling.scaleInCooldownSeconds),
                    scaleOutCooldown: .literal(autoscaling.scaleOutCooldownSeconds),
                    targetValue: .literal(Double(autoscaling.cpuTargetPercent)))))
    }
}
