/// When and how long to wait before trying a call again, as the AWS SDKs' standard mode does:
/// a bounded number of attempts, exponential backoff with full jitter capped at 20 seconds,
/// `Retry-After` honoured; throttling, HTTP 500/502/503/504, time-outs and dropped connections
/// are retried, other 4xx answers never.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A number in [0, 1); replaceable so tests can fix the jitter.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(20),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.random = random
    }

    /// Error codes that mean "slow down".
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
    /// Error codes of failures that may pass.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
    ]
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Whether a failed attempt is worth repeating.
    public func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let error as TransportError: error.kind == .timeout || error.kind == .connection
        case let error as AWSServiceError:
            Self.throttlingCodes.contains(error.code) || Self.transientCodes.contains(error.code)
                || Self.transientStatuses.contains(error.status)
        case let error as UnexpectedResponseError: Self.transientStatuses.contains(error.status)
        default: false
        }
    }

    /// How long to wait after failed attempt number `attempt` (1 for the first): a random share of
    /// `min(maxDelay, baseDelay * 2^(attempt-1))`, or what `Retry-After` asks, capped at `maxDelay`.
    /// A negative `Retry-After` (no delay RFC 9110 allows) is not honoured: the backoff stands.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        if let retryAfter, retryAfter >= .zero { return min(retryAfter, maxDelay) }
        let exponent = min(attempt - 1, 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * random()
    }
}
