extension FargateService {
    /// How a new revision of the service replaces the running one. ECS does the work, driven by
    /// CloudFormation through `DeploymentConfiguration`; the circuit breaker rolls back a
    /// revision whose tasks fail, whatever the strategy.
    public struct Rollout: Sendable, Hashable {
        /// How traffic moves from the running revision to the new one.
        public enum Strategy: String, Sendable, Hashable, CaseIterable {
            /// Tasks are replaced a few at a time (`minimumHealthyPercent`, `maximumPercent`).
            case rolling
            /// The new revision starts beside the old one, then takes all traffic at once.
            case blueGreen = "blue-green"
            /// A share of traffic first, then the rest after a bake time.
            case canary
            /// Traffic in equal steps with a bake time between them.
            case linear

            /// As `DeploymentConfiguration.Strategy` spells it.
            var cloudFormationName: String {
                switch self {
                case .rolling: "ROLLING"
                case .blueGreen: "BLUE_GREEN"
                case .canary: "CANARY"
                case .linear: "LINEAR"
                }
            }
        }

        /// How traffic moves to the new revision; rolling unless set.
        public var strategy: Strategy = .rolling
        /// Minutes both revisions run after all traffic shifted, before the old one stops.
        public var bakeTimeMinutes: Int?
        /// Canary: the share of traffic, in percent, that the new revision gets first.
        public var canaryPercent = 10.0
        /// Canary: minutes the first share runs before the rest of the traffic shifts.
        public var canaryBakeTimeMinutes = 5
        /// Linear: the share of traffic, in percent, that each step adds.
        public var linearStepPercent = 25.0
        /// Linear: minutes between two steps.
        public var linearStepBakeTimeMinutes = 5
        /// CloudWatch alarms that roll the deployment back when they go off.
        public var alarms: [String] = []
        /// Blue/green with the service's own load balancer: a listener on this port sends test
        /// traffic to the new revision before it takes production traffic.
        public var testPort: Int?

        /// Rolling, with the defaults of the other strategies.
        public init() {}

        /// Whether ECS shifts traffic between two target groups (not rolling).
        public var shiftsTraffic: Bool { strategy != .rolling }

        /// How long the strategy waits in all, in minutes: what CloudFormation bounds. Settings out
        /// of their ranges (which validation reports) give `Int.max` or `Int.min` rather than
        /// overflow.
        public var totalWaitMinutes: Int {
            let bake = bakeTimeMinutes ?? 0
            switch strategy {
            case .rolling, .blueGreen: return bake
            case .canary: return Self.saturating(canaryBakeTimeMinutes.addingReportingOverflow(bake), positive: canaryBakeTimeMinutes > 0)
            case .linear:
                let steps = (100 / linearStepPercent).rounded(.up)
                guard steps.isFinite, steps > 0 else { return bake }
                let stepCount = steps < Double(Int.max) ? Int(steps) : Int.max
                let waits = Self.saturating(stepCount.multipliedReportingOverflow(by: linearStepBakeTimeMinutes), positive: linearStepBakeTimeMinutes > 0)
                return Self.saturating(waits.addingReportingOverflow(bake), positive: waits > 0)
            }
        }

        private static func saturating(_ result: (partialValue: Int, overflow: Bool), positive: Bool) -> Int {
            result.overflow ? (positive ? Int.max : Int.min) : result.partialValue
        }

        /// CloudFormation gives up on a stack operation after 33 hours.
        public static let maximumTotalWaitMinutes = 33 * 60
    }
}
