import BerthModel
import BerthTemplate

/// The ECS service that keeps a task definition's tasks running on Fargate in a placement,
/// deploying new revisions as its `ServiceRollout` says and, when a `LoadBalancerAttachment`
/// is given, registering the tasks with its target group. A service without an attachment
/// takes no requests from a load balancer.
struct ECSService {
    /// The main container's name, which the load balancer sends requests to.
    let containerName: String
    /// The task count, autoscaling, ECS exec and health check grace period.
    let settings: FargateService.Settings
    /// How new revisions replace the running one.
    let rollout: ServiceRollout

    /// Adds the service, running `taskDefinition` in `placement`, behind `loadBalancing` if
    /// given and in the environment's Service Connect namespace as `serviceConnect` says; it waits
    /// for the load balancer's attachments.
    ///
    /// With settings.autoscaling on, `DesiredCount` is left out of the service, so that a deploy does not
    /// reset a scaled-out service to a fixed count; the scalable target's minimum applies instead.
    func add(
        taskDefinition: ResourceReference, placement: TaskPlacement.Handles, loadBalancing: LoadBalancerAttachment.Handles?,
        serviceConnect: ECS.Service.ServiceConnectConfiguration? = nil, to stack: inout Stack
    ) -> ResourceReference {
        stack.template.add(
            "Service",
            ECS.Service(
                cluster: .ref(ParameterName.clusterName),
                deploymentConfiguration: rollout.deploymentConfiguration,
                desiredCount: settings.autoscaling == nil ? .literal(settings.desiredCount) : nil,
                enableExecuteCommand: .literal(settings.enableExecuteCommand),
                healthCheckGracePeriodSeconds: loadBalancing.map { _ in .literal(settings.healthCheck.gracePeriodSeconds) },
                launchType: "FARGATE",
                loadBalancers: loadBalancing.map {
                    [$0.serviceLoadBalancer(containerName: containerName, containerPort: settings.containerPort)]
                },
                networkConfiguration: placement.networkConfiguration,
                propagateTags: "SERVICE",
                serviceConnectConfiguration: serviceConnect,
                taskDefinition: taskDefinition.ref),
            dependsOn: loadBalancing?.attachments.map(\.logicalID) ?? [],
            metadata: SuppressedControl.metadata(checkov: [], controls: placement.suppressedControls))
    }

    /// Adds the output that names the service.
    func addOutputs(service: ResourceReference, to stack: inout Stack) {
        stack.template.addOutput(OutputName.serviceName, Output(service.getAtt("Name"), description: "The ECS service"))
    }
}
