/// A selection or an image tag that does not fit the app: nothing was sent to AWS.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A job run before the services (`runOnDeploy: before-services`) on another service's image,
    /// selected without that service: the service would keep its image while the job ran the
    /// new one's migrations.
    public struct ImageServiceLeftOut: Sendable, Hashable {
        /// The job's service name.
        public let job: String
        /// The service whose image the job runs.
        public let imageOf: String
        /// The services selected, when the selection names services; `nil` when it names stacks.
        public let selectedServices: [String]?
        /// The job's stack.
        public let jobStack: String
        /// The stack of the service whose image the job runs.
        public let imageStack: String
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
                + "and \(service) is not selected: \(service) would keep its image while \(job) ran the new one's migrations; "
                + "select \(leftOut.imageStack) too, or leave out \(leftOut.jobStack)"
            : "the services selected run \(job) (runOnDeploy: before-services), which runs \(service)'s image: "
                + "\(service) would keep its image while \(job) ran the new one's migrations; select \(service) too, "
                + "or select the stacks to deploy (without \(job)'s stack, no job runs)"
    }

    public var description: String { message }
}
