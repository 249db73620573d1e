import BerthModel

import BerthModel

/// One stack's comparison, with where its deployed side came from.
public struct StackDiffReport: Sendable {
    /// What the new template was compared with.
    public enum Source: Sendable {
        case deployed(status: String)
        /// Not in CloudFormation (or only a never-executed change set, or a failed first create:
        /// a deploy creates it afresh).
        case notDeployed(status: String?)
        case file(String)
    }

    public let stackName: String
    public let region: String
    public let phase: Phase
    public let environment: String?
    public let source: Source
    public let diff: StackDiff
    /// Something the reader should know about how the comparison was made.
    public var note: String?
    /// What drift detection found (`berth diff --drift`); `nil` when none ran.
    public var drift: StackDrift?

    public init(
        stackName: String, region: String, phase: Phase, environment: String?, source: Source, diff: StackDiff,
        note: String? = nil
    ) {
        self.stackName = stackName
        self.region = region
        self.phase = phase
        self.environment = environment
        self.source = source
        self.diff = diff
        self.note = note
    }
}
