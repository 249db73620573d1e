/// A selection or an image tag that does not fit the app: nothing was sent to AWS.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
