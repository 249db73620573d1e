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
    }

    /// Adds the target group, and either the rule on the shared load balancer's listener or a
    /// load balancer of the service's own; the tasks take the container port from that load
    /// balancer's security group only.
    func addLoadBalancing(placement: Placement, serviceGroup: ResourceReference, to stack: inout Stack) -> LoadBalancing {
        let targetGroup = stack.template.add(
            "TargetGroup",
            ElasticLoadBalancingV2.TargetGroup(
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
                vpcId: .ref(ParameterName.vpcID)))
        if let shared = placement.sharedListener {
            addIngress(from: shared.securityGroup, to: serviceGroup, in: &stack)
            let rule = stack.template.add(
                "ListenerRule",
                ElasticLoadBalancingV2.ListenerRule(
                    actions: [.init(targetGroupArn: targetGroup.ref, type: "forward")],
                    conditions: .items(ruleConditions),
                    listenerArn: shared.listener,
                    priority: .literal(rulePriority ?? 1)))
            return LoadBalancing(targetGroup: targetGroup, loadBalancer: nil, attachments: [rule])
        }
        let securityGroup = stack.template.add(
            "LoadBalancerSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} load balancer"),
                securityGroupIngress: .items(Self.internetIngress(https: environment.https != nil)),
                vpcId: .ref(ParameterName.vpcID)))
        addIngress(from: securityGroup.getAtt("GroupId"), to: serviceGroup, in: &stack)
        let loadBalancer = stack.template.add(
            "LoadBalancer",
            ElasticLoadBalancingV2.LoadBalancer(
                loadBalancerAttributes: [.init(key: "routing.http.drop_invalid_header_fields.enabled", value: "true")],
                scheme: "internet-facing",
                securityGroups: [securityGroup.getAtt("GroupId")],
                subnets: placement.loadBalancerSubnets,
                type: "application"))
        let listeners = Self.addListeners(
            on: loadBalancer, https: environment.https,
            defaultAction: .init(targetGroupArn: targetGroup.ref, type: "forward"), to: &stack)
        return LoadBalancing(targetGroup: targetGroup, loadBalancer: loadBalancer, attachments: listeners)
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

    /// HTTP, and HTTPS when there is a certificate, from anywhere.
    static func internetIngress(https: Bool) -> [EC2.SecurityGroup.Ingress] {
        var ingress: [EC2.SecurityGroup.Ingress] = [
            .init(cidrIp: "0.0.0.0/0", description: "HTTP from the internet", fromPort: 80, ipProtocol: "tcp", toPort: 80)
        ]
        if https {
            ingress.append(
                .init(cidrIp: "0.0.0.0/0", description: "HTTPS from the internet", fromPort: 443, ipProtocol: "tcp", toPort: 443))
        }
        return ingress
    }

    /// An HTTP listener with `defaultAction`; with HTTPS, an HTTP listener that redirects to an
    /// HTTPS listener with `defaultAction`. Returns the listeners, the one that serves last.
    static func addListeners(
        on loadBalancer: ResourceReference, https: EnvironmentSettings.HTTPS?,
        defaultAction: ElasticLoadBalancingV2.Listener.Action, to stack: inout Stack
    ) -> [ResourceReference] {
        guard let https else {
            let http = stack.template.add(
                "HttpListener",
                ElasticLoadBalancingV2.Listener(
                    defaultActions: [defaultAction], loadBalancerArn: loadBalancer.ref, port: 80, protocol: "HTTP"))
            return [http]
        }
        let redirect = ElasticLoadBalancingV2.Listener.Action(
            redirectConfig: .init(port: "443", protocol: "HTTPS", statusCode: "HTTP_301"), type: "redirect")
        let http = stack.template.add(
            "HttpListener",
            ElasticLoadBalancingV2.Listener(
                defaultActions: [redirect], loadBalancerArn: loadBalancer.ref, port: 80, protocol: "HTTP"))
        let secure = stack.template.add(
            "HttpsListener",
            ElasticLoadBalancingV2.Listener(
                certificates: [.init(certificateArn: .literal(https.certificateArn))],
                defaultActions: [defaultAction], loadBalancerArn: loadBalancer.ref, port: 443, protocol: "HTTPS",
                sslPolicy: .literal(https.sslPolicy)))
        return [http, secure]
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
