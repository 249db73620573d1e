import AWS
import Foundation

/// One stack to deploy.
public struct StackDeployment: Sendable {
    public var stackName: String
    public var templateBody: String
    /// How many resources the template declares, for the progress count.
    public var resourceCount: Int
    public var parameters: [(key: String, value: String)]
    /// Parameters that keep their deployed value (UsePreviousValue).
    public var keepPreviousParameters: [String]
    public var tags: [(key: String, value: String)]
    public var capabilities: [String]
    /// Whether the stack must be protected from deletion (phase 1: the repository).
    public var terminationProtection: Bool

    public init(
        stackName: String, templateBody: String, resourceCount: Int, parameters: [(key: String, value: String)] = [],
        keepPreviousParameters: [String] = [], tags: [(key: String, value: String)] = [], capabilities: [String] = [], terminationProtection: Bool = false
    ) {
        self.stackName = stackName
        self.templateBody = templateBody
        self.resourceCount = resourceCount
        self.parameters = parameters
        self.keepPreviousParameters = keepPreviousParameters
        self.tags = tags
        self.capabilities = capabilities
        self.terminationProtection = terminationProtection
    }
}

/// How a deploy ended when it did not fail.
public enum DeployResult: Sendable, Hashable {
    case created
    case updated
    case noChanges
}

/// Where a deploy reports what happens, as it happens.
public struct DeployReporter: Sendable {
    public var message: @Sendable (String) -> Void
    public var plannedChanges: @Sendable (_ stack: String, [ResourceChange]) -> Void
    public var event: @Sendable (StackEvent, _ done: Int, _ total: Int) -> Void

    public init(
        message: @escaping @Sendable (String) -> Void, plannedChanges: @escaping @Sendable (String, [ResourceChange]) -> Void,
        event: @escaping @Sendable (StackEvent, Int, Int) -> Void
    ) {
        self.message = message
        self.plannedChanges = plannedChanges
        self.event = event
    }
}

/// Deploys a stack through a change set, following `StackStateMachine`, and streams its events
/// until it settles.
public struct StackDeployer: Sendable {
    let cloudFormation: CloudFormationClient
    let ecs: ECSClient?
    let reporter: DeployReporter
    let timeout: Duration
    let schedule: PollSchedule
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> ContinuousClock.Instant
    /// Whether a deploy that would send exactly what is deployed reports "no changes" without
    /// making a change set (`--force` turns it off).
    let skipsUnchanged: Bool

