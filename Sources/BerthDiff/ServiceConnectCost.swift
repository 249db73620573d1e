import BerthTemplate

/// What joining Service Connect adds to each task of an ECS service: ECS runs a proxy container
/// beside the service's own in every task, within the task's CPU and memory (it does not make
/// the task bigger). AWS's Service Connect documentation suggests giving the task 256 more CPU
/// units and 64 MiB more memory for it.
public struct ServiceConnectCost: Sendable, Hashable {
    /// The ECS service's logical ID.
    public var service: String

    /// The CPU units AWS suggests adding to a task for its proxy.
    public static let proxyCPU = 256
    /// The memory (MiB) AWS suggests adding to a task for its proxy.
    public static let proxyMemoryMiB = 64

    /// The one line `diff` shows.
    public var summary: String {
        "\(service) joins Service Connect: ECS adds its proxy container to every task, sharing the task's CPU and memory; "
            + "AWS suggests \(Self.proxyCPU) more CPU units and \(Self.proxyMemoryMiB) MiB more memory per task for it"
    }

    /// The ECS services of `new` that have Service Connect on and did not in `old` (every one
    /// when the stack is not deployed), in template order.
    static func between(old: JSONValue?, new: JSONValue) -> [ServiceConnectCost] {
        let oldResources = old?["Resources"]?.memberIndex ?? [:]
        return (new["Resources"]?.members ?? []).compactMap { resource in
            guard resource.value["Type"] == "AWS::ECS::Service", isOn(resource.value),
                !(oldResources[ExactText(resource.key)].map(isOn) ?? false)
            else { return nil }
            return ServiceConnectCost(service: resource.key)
        }
    }

    /// Whether a service resource has `ServiceConnectConfiguration.Enabled` true.
    private static func isOn(_ resource: JSONValue) -> Bool {
        resource["Type"] == "AWS::ECS::Service"
            && resource["Properties"]?["ServiceConnectConfiguration"]?["Enabled"]?.scalarText == "true"
    }
}
