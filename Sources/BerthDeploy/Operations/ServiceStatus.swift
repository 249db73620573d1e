import BerthModel
import BerthAWS
import Foundation

/// What runs for one service in one environment, read from CloudFormation, ECS and ECR: the
/// answer to "which version is running?".
public struct ServiceStatus: Sendable {
    public var environment: String
    public var service: String
    public var stack: String
    /// The stack's status, `nil` when it is not deployed; a stack whose first create failed
    /// (`ROLLBACK_COMPLETE`, …) has its status and a note, and no deployment's fields.
    public var stackStatus: String?
    public var lastUpdated: Date?
    /// `family:revision` of the task definition the service runs.
    public var taskDefinition: String?
    public var imageTag: String?
    /// The tag the stack was last deployed with (its `ImageTag` parameter).
    public var deployedTag: String?
    /// The digest the running tasks report (else the one the task definition pins).
    public var imageDigest: String?
    public var commit: String?
    public var buildTime: String?
    public var desiredCount: Int?
    public var runningCount: Int?
    public var pendingCount: Int?
    /// The newest ECS deployment's rollout: `IN_PROGRESS`, `COMPLETED` or `FAILED`, and why.
    public var rolloutState: String?
    public var rolloutReason: String?
    public var url: String?
    /// The last drift detection's result and time, as CloudFormation keeps it; `nil` when
    /// DescribeStacks reports none. Reading the status starts no detection.
    public var drift: StackDriftInformation?
    /// What needs attention: a digest the tag no longer points to, a rollout under way, …
    public var notes: [String] = []
    /// For a job: its last runs, newest first (ECS keeps a stopped task for about an hour).
    public var runs: [JobRunRecord]?

    /// One run of a job, as ECS reports its task.
    public struct JobRunRecord: Sendable, Hashable {
        public let taskID: String
        public let startedAt: Date?
        public let stoppedAt: Date?
        /// The main container's exit code; `nil` while it runs, or when it never ran.
        public let exitCode: Int?
        public let stoppedReason: String?
        /// `RUNNING`, `STOPPED`, …
        public let lastStatus: String?

        /// How long it ran, when it has stopped.
        public var duration: TimeInterval? {
            guard let startedAt, let stoppedAt else { return nil }
            return stoppedAt.timeIntervalSince(startedAt)
        }

        /// `duration` in whole seconds; `nil` too when the answer's times make it no number of
        /// seconds (a bogus answer).
        public var durationSeconds: Int? {
            guard let duration, duration.isFinite, abs(duration) < 1e15 else { return nil }
            return Int(duration.rounded())
        }
    }

