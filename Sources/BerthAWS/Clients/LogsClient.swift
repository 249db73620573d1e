import Foundation

/// The CloudWatch Logs calls Berth makes (JSON 1.1): reading a service's log events.
public struct LogsClient: Sendable {
    static let target = "Logs_20140328"
    let client: ServiceClient

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .logs, configuration: configuration)
    }

    /// One log event.
    public struct Event: Sendable, Hashable, Decodable {
        public let logStreamName: String?
        /// Milliseconds since 1970.
        public let timestamp: Int64?
        public let message: String?
        public let eventId: String?
    }

    private struct FilterRequest: Encodable {
        let logGroupName: String
        let logStreamNames: [String]?
        let startTime: Int64?
        let nextToken: String?
        let limit: Int
    }

    private struct FilterResponse: Decodable {
        let events: [Event]?
        let nextToken: String?
    }

    /// The group's events from `startTime` (milliseconds since 1970) on, of the streams named
    /// (every stream when `nil`), a page at a time, in the order CloudWatch Logs returns them.
    public func filterLogEvents(logGroup: String, streams: [String]? = nil, startTime: Int64?) -> Paginated<Event> {
        Paginated("FilterLogEvents") { token in try await filterLogEventsPage(logGroup: logGroup, streams: streams, startTime: startTime, token: token) }
    }

    /// One page of `filterLogEvents`: the one after `token` (the first for `nil`), and the token
    /// of the next, if any. The API reference warns that a page may be empty while more follow.
    /// A malformed answer is not repeated in the error: a log line may hold a secret.
    public func filterLogEventsPage(
        logGroup: String, streams: [String]? = nil, startTime: Int64?, token: String?
    ) async throws -> (items: [Event], next: String?) {
        let answer = try await client.json(
            targetPrefix: Self.target, operation: "FilterLogEvents",
            request: FilterRequest(logGroupName: logGroup, logStreamNames: streams, startTime: startTime, nextToken: token, limit: 10_000),
            as: FilterResponse.self, holdsSecrets: true)
        return (answer.events ?? [], answer.nextToken.flatMap { $0.isEmpty ? nil : $0 })
    }
}
