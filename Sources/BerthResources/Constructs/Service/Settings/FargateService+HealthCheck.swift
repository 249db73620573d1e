extension FargateService {
    /// The load balancer's health check of the targets.
    public struct HealthCheck: Sendable, Hashable {
        /// The path the load balancer requests, such as `/health`.
        public var path = "/"
        /// HTTP codes that count as healthy: `200`, `200,204`, `200-399`.
        public var matcher = "200-399"
        /// Seconds between two checks of a target.
        public var intervalSeconds = 15
        /// Seconds without an answer that fail a check; less than `intervalSeconds`.
        public var timeoutSeconds = 5
        /// Checks in a row that make an unhealthy target healthy.
        public var healthyThreshold = 2
        /// Checks in a row that make a healthy target unhealthy.
        public var unhealthyThreshold = 3
        /// How long the service ignores failing health checks after a task starts.
        public var gracePeriodSeconds = 30

        /// The defaults: `/`, any 2xx or 3xx, every 15 seconds.
        public init() {}
    }
}
