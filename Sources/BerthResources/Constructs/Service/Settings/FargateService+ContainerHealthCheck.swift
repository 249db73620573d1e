extension FargateService {
    /// A health check that ECS runs inside the container.
    public struct ContainerHealthCheck: Sendable, Hashable {
        /// The command, as ECS takes it: `["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]`.
        public var command: [String]
        /// Seconds between two runs of the command.
        public var intervalSeconds = 30
        /// Seconds the command may take before the run counts as failed.
        public var timeoutSeconds = 5
        /// Failed runs in a row that make the container unhealthy.
        public var retries = 3
        /// Seconds after the container starts during which failed runs do not count.
        public var startPeriodSeconds = 10

        /// A check running `command`, with the default timings.
        public init(command: [String]) { self.command = command }
    }
}
