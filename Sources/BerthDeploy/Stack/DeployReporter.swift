import BerthAWS

/// Where a deploy reports what happens, as it happens.
public struct DeployReporter: Sendable {
    public var message: @Sendable (String) -> Void
    public var plannedChanges: @Sendable (_ stack: String, [ResourceChange]) -> Void
    public var event: @Sendable (StackEvent, _ done: Int, _ total: Int) -> Void
    /// Something the deploy went on past; by default a `message` starting "warning: ".
    public var warning: @Sendable (DeployWarning) -> Void
    /// A stack the deploy is about to change (its change set executed, or a failed first create
    /// deleted to be made again): from here on, CloudFormation may be changing the stack,
    /// whatever becomes of the deploy.
    public var stackChanging: @Sendable (_ stack: String) -> Void

    public init(
        message: @escaping @Sendable (String) -> Void, plannedChanges: @escaping @Sendable (String, [ResourceChange]) -> Void,
        event: @escaping @Sendable (StackEvent, Int, Int) -> Void, warning: (@Sendable (DeployWarning) -> Void)? = nil,
        stackChanging: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.message = message
        self.plannedChanges = plannedChanges
        self.event = event
        self.warning = warning ?? { message("warning: \($0)") }
        self.stackChanging = stackChanging
    }
}