    public init(
        cloudFormation: CloudFormationClient, ecs: ECSClient?, reporter: DeployReporter, timeout: Duration = .seconds(1800),
        skipsUnchanged: Bool = true, schedule: PollSchedule = PollSchedule(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.cloudFormation = cloudFormation
        self.ecs = ecs
        self.reporter = reporter
        self.timeout = timeout
        self.skipsUnchanged = skipsUnchanged
        self.schedule = schedule
        self.sleep = sleep
        self.now = now
    }

    /// Deploys and returns how it ended, with the stack's outputs.
    public func deploy(_ deployment: StackDeployment) async throws -> (result: DeployResult, outputs: [String: String]) {
        let deadline = now() + timeout
        let name = deployment.stackName
        var kind: ChangeSetRequest.Kind
        var deployed: StackDescription?
        decide: while true {
            let stack = try await cloudFormation.describeStack(name)
            deployed = stack
            switch StackStateMachine.action(for: stack?.status) {
            case .create:
                kind = .create
                break decide
            case .update:
                kind = .update
                break decide
            case .waitForSettle:
                reporter.message("\(name) is \(stack?.status ?? "busy"); waiting for it to settle")
                _ = try await waitUntilSettled(name, deadline: deadline, total: deployment.resourceCount, streaming: false)
            case .deleteThenCreate(let reason):
                reporter.message("\(name): \(reason); deleting it and creating it again")
                try await cloudFormation.deleteStack(stackName: name)
                _ = try await waitUntilSettled(name, deadline: deadline, total: deployment.resourceCount, streaming: false)
            case .stop(let guidance):
                throw DeployError.stackBlocked(stack: name, status: stack?.status ?? "", guidance: guidance.replacingOccurrences(of: "<stack>", with: name))
            }
        }

        // Nothing to send that is not there already: no change set, two read calls in all.
        if kind == .update, skipsUnchanged, let deployed, StackStateMachine.canSkipUnchanged(deployed.status),
            deployment.isUnchanged(comparedWith: deployed, templateBody: try await cloudFormation.getTemplate(stackName: name))
        {
            if deployment.terminationProtection && !deployed.terminationProtection { await protect(name) }
            return (.noChanges, deployed.outputs)
        }
        // A random suffix: stacks deployed at the same time never share a change set name.
        let changeSetName = "berth-" + Self.compactTimestamp(Date()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        do {
            _ = try await cloudFormation.createChangeSet(
                ChangeSetRequest(
                    stackName: name, changeSetName: changeSetName, kind: kind, templateBody: deployment.templateBody,
                    parameters: deployment.parameters, keepPreviousParameters: deployment.keepPreviousParameters,
                    capabilities: deployment.capabilities, tags: deployment.tags, description: "created by berth deploy"))
        } catch let error as AWSServiceError
            where error.code == "ValidationError" && StackStateMachine.action(forChangeSetStatus: "FAILED", reason: error.message) == .noChanges
        {
            // Some endpoints refuse an identical update at once instead of failing the change set.
            return (.noChanges, try await cloudFormation.describeStack(name)?.outputs ?? [:])
        }
        var poll = 0
        var changeSet: ChangeSetDescription
        while true {
            changeSet = try await cloudFormation.describeChangeSet(stackName: name, changeSetName: changeSetName)
            switch StackStateMachine.action(forChangeSetStatus: changeSet.status, reason: changeSet.statusReason) {
            case .wait:
                try await pause(&poll, deadline: deadline, stack: name, status: "change set \(changeSet.status)")
                continue
            case .noChanges:
                try await cloudFormation.deleteChangeSet(stackName: name, changeSetName: changeSetName)
                return (.noChanges, try await cloudFormation.describeStack(name)?.outputs ?? [:])
            case .fail(let reason):
                throw DeployError.changeSetFailed(
                    stack: name, reason: reason,
                    details: await ChangeSetFailureReasons.fetch(stack: name, changeSet: changeSetName, from: cloudFormation))
            case .execute:
                break
            }
            break
        }
        // Images live in repositories: a change set that would replace or remove one (a new
        // encryption key, a renamed repository) is never executed.
        if let repository = changeSet.changes.first(where: StackStateMachine.losesRepository) {
            try? await cloudFormation.deleteChangeSet(stackName: name, changeSetName: changeSetName)
            throw DeployError.stackBlocked(
                stack: name, status: deployed?.status ?? "",
                guidance: "the change would \(repository.action == "Remove" ? "remove" : "replace") the image repository \(repository.physicalID ?? repository.logicalID) "
                    + "(\(repository.logicalID)); Berth never replaces or deletes a repository, and nothing was changed. "
                    + "Undo the change to it (a KMS key, for one, can only be set on a repository that does not exist yet)")
        }
        let changedParameters = deployment.parameters.filter { kind == .update && deployed?.parameters[$0.key] != $0.value }
        if changeSet.changes.isEmpty && !changedParameters.isEmpty {
            // Nothing but parameter values changes (an image tag whose template did not change).
            let changes = changedParameters.map { "\($0.key) \(deployed?.parameters[$0.key] ?? "-") → \($0.value)" }
            reporter.message("\(name): parameters only: " + changes.joined(separator: ", "))
        } else {
            reporter.plannedChanges(name, changeSet.changes)
        }
        let lastEventBefore = try await newestEventID(name)
        try await cloudFormation.executeChangeSet(stackName: name, changeSetName: changeSetName)
        let final = try await waitUntilSettled(
            name, deadline: deadline, total: deployment.resourceCount, streaming: true, since: lastEventBefore)
        guard let stack = final.stack, StackStateMachine.outcome(of: final.status) == .succeeded else {
            throw try await failure(of: name, status: final.status, events: final.events)
        }
        if deployment.terminationProtection && !stack.terminationProtection { await protect(name) }
        return (kind == .create ? .created : .updated, stack.outputs)
    }

    /// Turns on termination protection; a failure is a warning (moto, for one, cannot do it).
    private func protect(_ name: String) async {
        do {
            try await cloudFormation.updateTerminationProtection(stackName: name, enabled: true)
        } catch {
            reporter.message("warning: \(name): could not turn on termination protection: \(error)")
        }
    }

    /// How a delete ended when it did not fail.
    public enum DeleteResult: Sendable, Hashable {
        case deleted
        /// There was no stack to delete.
        case absent
    }

    /// Deletes the stack and streams its events until it is gone; waits first when it is busy.
    /// (Whether it may be deleted is for the caller to decide.)
    public func delete(_ name: String) async throws -> DeleteResult {
        let deadline = now() + timeout
        guard var stack = try await cloudFormation.describeStack(name) else { return .absent }
        if StackStateMachine.outcome(of: stack.status) == .inProgress {
            reporter.message("\(name) is \(stack.status); waiting for it to settle")
            let settled = try await waitUntilSettled(name, deadline: deadline, total: 0, streaming: false)
            guard let current = settled.stack else { return .absent }
            stack = current
        }
        let resources = try await cloudFormation.listStackResources(stackName: name).collect().count
        let lastEventBefore = try await newestEventID(name)
        try await cloudFormation.deleteStack(stackName: name)
        // A deleted stack answers by its ID only: follow it by its ID.
        let id = stack.stackID.isEmpty ? name : stack.stackID
        let final = try await waitUntilSettled(id, deadline: deadline, total: resources, streaming: true, since: lastEventBefore)
        guard final.stack == nil || final.status == "DELETE_COMPLETE" else {
            throw try await failure(of: name, status: final.status, events: final.events)
        }
        return .deleted
    }

    /// The ID of the stack's newest event, so that only later ones are streamed.
    private func newestEventID(_ name: String) async throws -> String? {
        var iterator = cloudFormation.describeStackEvents(stackName: name).makeAsyncIterator()
        return try await iterator.next()?.eventID
    }

    private func pause(_ poll: inout Int, deadline: ContinuousClock.Instant, stack: String, status: String?) async throws {
        let delay = schedule.delay(beforePoll: poll)
        poll += 1
        guard now() + delay <= deadline else { throw DeployError.timedOut(stack: stack, status: status, waited: timeout) }
        try await sleep(delay)
    }

    /// What waiting ended with: the stack (`nil` once deleted), its status, and the events streamed.
    struct Settled {
        let stack: StackDescription?
        let status: String
        let events: [StackEvent]
    }

    /// Waits until the stack is no longer in progress. With `streaming`, reports each event newer
    /// than `since` (all of them when `since` is `nil`) as it appears, oldest first.
    private func waitUntilSettled(
        _ name: String, deadline: ContinuousClock.Instant, total: Int, streaming: Bool, since: String? = nil
    ) async throws -> Settled {
        var seen = since
        var streamed: [StackEvent] = []
        var done: Set<String> = []
        var poll = 0
        var rollout = RolloutProgress(watch: RolloutWatch(since: Date()))
        while true {
            if streaming {
                var fresh: [StackEvent] = []
                do {
                    for try await event in cloudFormation.describeStackEvents(stackName: name) {
                        if event.eventID == seen { break }
                        fresh.append(event)
                    }
                } catch let error as AWSServiceError where error.code == "ValidationError" && error.message.contains("does not exist") {
                    // Gone while its events were read: a finished delete.
                    return Settled(stack: nil, status: "DELETE_COMPLETE", events: streamed)
                }
                if let newest = fresh.first { seen = newest.eventID }
                for event in fresh.reversed() {
                    if event.logicalID != name && event.status.hasSuffix("_COMPLETE") { done.insert(event.logicalID) }
                    streamed.append(event)
                    // The stack's own success closes the count, whatever events were reported.
                    let finished = event.logicalID == name && ["CREATE_COMPLETE", "UPDATE_COMPLETE"].contains(event.status)
                    reporter.event(event, finished ? total : min(done.count, total), total)
                    rollout.follow(event)
                }
                if let ecs { await show(&rollout, of: name, ecs: ecs) }
            }
            guard let stack = try await cloudFormation.describeStack(name) else {
                return Settled(stack: nil, status: "DELETE_COMPLETE", events: streamed)
            }
            if StackStateMachine.outcome(of: stack.status) != .inProgress {
                return Settled(stack: stack, status: stack.status, events: streamed)
            }
            try await pause(&poll, deadline: deadline, stack: name, status: stack.status)
        }
    }

    /// The error for a failed operation: the failing events, first cause first, and, when the
    /// ECS service failed, why its recent tasks stopped.
    private func failure(of name: String, status: String, events: [StackEvent]) async throws -> DeployError {
        let failed = events.filter { $0.status.hasSuffix("_FAILED") && $0.logicalID != name }
        let causes = failed.filter { !($0.statusReason ?? "").contains("Resource creation cancelled") }
        var stoppedTasks: [String] = []
        if let ecs, let serviceEvent = failed.first(where: { $0.resourceType == "AWS::ECS::Service" }) {
            stoppedTasks = try await stoppedTaskReasons(stack: name, service: serviceEvent, ecs: ecs)
        }
        return DeployError.stackFailed(stack: name, status: status, causes: causes.isEmpty ? failed : causes, stoppedTasks: stoppedTasks)
    }

    private func stoppedTaskReasons(stack: String, service: StackEvent, ecs: ECSClient) async throws -> [String] {
        // The cluster is in the service's ARN; in a stack of its own (the environment's shared
        // stack) otherwise.
        var cluster = service.physicalID.flatMap(RolloutProgress.cluster(ofServiceArn:))
        if cluster == nil {
            let resources = try await cloudFormation.listStackResources(stackName: stack).collect()
            cluster = resources.first(where: { $0.resourceType == "AWS::ECS::Cluster" })?.physicalID
        }
        guard let cluster else { return [] }
        let arns = try await ecs.listTasks(cluster: cluster, desiredStatus: "STOPPED").collect()
        let tasks = try await ecs.describeTasks(cluster: cluster, tasks: Array(arns.prefix(10)))
        return tasks.map { task in
            let containers = (task.containers ?? []).compactMap { container in
                container.reason.map { "\(container.name ?? "container"): \($0)" }
            }
            let id = task.taskArn?.split(separator: "/").last.map(String.init) ?? "task"
            return ([id + ": " + (task.stoppedReason ?? task.stopCode ?? "stopped")] + containers).joined(separator: "; ")
        }
    }

    static func compactTimestamp(_ date: Date) -> String {
        let utc = UTCDateComponents(date)
        return "\(utc.compactDay)-\(utc.compactTime)"
    }
}
