import BerthModel
import BerthTemplate

/// How a web service's tasks take requests: a target group, and either a listener rule on the
/// environment's shared load balancer or a load balancer of the service's own (with its
/// outputs); the tasks take the container port from that load balancer's security group only.
/// The `ServiceRollout` adds a traffic shift beside the target group when its strategy needs one.
struct LoadBalancerAttachment {
    /// The container port, the health check, the load balancer choice and the routing.
    let settings: FargateService.Settings
    /// The environment's HTTPS and load balancer settings, for a dedicated load balancer.
    let environment: EnvironmentSettings
    /// The listener rule's priority on the shared load balancer.
    let rulePriority: Int?
    /// The placement whose shared-stack parameters the attachment adds to.
    let placement: TaskPlacement
    /// The rollout, which may shift traffic between two target groups.
    let rollout: ServiceRollout

    /// A web service's target group and what sends requests to it.
    struct Handles {
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

        /// The ECS service's entry for this target group: the container and port it sends to.
        func serviceLoadBalancer(containerName: String, containerPort: Int) -> ECS.Service.LoadBalancer {
            .init(
                advancedConfiguration: shift?.advancedConfiguration(productionRule: productionRule, testRule: testRule),
                containerName: .literal(containerName), containerPort: .literal(containerPort), targetGroupArn: targetGroup.ref)
        }
    }

    /// Adds the load balancer's parameters, the target group (and the rollout's traffic shift),
    /// and either the rule on the shared load balancer's listener or a load balancer of the
    /// service's own, letting it reach `serviceGroup`.
    func add(serviceGroup: ResourceReference, to stack: inout Stack) -> Handles {
        let sharedListener = addParameters(to: &stack)
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
        let shift = rollout.addTrafficShift(twinOf: targetGroupProperties, to: &stack)
        if let shared = sharedListener {
            addIngress(from: shared.securityGroup, to: serviceGroup, in: &stack)
            let rule = stack.template.add(
                "ListenerRule",
                ElasticLoadBalancingV2.ListenerRule(
                    actions: [TrafficShift.forward(to: targetGroup, shift: shift)],
                    conditions: .items(ruleConditions),
                    listenerArn: shared.listener,
                    priority: .literal(rulePriority ?? 1)))
            // While traffic shifts, the service names the rule (a Ref), which orders them already.
            return Handles(
                targetGroup: targetGroup, loadBalancer: nil, attachments: shift == nil ? [rule] : [], shift: shift, productionRule: rule)
        }
        let balancer = InternetLoadBalancer.add(
            vpcID: .ref(ParameterName.vpcID),
            subnets: TaskPlacement.subnets(ParameterName.loadBalancerSubnetIDs), environment: environment,
            defaultAction: .init(targetGroupArn: targetGroup.ref, type: "forward"),
            egress: [
                .init(
                    description: "to the service's tasks", destinationSecurityGroupId: serviceGroup.getAtt("GroupId"),
                    fromPort: .literal(settings.containerPort), ipProtocol: "tcp", toPort: .literal(settings.containerPort))
            ],
            testPort: rollout.testListenerPort, to: &stack)
        addIngress(from: balancer.securityGroup.getAtt("GroupId"), to: serviceGroup, in: &stack)
        guard let shift, let serving = balancer.listeners.last else {
            return Handles(targetGroup: targetGroup, loadBalancer: balancer.loadBalancer, attachments: balancer.listeners)
        }
        let rules = shift.addRules(forwardingTo: targetGroup, serving: serving, test: balancer.testListener, to: &stack)
        return Handles(
            targetGroup: targetGroup, loadBalancer: balancer.loadBalancer, attachments: balancer.listeners, shift: shift,
            productionRule: rules.production, testRule: rules.test)
    }

    /// Adds the outputs of a load balancer of the service's own: where the service answers.
    func addOutputs(_ handles: Handles, to stack: inout Stack) {
        guard let loadBalancer = handles.loadBalancer else { return }
        let scheme = environment.https == nil ? "http" : "https"
        stack.template.addOutput(
            OutputName.serviceUrl,
            Output(Intrinsic.sub("\(scheme)://${\(loadBalancer.logicalID).DNSName}"), description: "Where the service answers"))
        stack.template.addOutput(
            "LoadBalancerDnsName", Output(loadBalancer.getAtt("DNSName"), description: "The load balancer's DNS name"))
    }

    /// Adds the parameters from the shared stack: the public subnets for a load balancer of the
    /// service's own, or the shared load balancer's listener and security group, returned.
    private func addParameters(to stack: inout Stack) -> (listener: Value<String>, securityGroup: Value<String>)? {
        typealias Name = ParameterName
        if settings.loadBalancer == .dedicated {
            placement.addSharedParameter(
                Name.loadBalancerSubnetIDs, TaskPlacement.subnetListType, "The public subnets for the load balancer, comma-separated",
                to: &stack)
            return nil
        }
        placement.addSharedParameter(Name.listenerArn, "String", "The shared load balancer's listener", to: &stack)
        placement.addSharedParameter(
            Name.loadBalancerSecurityGroupID, "AWS::EC2::SecurityGroup::Id", "The shared load balancer's security group", to: &stack)
        return (.ref(Name.listenerArn), .ref(Name.loadBalancerSecurityGroupID))
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
}
