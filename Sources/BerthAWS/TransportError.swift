/// A request that got no HTTP answer: the connection failed or dropped, or it timed out.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case timeout
        case connection
        /// The answer's body went past the request's bound (`HTTPRequest.maximumBodyBytes`).
        case tooLarge
        /// The task that sent it was cancelled (an interrupt, a timeout) before the answer came.
        case stopped
        case other
    }

    public let kind: Kind
    /// Where the request went: `https://cloudformation.eu-west-1.amazonaws.com`.
    public let endpoint: String
    public let message: String
    /// The call that was being made, `ecr DescribeImages`, when the request was one of a service
    /// client's: it starts the description, as an error answer's does.
    public var call: String?

    public init(kind: Kind, endpoint: String, message: String, call: String? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.message = message
        self.call = call
    }

    public var description: String {
        guard let call else { return plainDescription }
        return "\(call): \(plainDescription)"
    }

    private var plainDescription: String {
        switch kind {
        case .timeout: "\(endpoint) did not answer in time: \(message)"
        // A connection that could not be made, or broke before the whole answer came.
        case .connection: "the connection to \(endpoint) failed: \(message)"
        case .other, .tooLarge: "request to \(endpoint) failed: \(message)"
        case .stopped: "request to \(endpoint) stopped: the command was interrupted or ran out of time"
        }
    }
}
