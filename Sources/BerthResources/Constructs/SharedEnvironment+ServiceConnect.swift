import BerthModel
import BerthTemplate

extension SharedEnvironment {
    /// Adds what the environment's services meet in, with its outputs: the Cloud Map namespace
    /// that Service Connect registers every server in, and the security group that every task of
    /// the environment's services joins.
    ///
    /// The namespace is an HTTP namespace, named like the environment's shared stack (`shop-dev`,
    /// unique in the account and region): Service Connect finds its endpoints through Cloud Map's
    /// API and answers names in each task's own proxy, so a namespace with DNS (a private hosted
    /// zone, tied to the VPC) would add a cost and give the services nothing.
    ///
    /// The group lets nothing in by itself; each server's stack adds an ingress to its own tasks'
    /// group from this one on its port. So who may connect is decided in the server's stack, and
    /// no service's stack refers to another's: no cross-stack cycle, whichever service calls which.
    func addServiceConnect(vpcID: Value<String>, to stack: inout Stack) {
        stack.template.add(
            "ServiceConnectNamespace",
            ServiceDiscovery.HttpNamespace(
                description: .literal("Where the services of \(qualifiedName) find each other over Service Connect (managed by Berth)"),
                name: .literal(qualifiedName)))
        let group = stack.template.add(
            "ServicesSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} services: every task of the environment services joins it"),
                vpcId: vpcID))
        // The name, which Service Connect takes as well as the ARN: it is known before the
        // namespace exists, so an endpoint that reports no outputs (moto) needs no attribute.
        // Service stacks still wait for this stack, whose outputs they take.
        stack.template.addOutput(
            OutputName.serviceConnectNamespace,
            Output(JSONValue.string(qualifiedName), description: "The Cloud Map namespace of the environment's Service Connect names"))
        // In a VPC, a security group's Ref is its ID.
        stack.template.addOutput(
            OutputName.servicesSecurityGroupID,
            Output(group.ref, description: "The security group every service's tasks join, which servers let in"))
    }
}
