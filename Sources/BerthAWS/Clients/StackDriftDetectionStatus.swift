/// One drift detection, as DescribeStackDriftDetectionStatus reports it.
public struct StackDriftDetectionStatus: Sendable, Hashable {
    /// `DETECTION_IN_PROGRESS`, `DETECTION_COMPLETE` or `DETECTION_FAILED`.
    public let detectionStatus: String
    /// Why the detection failed (or was partial).
    public let detectionStatusReason: String?
    /// `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`; known once the detection is complete.
    public let stackDriftStatus: String?
    public let driftedResourceCount: Int?

    public init(detectionStatus: String, detectionStatusReason: String?, stackDriftStatus: String?, driftedResourceCount: Int?) {
        self.detectionStatus = detectionStatus
        self.detectionStatusReason = detectionStatusReason
        self.stackDriftStatus = stackDriftStatus
        self.driftedResourceCount = driftedResourceCount
    }
}
