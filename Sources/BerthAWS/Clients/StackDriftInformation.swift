import Foundation

/// A stack's drift as DescribeStacks reports it (`DriftInformation`): the result and time of
/// its last drift detection. Reading it starts no detection.
public struct StackDriftInformation: Sendable, Hashable {
    /// `DRIFTED`, `IN_SYNC`, `UNKNOWN` or `NOT_CHECKED`.
    public let status: String
    /// When the last detection finished; `nil` when the stack was never checked.
    public let lastCheck: Date?

    public init(status: String, lastCheck: Date?) {
        self.status = status
        self.lastCheck = lastCheck
    }
}
