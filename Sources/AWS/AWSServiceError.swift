/// An error answer from an AWS service.
public struct AWSServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `cloudformation`, `ecr`, `ecs`, `sts`.
    public let service: String
    /// `DescribeStacks`, `DescribeImages`, …
    public let operation: String
    public let status: Int
    /// AWS's error code: `ValidationError`, `ImageNotFoundException`, `Throttling`, …
    public let code: String
    public let message: String
    public let requestID: String?

    public init(service: String, operation: String, status: Int, code: String, message: String, requestID: String?) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    public var description: String {
        "\(service) \(operation) failed: \(code): \(message) (HTTP \(status)\(requestID.map { ", request \($0)" } ?? ""))"
    }
}

/// An answer that is neither the expected document nor an AWS error, such as an HTML error
/// page from a proxy.
public struct UnexpectedResponseError: Error, Sendable, CustomStringConvertible {
    public let service: String
    public let operation: String
    public let status: Int
    /// The first characters of the body; empty when the body is withheld.
    public let bodyStart: String
    /// How long the body was.
    public let bodyLength: Int
    /// Whether the body was left out because the answer may hold credentials.
    public let bodyWithheld: Bool

    /// With `withholdingBody`, the error says only the answer's shape (status and size): the
    /// answer to a credentials call may hold secrets, even when it is malformed.
    public init(service: String, operation: String, status: Int, body: [UInt8], withholdingBody: Bool = false) {
        self.service = service
        self.operation = operation
        self.status = status
        self.bodyLength = body.count
        self.bodyWithheld = withholdingBody
        let text = withholdingBody ? "" : String(decoding: body.prefix(300), as: UTF8.self)
        self.bodyStart = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    public var description: String {
        if bodyWithheld {
            return "\(service) \(operation): unexpected answer (HTTP \(status), \(bodyLength) bytes, not the \(operation)Response document; not shown, as it may hold credentials)"
        }
        return "\(service) \(operation): unexpected answer (HTTP \(status)): \(bodyStart.isEmpty ? "empty body" : bodyStart)"
    }
}
