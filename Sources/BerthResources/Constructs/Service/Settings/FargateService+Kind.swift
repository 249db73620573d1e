extension FargateService {
    /// What kind of service it is, which decides the parts it is made of.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Serves HTTP behind a load balancer: a task definition, an ECS service, a load-balancer
        /// attachment, a rollout and optional autoscaling.
        case web
        /// Runs in the background: no load balancer, no port, nothing may connect to it.
        case worker
        /// Runs to its end: a task definition without an ECS service, started on a schedule, by a
        /// deploy (a migration) or by `berth run`.
        case job
    }
}
