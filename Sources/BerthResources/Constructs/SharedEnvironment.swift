import BerthModel
import BerthTemplate

/// What the services of one environment share, in the environment's shared stack: the network
/// (a new VPC, or the subnets of an existing one), the ECS cluster, the Service Connect namespace
/// and the security group every service's tasks join, and, when a web service uses it, the load
/// balancer with its listeners and security group.
///
/// Service stacks reach these through parameters that the deployer fills from this stack's
/// outputs (`OutputName`). The listener answers 404 to requests that no service's rule takes.
public struct SharedEnvironment: Sendable {
    /// The environment whose shared stack this is; its services decide the load balancer's
    /// ports and the private subnets' endpoints.
    public var environment: EnvironmentSettings
    /// A name unique to the app and environment, such as `shop-dev`.
    public var qualifiedName: String

    public init(environment: EnvironmentSettings, qualifiedName: String) {
        self.environment = environment
        self.qualifiedName = qualifiedName
    }

    /// Whether any of the environment's services is behind the shared load balancer.
    public var hasSharedLoadBalancer: Bool {
        environment.services.contains { $0.value.usesSharedLoadBalancer }
    }

    /// Whether a service behind the shared load balancer scales on its requests, whose metric
    /// names the load balancer by its full name (the `LoadBalancerFullName` output).
    var scalesOnSharedRequests: Bool {
        environment.services.contains { $0.value.usesSharedLoadBalancer && $0.value.autoscaling?.requestsPerTarget != nil }
    }

    /// The load balancer may send only to the container ports of the services behind it, and
    /// only to the environment's tasks: the security group every task of its services joins
    /// (`ServicesSecurityGroup`, in this stack), in a new VPC as in an existing one.
    var loadBalancerEgress: [EC2.SecurityGroup.Egress] {
        let ports = Set(environment.services.filter { $0.value.usesSharedLoadBalancer }.map(\.value.containerPort)).sorted()
        return ports.map { port in
            .init(
                description: .literal("to the services' tasks on port \(port)"), destinationSecurityGroupId: .ref("ServicesSecurityGroup"),
                fromPort: .literal(port), ipProtocol: "tcp", toPort: .literal(port))
        }
    }

    /// Adds the network, the cluster and, when needed, the load balancer, with their outputs.
    public func add(to stack: inout Stack) {
        for problem in validate() + Self.namingProblems(of: environment) { stack.report(problem.location, problem.message) }
        let network = addNetwork(to: &stack)
        let cluster = stack.template.add(
            "Cluster",
            ECS.Cluster(clusterSettings: [
                .init(name: "containerInsights", value: .literal(environment.containerInsights ? "enabled" : "disabled"))
            ]),
            metadata: SuppressedControl.metadata(
                checkov: environment.containerInsights
                    ? [] : [.init(checkID: "CKV_AWS_65", reason: "containerInsights: false in the environment file (it costs CloudWatch metrics)")],
                controls: stack.suppress(
                    environment.containerInsights
                        ? []
                        : [
                            .init(
                                control: .containerInsights,
                                reason: "containerInsights: false in the environment file (it costs CloudWatch metrics)", key: "containerInsights", fix: "set containerInsights: true, or remove it (on by default)")
                        ], under: environment.controls)))
        stack.template.addOutput(OutputName.vpcID, Output(network.vpcID, description: "The VPC the services run in"))
        stack.template.addOutput(
            OutputName.taskSubnetIDs, Output(Intrinsic.join(",", network.taskSubnets), description: "The subnets tasks run in"))
        stack.template.addOutput(
            OutputName.loadBalancerSubnetIDs,
            Output(Intrinsic.join(",", network.publicSubnets), description: "The public subnets, for load balancers"))
        stack.template.addOutput(OutputName.clusterName, Output(cluster.ref, description: "The ECS cluster"))
        addServiceConnect(vpcID: network.vpcID, to: &stack)
        guard hasSharedLoadBalancer else { return }
        let notFound = ElasticLoadBalancingV2.Listener.Action(
            fixedResponseConfig: .init(contentType: "text/plain", messageBody: "no service answers this path", statusCode: "404"),
            type: "fixed-response")
        let balancer = InternetLoadBalancer.add(
            vpcID: network.vpcID, subnets: .items(network.publicSubnets), environment: environment, defaultAction: notFound,
            egress: loadBalancerEgress,
            dependsOn: network.internetAttachment.map { [$0] } ?? [], to: &stack)
        let scheme = environment.https == nil ? "http" : "https"
        if let serving = balancer.listeners.last {
            stack.template.addOutput(OutputName.listenerArn, Output(serving.ref, description: "The listener services' rules attach to"))
        }
        stack.template.addOutput(
            OutputName.loadBalancerSecurityGroupID,
            Output(balancer.securityGroup.ref, description: "The load balancer's security group, which services let in"))
        if scalesOnSharedRequests {
            stack.template.addOutput(
                OutputName.loadBalancerFullName,
                Output(balancer.loadBalancer.getAtt("LoadBalancerFullName"), description: "The load balancer's full name, which names its request metrics"))
        }
        stack.template.addOutput(
            OutputName.loadBalancerUrl,
            Output(Intrinsic.sub("\(scheme)://${\(balancer.loadBalancer.logicalID).DNSName}"), description: "Where the web services answer"))
    }
}
