import BerthModel
import BerthTemplate

/// Where a service's or a task's containers run: the VPC, the task subnets and the cluster,
/// from parameters the deployer fills from the environment's shared stack, and the tasks'
/// security group, which lets nothing in until a `LoadBalancerAttachment` or a Service Connect
/// server (`ServiceConnect`) adds an ingress. The tasks also join the environment's services
/// group (from the shared stack), which is what Service Connect servers let in; a job's tasks
/// (started by RunTask, without a Service Connect proxy) do not.
struct TaskPlacement {
    /// The service's name, for the security group's description.
    let name: String
    /// The environment's network: whether the tasks need a public IP.
    let environment: EnvironmentSettings
    /// The environment's shared stack, whose outputs fill the parameters.
    let sharedStack: String
    /// Whether the tasks join the environment's services group: a service's do, a job's do not.
    var joinsServicesGroup = true

    /// What the part added.
    struct Handles {
        /// The tasks' security group.
        let securityGroup: ResourceReference
        /// The network configuration the tasks run with: subnets, security group, public IP.
        let networkConfiguration: ECS.Service.NetworkConfiguration
        /// The controls a service in this placement does not meet (its tasks' public IPs). Under
        /// controls, none: the shared stack refuses the network at `network`.
        let suppressedControls: [SuppressedControl]
    }

    /// Adds the VPC, task subnet, cluster and services-group parameters, then the tasks' security group.
    func add(to stack: inout Stack) -> Handles {
        addSharedParameter(ParameterName.vpcID, "AWS::EC2::VPC::Id", "The VPC", to: &stack)
        addSharedParameter(
            ParameterName.taskSubnetIDs, Self.subnetListType, "The subnets the tasks run in, comma-separated",
            to: &stack)
        addSharedParameter(ParameterName.clusterName, "String", "The ECS cluster", to: &stack)
        if joinsServicesGroup {
            addSharedParameter(
                ParameterName.servicesSecurityGroupID, "AWS::EC2::SecurityGroup::Id",
                "The security group every task of the environment's services joins", to: &stack)
        }
        let securityGroup = stack.template.add(
            "ServiceSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} \(name) tasks"), vpcId: .ref(ParameterName.vpcID)))
        return Handles(
            securityGroup: securityGroup,
            networkConfiguration: .init(
                awsvpcConfiguration: .init(
                    assignPublicIp: environment.tasksNeedPublicIP ? "ENABLED" : "DISABLED",
                    securityGroups: .items([securityGroup.getAtt("GroupId")] + (joinsServicesGroup ? [.ref(ParameterName.servicesSecurityGroupID)] : [])),
                    subnets: Self.subnets(ParameterName.taskSubnetIDs))),
            suppressedControls: environment.tasksNeedPublicIP && environment.controls == nil
                ? [
                    .init(
                        control: .servicePublicIP,
                        reason: "The tasks run in public subnets and reach ECR and CloudWatch Logs by their public IPs",
                        key: environment.network.privateSubnetsKey, fix: environment.network.privateSubnetsFix)
                ] : [])
    }

    /// Adds a parameter filled from the shared stack's output of the same name. A subnet list
    /// (`subnetListType`) travels as a string checked by pattern.
    func addSharedParameter(_ name: String, _ type: String, _ description: String, to stack: inout Stack) {
        let isSubnetList = type == Self.subnetListType
        stack.addDeployParameter(
            name,
            Parameter(
                type: isSubnetList ? "String" : type, description: description + ", from the environment's shared stack",
                allowedPattern: isSubnetList ? "^subnet-[0-9a-z]+(,subnet-[0-9a-z]+)*$" : nil,
                constraintDescription: isSubnetList ? "subnet IDs separated by commas" : nil),
            source: .stackOutput(stack: sharedStack, output: name))
    }

    /// Subnet lists travel as comma-separated strings, checked by pattern, and are split where
    /// they are used: list-typed parameters (`List<AWS::EC2::Subnet::Id>`) are reported back in a
    /// form that differs from what was sent by some endpoints (moto), so every deploy would look
    /// like a change.
    static let subnetListType = "List<AWS::EC2::Subnet::Id>"

    /// The subnets in the comma-separated parameter `parameter`.
    static func subnets(_ parameter: String) -> ListValue<Value<String>> {
        .intrinsic(.split(",", Intrinsic.ref(parameter).templateValue))
    }
}
