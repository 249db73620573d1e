import BerthModel
import BerthAWS
import Foundation

/// The deploys of an environment's services, newest first, read from what AWS keeps: ECS's
/// service deployments (ListServiceDeployments, DescribeServiceDeployments), the service
/// revisions they rolled out (DescribeServiceRevisions), and those revisions' task definitions,
/// whose `IMAGE_TAG`, `COMMIT_SHA` and `BUILD_TIME` Berth sets. Berth keeps no store of its own.
public struct DeployHistory: Sendable {
    /// What AWS does not keep, for the output and the README.
    public static let retention =
        "ECS keeps a service's deployments for 90 days, and none created before 25 October 2024: older deploys are not listed"

    /// The history of one service stack.
    public struct Service: Sendable {
        public var environment: String
        public var service: String
        public var stack: String
        /// The repository of the service's image.
        public var repository: String?
        /// Whether the stack holds a deployment of this app.
        public var isDeployed = false
        /// The stack of the service's name, when it is not the app's (`StackOwnership`): it
        /// holds no deploy of the service.
        public var foreign: ForeignStack?
        /// The stack's `ImageTag` and `CommitSha` parameters: what the last deploy set.
        public var deployedTag: String?
        public var deployedCommit: String?
        public var deployedBuildTime: String?
        /// Newest first.
        public var records: [DeployRecord] = []
    }

    /// In the plan's order.
    public var services: [Service]
    /// The app whose history it is (its stacks' `berth:app` tag).
    public var app: String? = nil

    /// Every service's deploys, newest first (then by service).
    public var records: [DeployRecord] {
        services.flatMap(\.records).sorted { left, right in
            let (l, r) = (left.startedAt ?? .distantPast, right.startedAt ?? .distantPast)
            return l != r ? l > r : (left.service, left.id) < (right.service, right.id)
        }
    }

    /// What the deploy that first shipped `tag` recorded: the oldest deploy of it whose task
    /// definition names a commit, else a stack last deployed with it. A commit or build time that
    /// is not one (what an older Berth let `--commit-sha` record) is not copied on: the oldest
    /// deploy that recorded a commit counts then.
    public func firstShipped(_ tag: String) -> BuildProvenance.Shipped? {
        func shipped(_ commit: String?, _ buildTime: String?) -> BuildProvenance.Shipped? {
            guard let commit, BuildProvenance.commitProblem(commit) == nil else { return nil }
            return .init(commit: commit.lowercased(), buildTime: buildTime.flatMap { BuildProvenance.buildTimeProblem($0) == nil ? $0 : nil })
        }
        if let record = records.reversed().first(where: { $0.imageTag == tag && shipped($0.commit, $0.buildTime) != nil }) {
            return shipped(record.commit, record.buildTime)
        }
        if let service = services.first(where: { $0.deployedTag == tag && shipped($0.deployedCommit, $0.deployedBuildTime) != nil }) {
            return shipped(service.deployedCommit, service.deployedBuildTime)
        }
        return nil
    }