    /// Reads the status of `stack` (a service stack of the plan) with its environment's
    /// `clients`. `sharedStack` gives the URL of a service behind the environment's load
    /// balancer; `repositories` reads what the image tag points to now, where the repository is
    /// (the repositories' region and credentials; the environment's ECR when `nil`).
    public static func read(
        _ stack: PlannedStack, sharedStack: String?, clients: AppDeployer.Clients, repositories: ECRClient? = nil
    ) async throws -> ServiceStatus {
        var status = ServiceStatus(environment: stack.environment ?? "", service: stack.service ?? "", stack: stack.name)
        let found = try await clients.cloudFormation.describeStack(stack.name)
        if let found, let foreign = StackOwnership.foreign(found, tags: stack.tags) {
            // Another app's stack, or an untagged one, whatever its status: nothing of it is the service's.
            status.notes.append("\(foreign), so it is not this service's")
            return status
        }
        guard let deployed = found else { return status }
        if deployed.status.isFirstCreateFailure {
            // No deployment to show, but not "not deployed" either: the stack is there, and its
            // failed rollback can leave resources behind.
            status.stackStatus = deployed.status.name
            status.lastUpdated = deployed.lastUpdatedTime ?? deployed.creationTime
            status.notes.append(
                "the stack's first create failed (\(deployed.status.name)), so it runs no deployment"
                    + (deployed.status == .rollbackFailed ? "; resources its rollback could not delete may remain (see the stack's events)" : "")
                    + "; the next deploy deletes the stack and creates it again")
            return status
        }
        guard deployed.status.holdsDeployment else { return status }
        status.stackStatus = deployed.status.name
        status.lastUpdated = deployed.lastUpdatedTime ?? deployed.creationTime
        status.drift = deployed.drift
        status.deployedTag = deployed.parameters[ParameterName.imageTag]
        status.imageTag = status.deployedTag
        status.commit = deployed.parameters[ParameterName.commitSha]
        status.buildTime = deployed.parameters[ParameterName.buildTime]
        status.url = deployed.outputs[OutputName.serviceUrl]
        // A service with a rule on the shared listener answers at the shared load balancer's
        // URL (its stack has no URL of its own); a worker, a backend or a job at none.
        if status.url == nil, stack.sharedListener != nil, let sharedStack,
            let shared = try await clients.cloudFormation.describeStack(sharedStack),
            let app = stack.appName,
            StackOwnership.foreign(shared, tags: StackTags.tags(app: app, phase: .ecs, environment: stack.environment, service: nil)) == nil
        {
            status.url = shared.outputs[OutputName.loadBalancerUrl]
        }
        if deployed.status.isInProgress {
            status.notes.append("the stack is \(deployed.status)")
        }
        if stack.jobPolicy != nil {
            status.runs = try await jobRuns(of: stack, deployed: deployed, clients: clients)
            if status.runs?.isEmpty == true {
                status.notes.append("no run in the last hour or so: ECS keeps a stopped task for about an hour")
            }
            return status
        }
        guard let cluster = deployed.parameters[ParameterName.clusterName] else { return status }
        var serviceID = deployed.outputs[OutputName.serviceName]
        if serviceID == nil {
            serviceID = try await clients.cloudFormation.listStackResources(stackName: stack.name).collect()
                .first { $0.resourceType == "AWS::ECS::Service" }?.physicalID
        }
        guard let serviceID, let service = try await clients.ecs.describeServices(cluster: cluster, services: [serviceID]).first else {
            return status
        }
        status.desiredCount = service.desiredCount
        status.runningCount = service.runningCount
        status.pendingCount = service.pendingCount
        let newest = (service.deployments ?? []).max { ($0.createdAt ?? 0) < ($1.createdAt ?? 0) }
        status.rolloutState = newest?.rolloutState
        status.rolloutReason = newest?.rolloutStateReason.map(ServerText.line)
        if (service.deployments ?? []).count > 1 || newest?.rolloutState == "IN_PROGRESS" {
            status.notes.append("a deployment is still rolling out")
        }
        if newest?.rolloutState == "FAILED" {
            status.notes.append("the newest deployment failed\(newest?.rolloutStateReason.map { ": \(ServerText.line($0))" } ?? "")")
        }
        // While the circuit breaker rolls a failed deployment back, the newest is ECS's rollback
        // (IN_PROGRESS), and the one that failed is still listed: it is said too.
        for failed in (service.deployments ?? []) where failed.rolloutState == "FAILED" && failed.id != newest?.id {
            let revision = failed.taskDefinition?.split(separator: "/").last.map { " (\($0))" } ?? ""
            status.notes.append("an earlier deployment\(revision) failed\(failed.rolloutStateReason.map { ": \(ServerText.line($0))" } ?? "")")
        }
        if let arn = service.taskDefinition ?? newest?.taskDefinition {
            status.taskDefinition = arn.split(separator: "/").last.map(String.init)
            if let definition = try await clients.ecs.describeTaskDefinition(arn),
                let container = definition.containerDefinitions?.first(where: { $0.name == status.service })
                    ?? definition.containerDefinitions?.first
            {
                let variables = Dictionary(
                    (container.environment ?? []).compactMap { variable in variable.name.map { ($0, variable.value ?? "") } },
                    uniquingKeysWith: { first, _ in first })
                status.imageTag = variables["IMAGE_TAG"] ?? status.imageTag
                status.commit = variables["COMMIT_SHA"] ?? status.commit
                status.buildTime = variables["BUILD_TIME"] ?? status.buildTime
                if let image = container.image, let at = image.range(of: "@sha256:") {
                    status.imageDigest = String(image[image.index(after: at.lowerBound)...])
                }
            }
        }
        if let running = status.imageTag, let deployedTag = status.deployedTag, running != deployedTag {
            status.notes.append("the stack was deployed with \(deployedTag), but the service runs \(running)")
        }
        let taskArns = try await clients.ecs.listTasks(cluster: cluster, serviceName: serviceID, desiredStatus: "RUNNING").collect()
        let tasks = try await clients.ecs.describeTasks(cluster: cluster, tasks: taskArns)
        let running = Set(tasks.flatMap { $0.containers ?? [] }.filter { $0.name == status.service }.compactMap(\.imageDigest))
        if let digest = running.sorted().first { status.imageDigest = digest }
        if running.count > 1 { status.notes.append("tasks run \(running.count) different digests") }
        if let tag = status.imageTag, let repository = stack.imageRepository, let digest = status.imageDigest {
            // A repository deleted, or not readable with these credentials, leaves this note
            // out; the rest of the service's status (and the other services') still shows.
            do {
                if let current = try await (repositories ?? clients.ecr).describeImage(repository: repository, tag: tag)?.imageDigest, current != digest {
                    status.notes.append("the running digest \(digest.prefix(19)) is not what \(tag) now points to (\(current.prefix(19)))")
                }
            } catch let error as AWSServiceError {
                status.notes.append("what \(tag) points to now in \(repository) could not be read: \(error.summary)")
            } catch let error as CredentialsError {
                // The repositories' account, which the caller's credentials are not in.
                status.notes.append("what \(tag) points to now in \(repository) could not be read: \(error)")
            }
        }
        return status
    }

    /// The job's last runs: its task family's tasks in the cluster, running and stopped, newest first.
    static func jobRuns(of stack: PlannedStack, deployed: StackDescription, clients: AppDeployer.Clients) async throws -> [JobRunRecord] {
        guard let cluster = deployed.parameters[ParameterName.clusterName] else { return [] }
        let family = stack.template["Resources"]?.members?.first { $0.value["Type"]?.stringValue == "AWS::ECS::TaskDefinition" }?
            .value["Properties"]?["Family"]?.stringValue
        guard let family else { return [] }
        var arns: [String] = []
        for status in ["RUNNING", "STOPPED"] {
            arns += try await clients.ecs.listTasks(cluster: cluster, family: family, desiredStatus: status).collect()
        }
        let container = stack.service ?? ""
        let tasks = try await clients.ecs.describeTasks(cluster: cluster, tasks: arns)
        return tasks.map { task in
            let main = task.containers?.first { $0.name == container } ?? task.containers?.first
            return JobRunRecord(
                taskID: task.taskArn?.split(separator: "/").last.map(String.init) ?? "-",
                startedAt: (task.startedAt ?? task.createdAt).map { Date(timeIntervalSince1970: $0) },
                stoppedAt: task.stoppedAt.map { Date(timeIntervalSince1970: $0) }, exitCode: main?.exitCode,
                stoppedReason: task.stoppedReason.map(ServerText.line), lastStatus: task.lastStatus)
        }.sorted { ($0.startedAt ?? .distantPast) > ($1.startedAt ?? .distantPast) }.prefix(5).map { $0 }
    }
}
