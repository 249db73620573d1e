import Foundation

/// One deploy of one service, as AWS keeps it: an ECS service deployment, the task definition it
/// rolled out, and the image and build that task definition names.
public struct DeployRecord: Sendable, Hashable {
    public var environment: String
    public var service: String
    /// The service deployment's ID (the last part of its ARN).
    public var id: String
    public var startedAt: Date?
    /// When it finished (or stopped); `nil` while in progress.
    public var finishedAt: Date?
    public var outcome: DeployOutcome
    /// ECS's own words on the outcome (its `statusReason`, or the rollback's reason).
    public var reason: String?
    /// `family:revision` of the task definition it rolled out.
    public var taskDefinition: String?
    public var revision: Int?
    /// What the task definition's `IMAGE_TAG` says, else the tag in its image.
    public var imageTag: String?
    public var imageDigest: String?
    /// Whether `imageDigest` is the one the task definition pins (ECR's for the tag, as the
    /// deploy's gate read it), rather than the one ECS resolved the tag to.
    public var imageDigestIsPinned = false
    /// `COMMIT_SHA` and `BUILD_TIME`; `nil` when the deploy did not know them (`unknown`).
    public var commit: String?
    public var buildTime: String?

    public init(environment: String, service: String, id: String, outcome: DeployOutcome) {
        self.environment = environment
        self.service = service
        self.id = id
        self.outcome = outcome
    }
}
