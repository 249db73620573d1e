extension FargateService {
    /// Target-tracking autoscaling between `minCount` and `maxCount` tasks: on average CPU, on
    /// average memory, on requests per task (web services) and on a queue's backlog per task,
    /// each a policy of its own, and scheduled changes of the bounds.
    ///
    /// With several policies, Application Auto Scaling scales out when any of them asks to and in
    /// only when all of them agree.
    public struct Autoscaling: Sendable, Hashable {
        /// The fewest tasks the service scales in to.
        public var minCount: Int
        /// The most tasks the service scales out to.
        public var maxCount: Int
        /// The average CPU utilisation, in percent, that scaling aims for. When `nil`, the CPU
        /// policy aims for `defaultCpuTargetPercent` if no other metric is given, and is left out
        /// otherwise (see `cpuPolicyTargetPercent`).
        public var cpuTargetPercent: Int?
        /// The average memory utilisation, in percent, that scaling aims for; no memory policy when `nil`.
        public var memoryTargetPercent: Int?
        /// The requests per task and minute that scaling aims for, counted by the load balancer's
        /// target group (web services only); no request policy when `nil`.
        public var requestsPerTarget: Int?
        /// The SQS queue, by name or ARN, whose backlog the service works through; with
        /// `messagesPerTask`, scaling aims for that many visible messages per running task.
        public var queue: String?
        /// The visible messages of `queue` per running task that scaling aims for.
        public var messagesPerTask: Int?
        /// Changes of `minCount` and `maxCount` at set times, such as none at night in dev.
        public var schedule: [ScheduledChange] = []
        /// The IANA time zone the schedule's cron expressions are read in (`Europe/Paris`); UTC when `nil`.
        public var timezone: String?
        /// Seconds after a scale-in before another.
        public var scaleInCooldownSeconds = 60
        /// Seconds after a scale-out before another.
        public var scaleOutCooldownSeconds = 60

        /// The CPU target when no metric is named.
        public static let defaultCpuTargetPercent = 60

        /// Between `minCount` and `maxCount` tasks, aiming for `cpuTargetPercent` average CPU
        /// (`defaultCpuTargetPercent` unless given or another metric is set).
        public init(minCount: Int, maxCount: Int, cpuTargetPercent: Int? = nil) {
            self.minCount = minCount
            self.maxCount = maxCount
            self.cpuTargetPercent = cpuTargetPercent
        }

        /// Whether a metric other than CPU drives scaling: memory, requests or a queue's backlog.
        public var hasOtherMetric: Bool { memoryTargetPercent != nil || requestsPerTarget != nil || queue != nil }

        /// What the CPU policy aims for: `cpuTargetPercent` when given, the default when no other
        /// metric is, else `nil` (no CPU policy).
        public var cpuPolicyTargetPercent: Int? { cpuTargetPercent ?? (hasOtherMetric ? nil : Self.defaultCpuTargetPercent) }

        /// The queue's name: `queue` itself, or the last part of its ARN.
        public var queueName: String? {
            guard let queue else { return nil }
            guard queue.hasPrefix("arn:") else { return queue }
            return queue.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init)
        }
    }
}
