/// How a deploy treats a job's stack: whether it runs the job on every deploy that changes a
/// service of its environment, and how long a run may take.
public struct JobPolicy: Sendable, Hashable {
    /// When a deploy runs the job.
    public enum RunOnDeploy: String, Sendable, Hashable, CaseIterable {
        /// After the job's own stack and before any service stack changes; a failed run changes
        /// no service (a database migration).
        case beforeServices = "before-services"
        /// Once the services are deployed (a smoke test); a failed run leaves them as deployed.
        case afterServices = "after-services"
    }

    /// When a deploy runs the job; `nil`: only on its schedule or by `berth run`.
    public var runOnDeploy: RunOnDeploy?
    /// How long one run may take before it is stopped.
    public var timeoutMinutes: Int

    public init(runOnDeploy: RunOnDeploy?, timeoutMinutes: Int) {
        self.runOnDeploy = runOnDeploy
        self.timeoutMinutes = timeoutMinutes
    }
}
