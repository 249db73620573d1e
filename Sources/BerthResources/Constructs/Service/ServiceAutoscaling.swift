import BerthModel
import BerthTemplate

/// Target tracking on an ECS service's average CPU: a scalable target between the minimum and
/// maximum task counts, and a policy that aims for the CPU target.
struct ServiceAutoscaling {
    /// The task counts, the CPU target and the cooldowns.
    let autoscaling: FargateService.Autoscaling

    /// Adds the scalable target of `service` and its CPU policy.
    func add(service: ResourceReference, to stack: inout Stack) {
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
