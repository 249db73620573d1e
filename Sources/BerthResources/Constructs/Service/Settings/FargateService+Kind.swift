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
        /// Serves HTTP to the environment's own services only: a port and no load balancer,
        /// reached at `http://<name>:<containerPort>` over Service Connect.
        case backend

        /// Whether the service listens on `containerPort`: a Service Connect server (web and
        /// backend), which the environment's services may reach.
        public var hasPort: Bool { self == .web || self == .backend }
    }
}
