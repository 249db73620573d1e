extension FargateService {
    /// A container that another waits for before it starts.
    public struct ContainerDependency: Sendable, Hashable {
        /// What the other container must have done.
        public enum Condition: String, Sendable, Hashable, CaseIterable {
            /// It has started.
            case start = "START"
            /// It has run to completion (any exit code).
            case complete = "COMPLETE"
            /// It has exited with 0.
            case success = "SUCCESS"
            /// Its container health check passes.
            case healthy = "HEALTHY"
        }

        /// The name of the container waited for.
        public var container: String
        /// What it must have done.
        public var condition: Condition

        /// Waits for `container` to reach `condition`.
        public init(container: String, condition: Condition) {
            self.container = container
            self.condition = condition
        }
    }
}
