extension FargateService {
    /// Target-tracking autoscaling on average CPU.
    public struct Autoscaling: Sendable, Hashable {
        /// The fewest tasks the service scales in to.
        public var minCount: Int
        /// The most tasks the service scales out to.
        public var maxCount: Int
        /// The average CPU utilisation, in percent, that scaling aims for.
        public var cpuTargetPercent: Int
        /// Seconds after a scale-in before another.
        public var scaleInCooldownSeconds = 60
        /// Seconds after a scale-out before another.
        public var scaleOutCooldownSeconds = 60

        /// Between `minCount` and `maxCount` tasks, aiming for `cpuTargetPercent` average CPU
        /// (60 unless given).
        public init(minCount: Int, maxCount: Int, cpuTargetPercent: Int = 60) {
            self.minCount = minCount
            self.maxCount = maxCount
            self.cpuTargetPercent = cpuTargetPercent
        }
    }
}
