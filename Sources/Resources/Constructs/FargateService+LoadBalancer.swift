import CloudFormation

extension FargateService {
    /// The load balancer, its target group and its listeners.
    struct LoadBalancing {
        let loadBalancer: ResourceReference
        let targetGroup: ResourceReference
        let listeners: [ResourceReference]
    }

    /// Adds an internet-facing ALB with an HTTP listener that forwards to the tasks, or, with
    /// HTTPS, redirects to an HTTPS listener that does.
    func addLoadBalancer(
        network: PlacedNetwork, securityGroups: SecurityGroups, to stack: inout Stack
    ) -> LoadBalancing {
        let loadBalancer = stack.template.add(
            "LoadBalancer",
            ElasticLoadBalancingV2.LoadBalancer(
                loadBalancerAttributes: [
                    .init(key: "routing.http.drop_invalid_header_fields.enabled", value: "true")
                ],
                scheme: "internet-facing",
                securityGroups: [securityGroups.loadBalancer.getAtt("GroupId")],
                subnets: network.loadBalancerSubnets,
                type: "application"))
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
                vpcId: network.vpcID))
        let forward = ElasticLoadBalancingV2.Listener.Action(targetGroupArn: targetGroup.ref, type: "forward")
        guard let https = settings.https else {
            let http = stack.template.add(
                "HttpListener",
                ElasticLoadBalancingV2.Listener(
                    defaultActions: [forward], loadBalancerArn: loadBalancer.ref, port: 80, protocol: "HTTP"))
            return LoadBalancing(loadBalancer: loadBalancer, targetGroup: targetGroup, listeners: [http])
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
                defaultActions: [forward], loadBalancerArn: loadBalancer.ref, port: 443, protocol: "HTTPS",
                sslPolicy: .literal(https.sslPolicy)))
        return LoadBalancing(loadBalancer: loadBalancer, targetGroup: targetGroup, listeners: [http, secure])
    }

    /// Adds target tracking on the service's average CPU.
    func addAutoscaling(
        _ autoscaling: Autoscaling, cluster: ResourceReference, service: ResourceReference, to stack: inout Stack
    ) {
        let target = stack.template.add(
            "ScalableTarget",
            ApplicationAutoScaling.ScalableTarget(
                maxCapacity: .literal(autoscaling.maxCount), minCapacity: .literal(autoscaling.minCount),
                resourceId: .sub("service/${\(cluster.logicalID)}/${\(service.logicalID).Name}"),
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
