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
        if let found { try StackOwnership.check(found, app: stack.appName) }
        guard let deployed = found, deployed.status.isReady else {
            throw JobRunError.neverRan(
                job: name, taskArn: nil, reason: "its stack \(stack.name) is not deployed; deploy it first")
        }
        let resources = try await cloudFormation.listStackResources(stackName: stack.name).collect()
        func physicalID(ofType type: String) -> String? {
            resources.first { $0.resourceType == type }?.physicalID.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let cluster = deployed.parameters[ParameterName.clusterName], let subnets = deployed.parameters[ParameterName.taskSubnetIDs],
            let taskDefinition = physicalID(ofType: "AWS::ECS::TaskDefinition"),
            let securityGroup = physicalID(ofType: "AWS::EC2::SecurityGroup")
        else {
            throw JobRunError.neverRan(
                job: name, taskArn: nil, reason: "its stack \(stack.name) has no task definition, security group, cluster or subnets to run with")
        }
        return JobRun(
            job: name, cluster: cluster, taskDefinition: taskDefinition, subnets: subnets.split(separator: ",").map(String.init),
            securityGroups: [securityGroup], assignPublicIp: assignPublicIp(in: stack.template), container: name, command: command,
            logGroup: stack.logGroup, timeout: timeout)
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
