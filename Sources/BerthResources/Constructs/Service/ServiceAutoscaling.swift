import BerthModel
import BerthTemplate

/// Target tracking on an ECS service: a scalable target between the minimum and maximum task
/// counts, with the schedule's changes of them as scheduled actions, and one target-tracking
/// policy per metric: average CPU, average memory, requests per target (ALB), and the queue's
/// backlog per running task (metric math).
///
/// The backlog per task follows AWS's own example: the queue's `ApproximateNumberOfMessagesVisible`
/// (AWS/SQS, by `QueueName`) divided by the service's `RunningTaskCount` (ECS/ContainerInsights,
/// by `ClusterName` and `ServiceName`), which is why it needs Container Insights. Application
/// Auto Scaling does the scaling with its own service-linked role; the task role needs nothing.
struct ServiceAutoscaling {
    /// The task counts, the targets, the schedule and the cooldowns.
    let autoscaling: FargateService.Autoscaling
    /// The placement whose shared-stack parameters a request policy behind the shared load
    /// balancer adds to.
    let placement: TaskPlacement

    /// Adds the scalable target of `service` and its policies. `loadBalancing` is the web
    /// service's target group and load balancer (none for the shared one, whose full name comes
    /// in as the `LoadBalancerFullName` parameter).
    func add(service: ResourceReference, loadBalancing: LoadBalancerAttachment.Handles?, to stack: inout Stack) {
        let target = stack.template.add(
            "ScalableTarget",
            ApplicationAutoScaling.ScalableTarget(
                maxCapacity: .literal(autoscaling.maxCount), minCapacity: .literal(autoscaling.minCount),
                resourceId: .sub("service/${\(ParameterName.clusterName)}/${\(service.logicalID).Name}"),
                scalableDimension: "ecs:service:DesiredCount",
                scheduledActions: autoscaling.schedule.isEmpty ? nil : .items(scheduledActions),
                serviceNamespace: "ecs"))
        if let percent = autoscaling.cpuPolicyTargetPercent {
            addPolicy(
                "CpuScalingPolicy", name: "cpu", target: target, value: Double(percent),
                predefined: .init(predefinedMetricType: "ECSServiceAverageCPUUtilization"), to: &stack)
        }
        if let percent = autoscaling.memoryTargetPercent {
            addPolicy(
                "MemoryScalingPolicy", name: "memory", target: target, value: Double(percent),
                predefined: .init(predefinedMetricType: "ECSServiceAverageMemoryUtilization"), to: &stack)
        }
        if let requests = autoscaling.requestsPerTarget, let loadBalancing {
            addPolicy(
                "RequestCountScalingPolicy", name: "requests", target: target, value: Double(requests),
                predefined: .init(
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: resourceLabel(loadBalancing, in: &stack)),
                to: &stack)
        }
        if let queueName = autoscaling.queueName, let messages = autoscaling.messagesPerTask {
            addPolicy(
                "QueueBacklogScalingPolicy", name: "queue-backlog", target: target, value: Double(messages),
                customized: backlogPerTask(queueName: queueName, service: service), to: &stack)
        }
    }

    /// One target-tracking policy on `target`, aiming `predefined` or `customized` at `value`.
    private func addPolicy(
        _ logicalID: String, name: String, target: ResourceReference, value: Double,
        predefined: ApplicationAutoScaling.ScalingPolicy.PredefinedMetricSpecification? = nil,
        customized: ApplicationAutoScaling.ScalingPolicy.CustomizedMetricSpecification? = nil, to stack: inout Stack
    ) {
        stack.template.add(
            logicalID,
            ApplicationAutoScaling.ScalingPolicy(
                policyName: .sub("${AWS::StackName}-\(name)"),
                policyType: "TargetTrackingScaling",
                scalingTargetId: target.ref,
                targetTrackingScalingPolicyConfiguration: .init(
                    customizedMetricSpecification: customized,
                    predefinedMetricSpecification: predefined,
                    scaleInCooldown: .literal(autoscaling.scaleInCooldownSeconds),
                    scaleOutCooldown: .literal(autoscaling.scaleOutCooldownSeconds),
                    targetValue: .literal(value))))
    }

    /// `app/<load balancer>/<id>/targetgroup/<target group>/<id>`: the service's own load
    /// balancer's full name, or the shared one's from the `LoadBalancerFullName` parameter
    /// (added here), then the target group's.
    private func resourceLabel(_ loadBalancing: LoadBalancerAttachment.Handles, in stack: inout Stack) -> Value<String> {
        let targetGroup = "${\(loadBalancing.targetGroup.logicalID).TargetGroupFullName}"
        if let loadBalancer = loadBalancing.loadBalancer {
            return .sub("${\(loadBalancer.logicalID).LoadBalancerFullName}/\(targetGroup)")
        }
        placement.addSharedParameter(
            ParameterName.loadBalancerFullName, "String", "The shared load balancer's full name (app/<name>/<id>)", to: &stack)
        return .sub("${\(ParameterName.loadBalancerFullName)}/\(targetGroup)")
    }

    /// The queue's visible messages divided by the service's running tasks, a minute at a time.
    private func backlogPerTask(queueName: String, service: ResourceReference) -> ApplicationAutoScaling.ScalingPolicy.CustomizedMetricSpecification {
        typealias Policy = ApplicationAutoScaling.ScalingPolicy
        let messages = Policy.TargetTrackingMetricDataQuery(
            id: "m1", label: "Visible messages in the queue",
            metricStat: .init(
                metric: .init(
                    dimensions: [.init(name: "QueueName", value: .literal(queueName))],
                    metricName: "ApproximateNumberOfMessagesVisible", namespace: "AWS/SQS"),
                stat: "Sum"),
            returnData: .literal(false))
        let tasks = Policy.TargetTrackingMetricDataQuery(
            id: "m2", label: "Running tasks of the service",
            metricStat: .init(
                metric: .init(
                    dimensions: [
                        .init(name: "ClusterName", value: .ref(ParameterName.clusterName)),
                        .init(name: "ServiceName", value: service.getAtt("Name")),
                    ],
                    metricName: "RunningTaskCount", namespace: "ECS/ContainerInsights"),
                stat: "Average"),
            returnData: .literal(false))
        let backlog = Policy.TargetTrackingMetricDataQuery(
            expression: "m1 / m2", id: "e1", label: "Backlog per task", returnData: .literal(true))
        return .init(metrics: [messages, tasks, backlog])
    }

    /// The schedule's changes, named by their place in it, in the schedule's time zone.
    private var scheduledActions: [ApplicationAutoScaling.ScalableTarget.ScheduledAction] {
        autoscaling.schedule.enumerated().map { index, change in
            .init(
                scalableTargetAction: .init(maxCapacity: change.maxCount.map(Value.literal), minCapacity: change.minCount.map(Value.literal)),
                schedule: .literal(change.cron),
                scheduledActionName: .literal("schedule-\(index + 1)"),
                timezone: autoscaling.timezone.map(Value.literal))
        }
    }
}
