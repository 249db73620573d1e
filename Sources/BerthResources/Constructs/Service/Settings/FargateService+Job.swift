import BerthModel

extension FargateService {
    /// What only a job has: a task definition that runs to its end, started on a schedule, by a
    /// deploy or by `berth run`, never kept running by an ECS service.
    public struct Job: Sendable, Hashable {
        /// The service whose image the job runs (a migration runs the API's); its own
        /// repository's when `nil`.
        public var imageOf: String?
        /// The command the container runs instead of the image's; the image's when `nil`.
        public var command: [String]?
        /// How long one run may take before it is stopped.
        public var timeoutMinutes = 30
        /// `cron(0 3 * * ? *)` or `rate(1 hour)`: when EventBridge Scheduler runs it.
        public var schedule: String?
        /// The IANA time zone the schedule is read in (`Europe/Berlin`); UTC when `nil`.
        public var timezone: String?
        /// Whether the schedule is on (off for previews, say).
        public var scheduleEnabled = true
        /// How often the scheduler tries again when it cannot start a run (0 to 185).
        public var retries = 0
        /// When a deploy runs the job.
        public var runOnDeploy: JobPolicy.RunOnDeploy?
        /// An SNS topic (ARN) that gets a message for every run that fails.
        public var failureTopicArn: String?

        public init() {}
    }
}
