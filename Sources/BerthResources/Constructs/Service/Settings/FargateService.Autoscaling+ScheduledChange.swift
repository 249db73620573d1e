extension FargateService.Autoscaling {
    /// A scheduled action: at the times `cron` names, the service's bounds become `minCount` and
    /// `maxCount` (either may be left as it is), until the next scheduled change.
    public struct ScheduledChange: Sendable, Hashable {
        /// When, as Application Auto Scaling writes it: `cron(minutes hours day-of-month month
        /// day-of-week year)`, such as `cron(0 20 ? * MON-FRI *)`.
        public var cron: String
        /// The new lower bound, or `nil` to keep it.
        public var minCount: Int?
        /// The new upper bound, or `nil` to keep it.
        public var maxCount: Int?

        /// At `cron`, the bounds become `minCount` and `maxCount`.
        public init(cron: String, minCount: Int? = nil, maxCount: Int? = nil) {
            self.cron = cron
            self.minCount = minCount
            self.maxCount = maxCount
        }
    }
}