    /// Reads the history of every service stack of `plan`, at most `limit` deploys per service.
    /// With `tolerant`, a service whose deployments ECS does not answer for has none (for a
    /// deploy, which only looks for what an earlier one recorded).
    public static func read(
        _ plan: DeployPlan, limit: Int?, tolerant: Bool = false,
        clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> DeployHistory {
        let stacks = plan.stacks.filter { $0.phase == .ecs && $0.service != nil && $0.jobPolicy == nil }
        let services = try await withThrowingTaskGroup(of: (Int, Service).self) { group in
            for (index, stack) in stacks.enumerated() {
                group.addTask { (index, try await read(stack, limit: limit, tolerant: tolerant, clients: try clients(stack.target))) }
            }
            var results: [(Int, Service)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return DeployHistory(services: services, app: stacks.lazy.compactMap(\.appName).first)
    }

    /// Reads the deploys of one service stack, newest first.
    public static func read(
        _ stack: PlannedStack, limit: Int?, tolerant: Bool = false, clients: AppDeployer.Clients
    ) async throws -> Service {
        var history = Service(
            environment: stack.environment ?? "", service: stack.service ?? "", stack: stack.name, repository: stack.imageRepository)
        let found = try await clients.cloudFormation.describeStack(stack.name)
        history.foreign = found.flatMap { StackOwnership.foreign($0, tags: stack.tags) }
        guard history.foreign == nil, let deployed = found, deployed.status.holdsDeployment else { return history }
        history.isDeployed = true
        history.deployedTag = deployed.parameters[ParameterName.imageTag]
        history.deployedCommit = known(deployed.parameters[ParameterName.commitSha])
        history.deployedBuildTime = known(deployed.parameters[ParameterName.buildTime])
        guard let cluster = deployed.parameters[ParameterName.clusterName] else { return history }
        var serviceID = deployed.outputs[OutputName.serviceName]
        if serviceID == nil {
            serviceID = try await clients.cloudFormation.listStackResources(stackName: stack.name).collect()
                .first { $0.resourceType == "AWS::ECS::Service" }?.physicalID
        }
        guard let serviceID else { return history }
        do {
            history.records = try await records(of: serviceID, in: cluster, for: history, limit: limit, ecs: clients.ecs)
        } catch let error where tolerant && !(error is CancellationError) {
            return history
        }
        return history
    }

    /// A service's deploys, newest first.
    private static func records(
        of serviceID: String, in cluster: String, for history: Service, limit: Int?, ecs: ECSClient
    ) async throws -> [DeployRecord] {
        // The API reference promises no order: every deployment is described, then sorted.
        let arns = try await ecs.listServiceDeployments(cluster: cluster, service: serviceID).collect()
        var deployments = try await ecs.describeServiceDeployments(arns).sorted { left, right in
            let (l, r) = (left.startedAt ?? left.createdAt ?? 0, right.startedAt ?? right.createdAt ?? 0)
            return l != r ? l > r : (left.serviceDeploymentArn ?? "") > (right.serviceDeploymentArn ?? "")
        }
        if let limit { deployments = Array(deployments.prefix(limit)) }
        let revisionArns = Array(Set(deployments.compactMap { $0.targetServiceRevision?.arn })).sorted()
        let revisions = Dictionary(
            try await ecs.describeServiceRevisions(revisionArns).compactMap { revision in
                revision.serviceRevisionArn.map { ($0, revision) }
            }, uniquingKeysWith: { first, _ in first })
        var definitions: [String: ECSClient.TaskDefinition] = [:]
        for arn in Set(revisions.values.compactMap(\.taskDefinition)).sorted() {
            definitions[arn] = try await ecs.describeTaskDefinition(arn)
        }
        var records: [DeployRecord] = []
        for deployment in deployments {
            let id = deployment.serviceDeploymentArn.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "-"
            var record = DeployRecord(environment: history.environment, service: history.service, id: id, outcome: DeployOutcome(deployment))
            record.startedAt = (deployment.startedAt ?? deployment.createdAt).map(Date.init(timeIntervalSince1970:))
            record.finishedAt = (deployment.finishedAt ?? deployment.stoppedAt).map(Date.init(timeIntervalSince1970:))
            record.reason = (deployment.rollback?.reason ?? deployment.statusReason).map(ServerText.line)
            let revision = deployment.targetServiceRevision?.arn.flatMap { revisions[$0] }
            if let arn = revision?.taskDefinition {
                record.taskDefinition = String(arn.split(separator: "/").last ?? Substring(arn))
                record.revision = record.taskDefinition?.split(separator: ":").last.flatMap { Int($0) }
                if let definition = definitions[arn] {
                    record.revision = definition.revision ?? record.revision
                    describe(&record, from: definition)
                }
            }
            // The digest the task definition pins is ECR's for the tag (the gate's): what rollback
            // compares with ECR again. ECS's own resolution counts only where nothing was pinned.
            if record.imageDigest == nil,
                let digest = revision?.containerImages?.first(where: { $0.containerName == history.service })?.imageDigest
            {
                record.imageDigest = digest
            }
            records.append(record)
        }
        return records.sorted { left, right in
            let (l, r) = (left.startedAt ?? .distantPast, right.startedAt ?? .distantPast)
            return l != r ? l > r : left.id > right.id
        }
    }

    /// The tag, digest and build the service's container in `definition` names.
    private static func describe(_ record: inout DeployRecord, from definition: ECSClient.TaskDefinition) {
        guard let container = definition.containerDefinitions?.first(where: { $0.name == record.service })
            ?? definition.containerDefinitions?.first
        else { return }
        let variables = Dictionary(
            (container.environment ?? []).compactMap { variable in variable.name.map { ($0, variable.value ?? "") } },
            uniquingKeysWith: { first, _ in first })
        let image = container.image ?? ""
        let name = image.split(separator: "/").last.map(String.init) ?? image
        if let at = name.firstIndex(of: "@") {
            record.imageDigest = String(name[name.index(after: at)...])
            record.imageDigestIsPinned = true
        } else if let colon = name.firstIndex(of: ":") {
            record.imageTag = String(name[name.index(after: colon)...])
        }
        record.imageTag = known(variables["IMAGE_TAG"]) ?? record.imageTag
        record.commit = known(variables["COMMIT_SHA"])
        record.buildTime = known(variables["BUILD_TIME"])
    }

    /// `nil` for a value a deploy did not know.
    private static func known(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value != "unknown" else { return nil }
        return value
    }
}
