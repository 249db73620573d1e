import Foundation

extension ECSClient {
    /// One deployment of a service as ECS tracks it (ListServiceDeployments,
    /// DescribeServiceDeployments): its stage, and what rolled it back when something did.
    public struct ServiceDeployment: Sendable, Hashable, Decodable {
        public struct Rollback: Sendable, Hashable, Decodable {
            public let reason: String?
            /// Seconds since 1970.
            public var startedAt: Double? = nil
            /// The revision the deployment rolled back to.
            public var serviceRevisionArn: String? = nil
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
        public var sourceServiceRevisions: [Revision]? = nil
        /// Seconds since 1970.
        public var createdAt: Double? = nil
        public var startedAt: Double? = nil
        public var finishedAt: Double? = nil
        public var stoppedAt: Double? = nil
    }

    /// A service revision (DescribeServiceRevisions): the task definition a deployment rolled out.
    public struct ServiceRevision: Sendable, Hashable, Decodable {
        public struct ContainerImage: Sendable, Hashable, Decodable {
            public let containerName: String?
            public let imageDigest: String?
            public let image: String?
        }

        public let serviceRevisionArn: String?
        public let taskDefinition: String?
        public let containerImages: [ContainerImage]?
        /// Seconds since 1970.
        public let createdAt: Double?
    }

    private struct ListServiceDeploymentsRequest: Encodable {
        /// ListServiceDeployments' `createdAt` filter (the `CreatedAt` shape): seconds since 1970.
        struct CreatedAt: Encodable { let after: Double }
        let cluster: String
        let service: String
        var createdAt: CreatedAt? = nil
        let maxResults: Int
        let nextToken: String?
    }

    private struct ListServiceDeploymentsResponse: Decodable {
        struct Brief: Decodable {
            let serviceDeploymentArn: String?
            let createdAt: Double?
        }
        let serviceDeployments: [Brief]?
        let nextToken: String?
    }

    private struct DescribeServiceRevisionsRequest: Encodable { let serviceRevisionArns: [String] }
    private struct DescribeServiceRevisionsResponse: Decodable { let serviceRevisions: [ServiceRevision]? }

    /// The ARNs of a service's deployments, a page (of at most 100) at a time.
    /// ECS keeps them for 90 days, and only those created on or after 25 October 2024.
    public func listServiceDeployments(cluster: String, service: String) -> Paginated<String> {
        Paginated("ListServiceDeployments") { token in
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "ListServiceDeployments",
                request: ListServiceDeploymentsRequest(cluster: cluster, service: service, maxResults: 100, nextToken: token),
                as: ListServiceDeploymentsResponse.self)
            return ((answer.serviceDeployments ?? []).compactMap(\.serviceDeploymentArn), answer.nextToken)
        }
    }

    /// The deployments `arns` names, asked 20 at a time (the API's limit), in no set order.
    public func describeServiceDeployments(_ arns: [String]) async throws -> [ServiceDeployment] {
        var deployments: [ServiceDeployment] = []
        for start in stride(from: 0, to: arns.count, by: 20) {
            let batch = Array(arns[start..<min(start + 20, arns.count)])
            deployments += try await client.json(
                targetPrefix: Self.target, operation: "DescribeServiceDeployments",
                request: DescribeServiceDeploymentsRequest(serviceDeploymentArns: batch), as: DescribeServiceDeploymentsResponse.self
            ).serviceDeployments ?? []
        }
        return deployments
    }

    /// The service revisions `arns` names, asked 20 at a time (the API's limit).
    public func describeServiceRevisions(_ arns: [String]) async throws -> [ServiceRevision] {
        var revisions: [ServiceRevision] = []
        for start in stride(from: 0, to: arns.count, by: 20) {
            let batch = Array(arns[start..<min(start + 20, arns.count)])
            revisions += try await client.json(
                targetPrefix: Self.target, operation: "DescribeServiceRevisions",
                request: DescribeServiceRevisionsRequest(serviceRevisionArns: batch), as: DescribeServiceRevisionsResponse.self
            ).serviceRevisions ?? []
        }
        return revisions
    }

    private struct DescribeServiceDeploymentsRequest: Encodable { let serviceDeploymentArns: [String] }
    private struct DescribeServiceDeploymentsResponse: Decodable { let serviceDeployments: [ServiceDeployment]? }

    /// The service's newest deployment, with its stage and rollback details; `nil` when it has none.
    /// `createdAfter` (seconds since 1970) leaves older deployments out of the listing, so that a
    /// service deployed more often than a page holds still has its newest one found.
    public func latestServiceDeployment(cluster: String, service: String, createdAfter: Double? = nil) async throws -> ServiceDeployment? {
        let listed = try await client.json(
            targetPrefix: Self.target, operation: "ListServiceDeployments",
            request: ListServiceDeploymentsRequest(
                cluster: cluster, service: service, createdAt: createdAfter.map { .init(after: $0) }, maxResults: 20, nextToken: nil),
            as: ListServiceDeploymentsResponse.self)
        // The API reference promises no order: the newest of the page by createdAt (the first of
        // those that tie, or of a page without times).
        let newest = (listed.serviceDeployments ?? []).max { ($0.createdAt ?? -.infinity) < ($1.createdAt ?? -.infinity) }
        guard let arn = newest?.serviceDeploymentArn else { return nil }
        return try await client.json(
            targetPrefix: Self.target, operation: "DescribeServiceDeployments",
            request: DescribeServiceDeploymentsRequest(serviceDeploymentArns: [arn]), as: DescribeServiceDeploymentsResponse.self
        ).serviceDeployments?.first
    }
}
