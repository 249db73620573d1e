import BerthModel
import BerthTemplate

extension FargateService {
    /// A job's parts: its task definition and placement, its schedule when it has one, the alert
    /// on failed runs when asked, and the outputs a deploy or `berth run` starts it with.
    func addJob(to stack: inout Stack) -> Handles {
        let job = settings.job
        stack.imageService = job.imageOf
        stack.jobPolicy = JobPolicy(runOnDeploy: job.runOnDeploy, timeoutMinutes: job.timeoutMinutes)
        let task = taskDefinition
        let tasks = task.add(to: &stack)
        let placement = TaskPlacement(name: name, environment: environment, sharedStack: sharedStack, joinsServicesGroup: false)
        let placed = placement.add(to: &stack)
        let assignPublicIp = environment.tasksNeedPublicIP ? "ENABLED" : "DISABLED"
        if let schedule = job.schedule {
            JobSchedule(
                name: name, qualifiedName: qualifiedName, expression: schedule, timezone: job.timezone, enabled: job.scheduleEnabled,
                retries: job.retries, assignPublicIp: assignPublicIp
            ).add(taskDefinition: tasks.taskDefinition, roles: tasks.roles, securityGroup: placed.securityGroup, to: &stack)
        }
        if let topic = job.failureTopicArn {
            JobFailureAlert(name: name, qualifiedName: qualifiedName, topicArn: topic).add(to: &stack)
        }
        stack.template.addOutput(
            OutputName.taskDefinitionArn, Output(tasks.taskDefinition.ref, description: "The task definition a run starts"))
        stack.template.addOutput(
            OutputName.taskSecurityGroupID, Output(placed.securityGroup.getAtt("GroupId"), description: "The security group runs are in"))
        stack.template.addOutput(
            OutputName.assignPublicIp, Output(JSONValue.string(assignPublicIp), description: "Whether runs get a public IP, as the services do"))
        stack.template.addOutput(
            OutputName.clusterName, Output(Intrinsic.ref(ParameterName.clusterName), description: "The cluster runs start in"))
        stack.template.addOutput(
            OutputName.taskSubnetIDs, Output(Intrinsic.ref(ParameterName.taskSubnetIDs), description: "The subnets runs start in"))
        task.addOutputs(tasks, to: &stack)
        return Handles(
            taskDefinition: tasks.taskDefinition, service: nil, taskRole: tasks.roles.task, executionRole: tasks.roles.execution,
            logGroup: tasks.logGroup, securityGroup: placed.securityGroup, targetGroup: nil, loadBalancer: nil)
    }
}
