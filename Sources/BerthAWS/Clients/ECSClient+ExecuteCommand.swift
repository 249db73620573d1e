import Foundation

extension ECSClient {
    /// What ExecuteCommand answers: where the command runs and the Session Manager session that
    /// carries it. The session's token is a secret: it is never shown, not even by `description`.
    public struct ExecuteCommandResponse: Sendable, Hashable, Decodable, CustomStringConvertible {
        /// The data channel AWS's `session-manager-plugin` opens: `sessionId`, `streamUrl` and
        /// `tokenValue`, the secret that authorizes it.
        public struct Session: Sendable, Hashable, Decodable, CustomStringConvertible, CustomDebugStringConvertible {
            public let sessionId: String?
            public let streamUrl: String?
            public let tokenValue: String?

            public init(sessionId: String?, streamUrl: String?, tokenValue: String?) {
                self.sessionId = sessionId
                self.streamUrl = streamUrl
                self.tokenValue = tokenValue
            }

            public var description: String { "session \(sessionId ?? "-") (token redacted)" }
            public var debugDescription: String { description }
        }

        public let clusterArn: String?
        public let containerArn: String?
        public let containerName: String?
        public let interactive: Bool?
        public let session: Session?
        public let taskArn: String?

        public var description: String {
            "ExecuteCommand: \(containerName ?? "-") in \(taskArn ?? "-"), \(session?.description ?? "no session")"
        }
    }

    private struct ExecuteCommandRequest: Encodable {
        let cluster: String
        let task: String
        let container: String
        let command: String
        let interactive: Bool
    }

    /// Runs `command` in `container` of `task` through ECS Exec (ExecuteCommand, interactive as
    /// AWS requires); the session to hand to `session-manager-plugin`.
    public func executeCommand(cluster: String, task: String, container: String, command: String) async throws -> ExecuteCommandResponse {
        try await client.json(
            targetPrefix: Self.target, operation: "ExecuteCommand",
            request: ExecuteCommandRequest(cluster: cluster, task: task, container: container, command: command, interactive: true),
            as: ExecuteCommandResponse.self, holdsSecrets: true)
    }

    /// The region the client calls.
    public var region: String { client.configuration.region }

    /// The URL the client calls (`https://ecs.eu-west-1.amazonaws.com`, or the override): what the
    /// AWS CLI hands `session-manager-plugin` as its endpoint.
    public func endpointURL() throws -> String {
        try client.configuration.endpoints.endpoint(for: .ecs).origin
    }
}
