extension FargateService {
    /// Which load balancer a web service is behind.
    public enum LoadBalancerChoice: String, Sendable, Hashable, CaseIterable {
        /// The environment's load balancer, through a listener rule (`routing`).
        case shared
        /// A load balancer of its own, in the service's stack.
        case dedicated
    }
}
