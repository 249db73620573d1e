import Foundation

extension ECSClient {
    /// One deployment of a service as ECS tracks it (ListServiceDeployments,
    /// DescribeServiceDeployments): its stage, and what rolled it back when something did.
    public struct ServiceDeployment: Sendable, Hashable, Decodable {
        public struct Rollback: Sendable, Hashable, Decodable {
            public let reason: String?
        }

        public struct Alarms: Sendable, Hashable, Decodable {
            public let status: String?
            public let triggeredAlarmNames: [String]?
        }

        public struct CircuitBreaker: Sendable, Hashable, Decodable {
            public let status: String?
            public let failureCount: Int?
            public let threshold: Int?
        }

        public struct Revision: Sendable, Hashable, Decodable {
            public let arn: String?
            public let requestedTaskCount: Int?
            public let runningTaskCount: Int?
            public let pendingTaskCount: Int?
        }

        public let serviceDeploymentArn: String?
        /// `PENDING`, `IN_PROGRESS`, `SUCCESSFUL`, `ROLLBACK_IN_PROGRESS`, `ROLLBACK_SUCCESSFUL`, …
        public let status: String?
        public let statusReason: String?
        /// `SCALE_UP`, `TEST_TRAFFIC_SHIFT`, `PRODUCTION_TRAFFIC_SHIFT`, `BAKE_TIME`, `CLEAN_UP`, …
        public let lifecycleStage: String?
        public let targetServiceRevision: Revision?
        public let rollback: Rollback?
        public let alarms: Alarms?
        public let deploymentCircuitBreaker: CircuitBreaker?
    }

    private struct ListServiceDeploymentsRequest: Encodable {
        let cluster: String
        let service: String
        let maxResults: Int
    }

    private struct ListServiceDeploymentsResponse: Decodable {
        struct Brief: Decodable { let serviceDeploymentArn: String? }
        let serviceDeployments: [Brief]?
    }

    private struct DescribeServiceDeploymentsRequest: Encodable { let serviceDeploymentArns: [String] }
    private struct DescribeServiceDeploymentsResponse: Decodable { let serviceDeployments: [ServiceDeployment]? }

    /// The service's newest deployment, with its stage and rollback details; `nil` when it has none.
    public func latestServiceDeployment(cluster: String, service: String) async throws -> ServiceDeployment? {
        let listed = try await client.json(
            targetPrefix: Self.target, operation: "ListServiceDeployments",
            request: ListServiceDeploymentsRequest(cluster: cluster, service: service, maxResults: 1),
            as: ListServiceDeploymentsResponse.self)
        guard let arn = listed.serviceDeployments?.first?.serviceDeploymentArn else { return nil }
        return try await client.json(
            targetPrefix: Self.target, operation: "DescribeServiceDeployments",
            request: DescribeServiceDeploymentsRequest(serviceDeploymentArns: [arn]), as: DescribeServiceDeploymentsResponse.self
        ).serviceDeployments?.first
    }
}
