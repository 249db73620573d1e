import BerthModel
import BerthTemplate

/// How a service meets the environment's other services over Service Connect, in the
/// environment's Cloud Map namespace (from the shared stack).
///
/// Every service is a client: ECS runs a Service Connect proxy in each of its tasks, which answers
/// the names of the namespace's servers. A service with a port (web and backend) is also a server:
/// its port mapping is named after it, it is reached at `http://<name>:<containerPort>`, and its
/// tasks let in the environment's services group (every service's tasks, `TaskPlacement`) on that
/// port, and nothing else besides what a load balancer adds.
///
/// The proxy logs to the service's log group, under the stream prefix `<name>-service-connect`.
struct ServiceConnect {
    /// The service's name: its port mapping's, its discovery name and the host clients call.
    let name: String
    /// The kind and the port.
    let settings: FargateService.Settings
    /// The placement whose shared-stack parameters this part adds to.
    let placement: TaskPlacement

    /// The proxy's stream prefix in the service's log group.
    var logStreamPrefix: String { "\(name)-service-connect" }

    /// Whether the service is a Service Connect server.
    var isServer: Bool { settings.kind.hasPort }

    /// The main container's port mapping: named (`Name`, what `PortName` refers to) and speaking
    /// HTTP for a server, so that the proxy balances requests and reports HTTP metrics.
    static func portMapping(name: String, containerPort: Int, isServer: Bool) -> ECS.TaskDefinition.PortMapping {
        .init(
            appProtocol: isServer ? "http" : nil, containerPort: .literal(containerPort), name: isServer ? .literal(name) : nil,
            protocol: "tcp")
    }

    /// Adds the namespace parameter and, for a server, the ingress from the environment's
    /// services on its port to `serviceGroup`; returns the ECS service's configuration.
    func add(serviceGroup: ResourceReference, logGroup: ResourceReference, to stack: inout Stack)
        -> ECS.Service.ServiceConnectConfiguration
    {
        placement.addSharedParameter(
            ParameterName.serviceConnectNamespace, "String", "The Cloud Map namespace of the environment's Service Connect names",
            to: &stack)
        if isServer {
            stack.template.add(
                "ServiceIngressFromServices",
                EC2.SecurityGroupIngress(
                    description: "container port from the environment services (Service Connect)",
                    fromPort: .literal(settings.containerPort), groupId: serviceGroup.getAtt("GroupId"), ipProtocol: "tcp",
                    sourceSecurityGroupId: .ref(ParameterName.servicesSecurityGroupID), toPort: .literal(settings.containerPort)))
        }
        return .init(
            enabled: true,
            logConfiguration: .init(
                logDriver: "awslogs",
                options: [
                    "awslogs-group": logGroup.ref, "awslogs-region": .ref(.region), "awslogs-stream-prefix": .literal(logStreamPrefix),
                ]),
            namespace: .ref(ParameterName.serviceConnectNamespace),
            services: isServer
                ? [
                    .init(
                        clientAliases: [.init(dnsName: .literal(name), port: .literal(settings.containerPort))],
                        discoveryName: .literal(name), portName: .literal(name))
                ] : nil)
    }
}
