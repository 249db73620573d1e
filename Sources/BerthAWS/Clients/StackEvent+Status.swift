extension StackEvent {
    /// Whether the event reports a failure (`CREATE_FAILED`, `UPDATE_FAILED`, …).
    public var isFailure: Bool { status.hasSuffix("_FAILED") }

    /// Whether the event reports a finished step (`CREATE_COMPLETE`, `UPDATE_COMPLETE`, …).
    public var isComplete: Bool { status.hasSuffix("_COMPLETE") }

    /// Whether the event reports a step under way.
    public var isInProgress: Bool { status.hasSuffix("_IN_PROGRESS") }

    /// Whether this is the stack's own event saying that a create or update succeeded.
    public func isSuccess(ofStack stack: String) -> Bool {
        logicalID == stack && [StackStatus.createComplete, .updateComplete].contains(StackStatus(status))
    }
}
