/// Why `berth init --from-service` has nothing to translate.
public enum ServiceImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ECS knows no such cluster.
    case noCluster(String)
    /// The cluster holds no active service of that name.
    case noService(cluster: String, service: String)
    /// The service names no task definition that ECS could describe.
    case noTaskDefinition(service: String)

    public var description: String {
        switch self {
        case .noCluster(let cluster): "there is no cluster \(cluster) (ECS: ClusterNotFoundException)"
        case .noService(let cluster, let service): "the cluster \(cluster) has no active service \(service)"
        case .noTaskDefinition(let service): "the service \(service) has no task definition that ECS describes"
        }
    }
}
