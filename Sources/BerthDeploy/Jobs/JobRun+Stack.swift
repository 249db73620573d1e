import BerthAWS
import BerthModel
import BerthTemplate

extension JobRun {
    /// A run of the task definition that the deployed `stack` holds (a job's, or a service's for
    /// a one-off command), where its tasks run: the cluster and subnets its parameters name, its
    /// security group, and the public-IP choice its template makes.
    public static func of(
        _ stack: PlannedStack, cloudFormation: CloudFormationClient, command: [String]?, timeout: Duration
    ) async throws -> JobRun {
        let name = stack.service ?? stack.name
        let found = try await cloudFormation.describeStack(stack.name)
        if let found { try StackOwnership.check(found, tags: stack.tags) }
        guard let deployed = found, deployed.status.hasFinalOutputs else {
            let reason: String
            switch found?.status {
            case nil, .some(.deleteComplete), .some(.reviewInProgress): reason = "its stack \(stack.name) is not deployed; deploy it first"
            case .some(let status) where status.isInProgress:
                reason = "its stack \(stack.name) is \(status.name): wait for it to settle, then run again"
            case .some(let status): reason = "its stack \(stack.name) is \(status.name), not ready to run from; deploy it again first"
            }
            throw JobRunError.neverRan(job: name, taskArn: nil, reason: reason)
        }
        let resources = try await cloudFormation.listStackResources(stackName: stack.name).collect()
        func physicalID(ofType type: String) -> String? {
            resources.first { $0.resourceType == type }?.physicalID.flatMap { $0.isEmpty ? nil : $0 }
        }
        // The tasks' own group, by its logical ID: a dedicated load balancer's group is in the
        // same stack, and ListStackResources promises no order.
        let ownGroup = resources.first { $0.logicalID == taskSecurityGroupLogicalID }?.physicalID.flatMap { $0.isEmpty ? nil : $0 }
        guard let cluster = deployed.parameters[ParameterName.clusterName], let subnets = deployed.parameters[ParameterName.taskSubnetIDs],
            let taskDefinition = physicalID(ofType: "AWS::ECS::TaskDefinition"), let securityGroup = ownGroup
        else {
            throw JobRunError.neverRan(
                job: name, taskArn: nil, reason: "its stack \(stack.name) has no task definition, security group, cluster or subnets to run with")
        }
        // The deployed template's network settings, not the files': a change not deployed yet
        // (privateSubnets added, say) would run the task in subnets it was not made for.
        let body = try await cloudFormation.getTemplate(stackName: stack.name)
        let deployedTemplate = (try? JSONValue.parseTemplate(body, file: "\(stack.name) (deployed template)")) ?? stack.template
        return JobRun(
            job: name, cluster: cluster, taskDefinition: taskDefinition, subnets: subnets.split(separator: ",").map(String.init),
            securityGroups: [securityGroup] + sharedGroups(of: deployedTemplate, parameters: deployed.parameters),
            assignPublicIp: deployed.outputs[OutputName.assignPublicIp] ?? assignPublicIp(in: deployedTemplate), container: name, command: command,
            logGroup: stack.logGroup, timeout: timeout)
    }

    /// The logical ID of the security group a stack's tasks are in.
    static let taskSecurityGroupLogicalID = "ServiceSecurityGroup"

    /// The groups by parameter that a service's own tasks also join (the environment's group
    /// for its services), so that a one-off command reaches what the service reaches; none for
    /// a job, whose runs are in its own group only.
    static func sharedGroups(of template: JSONValue, parameters: [String: String]) -> [String] {
        let services = template["Resources"]?.members?.filter { $0.value["Type"]?.stringValue == "AWS::ECS::Service" } ?? []
        let groups = services.first?.value["Properties"]?["NetworkConfiguration"]?["AwsvpcConfiguration"]?["SecurityGroups"]?.elements ?? []
        return groups.compactMap { $0["Ref"]?.stringValue.flatMap { parameters[$0] } }.filter { !$0.isEmpty }
    }

    /// `ENABLED` or `DISABLED`, as the stack's own tasks: a job's output, or a service's network
    /// configuration.
    static func assignPublicIp(in template: JSONValue) -> String {
        if let value = template["Outputs"]?[OutputName.assignPublicIp]?["Value"]?.stringValue { return value }
        let services = template["Resources"]?.members?.filter { $0.value["Type"]?.stringValue == "AWS::ECS::Service" } ?? []
        let configured = services.first?.value["Properties"]?["NetworkConfiguration"]?["AwsvpcConfiguration"]?["AssignPublicIp"]?.stringValue
        return configured ?? "DISABLED"
    }
}
