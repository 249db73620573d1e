import BerthModel

/// A selection or an image tag that does not fit the app: nothing was sent to AWS.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A job on another service's image, selected without that service: the service would keep
    /// its image while the job ran the new one's code (a migration before the services, a smoke
    /// test after them, a scheduled job's next run).
    public struct ImageServiceLeftOut: Sendable, Hashable {
        /// The job's service name.
        public let job: String
        /// The service whose image the job runs.
        public let imageOf: String
        /// When a deploy runs the job; `nil` for a job it only deploys (run on a schedule or by `berth run`).
        public let runOnDeploy: JobPolicy.RunOnDeploy?
        /// The services selected, when the selection names services; `nil` when it names stacks.
        public let selectedServices: [String]?
        /// The job's stack.
        public let jobStack: String
        /// The stack of the service whose image the job runs.
        public let imageStack: String

        /// What the job would do with the image its service does not run: `ran the new one's migrations`.
        public var ranTheNewOne: String { runOnDeploy == .beforeServices ? "ran the new one's migrations" : "ran the new one's code" }
        /// `run migrate (runOnDeploy: before-services)`; `deploy sweep` for a job a deploy only deploys.
        var deploysTheJob: String { runOnDeploy.map { "run \(job) (runOnDeploy: \($0.rawValue))" } ?? "deploy \(job)" }
    }

    public let message: String
    /// Set when the selection leaves out the service whose image a job runs.
    public let imageServiceLeftOut: ImageServiceLeftOut?

    public init(_ message: String) {
        self.message = message
        self.imageServiceLeftOut = nil
    }

    init(_ leftOut: ImageServiceLeftOut) {
        self.imageServiceLeftOut = leftOut
        let (job, service) = (leftOut.job, leftOut.imageOf)
        self.message =
            leftOut.selectedServices == nil
            ? "the stacks selected hold \(leftOut.jobStack), which runs \(job) (runOnDeploy: before-services) on \(service)'s image, "
                + "and \(service) is not selected: \(service) would keep its image while \(job) \(leftOut.ranTheNewOne); "
                + "select \(leftOut.imageStack) too, or leave out \(leftOut.jobStack)"
            : "the services selected \(leftOut.deploysTheJob), which runs \(service)'s image: "
                + "\(service) would keep its image while \(job) \(leftOut.ranTheNewOne); select \(service) too"
                + (leftOut.runOnDeploy == nil ? "" : ", or select the stacks to deploy (without \(job)'s stack, no job runs)")
    }

    public var description: String { message }
}
