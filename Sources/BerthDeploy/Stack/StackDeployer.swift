import BerthAWS
import BerthModel
import Foundation

/// Deploys a stack through a change set, performing what `StackDeployMachine` decides, and
/// streams its events until it settles.
public struct StackDeployer: Sendable {
    let cloudFormation: CloudFormationClient
    let ecs: ECSClient?
    let reporter: DeployReporter
    let timeout: Duration
    let schedule: PollSchedule
    let clock: PollClock
    /// Whether a deploy that would send exactly what is deployed reports "no changes" without
    /// making a change set (`--force` turns it off).
    let skipsUnchanged: Bool

    public init(
        cloudFormation: CloudFormationClient, ecs: ECSClient?, reporter: DeployReporter, timeout: Duration = .seconds(1800),
        skipsUnchanged: Bool = true, schedule: PollSchedule = PollSchedule(), clock: PollClock = .system
    ) {
        self.cloudFormation = cloudFormation
        self.ecs = ecs
        self.reporter = reporter
        self.timeout = timeout
        self.skipsUnchanged = skipsUnchanged
        self.schedule = schedule
        self.clock = clock
    }

    /// Deploys and returns how it ended, with the stack's outputs: performs what
    /// `StackDeployMachine` decides, and tells it what CloudFormation answered.
    public func deploy(_ deployment: StackDeployment) async throws -> (result: DeployResult, outputs: [String: String]) {
        let wait = PollWait(schedule: schedule, timeout: timeout, clock: clock)
        let name = deployment.stackName
        let changeSetName = ChangeSetRun.uniqueName(prefix: "berth")
        var machine = StackDeployMachine(deployment: deployment, skipsUnchanged: skipsUnchanged)
        var streamed: [StackEvent] = []
        var deployedTemplate: String?
        var keeping: DeployError?
        // The stack's ID, once a change set has been made: a first create that fails is deleted
        // (OnStackFailure DELETE), after which its status and events answer only by ID.
        var stackID: String?
        func unrun(madeStack: Bool) -> UnrunChangeSet {
            UnrunChangeSet(name: changeSetName, stack: name, madeStack: madeStack, roleARN: deployment.cloudFormationRoleArn, tags: deployment.tags)
        }
        var action = machine.start()
        while true {
            switch action {
            case .describeStack:
                action = machine.described(try await cloudFormation.describeStack(name))
            case .waitForSettle(let message):
                reporter.message(message)
                _ = try await waitUntilSettled(name, wait: wait.restarted, total: deployment.resourceCount, streaming: false)
                action = machine.settled()
            case .deleteStack(let message):
                reporter.message(message)
                reporter.stackChanging(name)
                try await cloudFormation.deleteStack(stackName: name, roleARN: deployment.cloudFormationRoleArn)
                _ = try await waitUntilSettled(name, wait: wait.restarted, total: deployment.resourceCount, streaming: false)
                action = machine.settled()
            case .fetchTemplate:
                let body = try await cloudFormation.getTemplate(stackName: name)
                deployedTemplate = body
                action = machine.templateFetched(body)
            case .makeChangeSet(let kind):
                var request = ChangeSetRequest(
                    stackName: name, changeSetName: changeSetName, kind: kind, templateBody: deployment.templateBody,
                    parameters: deployment.parameters, keepPreviousParameters: deployment.keepPreviousParameters,
                    capabilities: deployment.capabilities, tags: deployment.tags,
                    description: deployment.revertsDrift && kind == .update ? "created by berth deploy --revert-drift" : "created by berth deploy")
                    .revertingDrift(deployment.revertsDrift && kind == .update)
                request.roleARN = deployment.cloudFormationRoleArn
                if kind == .create && deployment.importExistingResources {
                    request.importExistingResources = true
                    reporter.message("\(name): change set CREATE with ImportExistingResources: the existing repository is imported, not created")
                }
                do {
                    let outcome = try await ChangeSetRun(cloudFormation: cloudFormation).run(request, wait: wait.restarted)
                    if case .ready(let changeSet) = outcome, !changeSet.stackID.isEmpty { stackID = changeSet.stackID }
                    action = machine.changeSetMade(outcome)
                } catch {
                    // A refused change set (what it found is in the error), or one still being
                    // worked out when the deploy timed out or was interrupted, would otherwise stay
                    // on the stack, one more for every such deploy.
                    action = machine.changeSetFailed(error)
                }
            case .deleteChangeSet:
                try await cloudFormation.deleteChangeSet(stackName: name, changeSetName: changeSetName)
                action = machine.changeSetDeleted()
            case .readOutputs:
                action = machine.outputsRead(try await cloudFormation.describeStack(name))
            case .discardChangeSet(let error):
                await discard(changeSetName, of: name)
                throw error
            case .discardStack(let error):
                await giveUp(unrun(madeStack: true))
                throw error
            case .execute(let announcement):
                switch announcement {
                case .parametersOnly(let changes): reporter.message("\(name): parameters only: " + changes.joined(separator: ", "))
                case .changes(let changes): reporter.plannedChanges(name, changes)
                }
                if deployment.revertsDrift {
                    for line in DriftRevertPreview.lines(stack: name, changes: announcement.resourceChanges) { reporter.message(line) }
                }
                let run = try await execute(
                    unrun(madeStack: machine.changeSetMadeTheStack), stackID: stackID, changes: announcement.resourceChanges, keeper: deployment.repositoryKeeper,
                    deployedTemplate: deployedTemplate, resourceCount: deployment.resourceCount, wait: wait.restarted)
                keeping = run.keeping
                streamed = run.settled.events
                action = machine.executed(run.settled.stack)
            case .explainFailure(let status):
                if let keeping { reporter.message("\(keeping)") }
                let cluster = deployment.parameters.first { $0.key == ParameterName.clusterName }?.value
                throw await failure(of: name, status: status, events: streamed, cluster: cluster)
            case .finish(let result, let outputs, let protect, let warning):
                if protect { await self.protect(name) }
                if let warning { reporter.warning(warning) }
                if let keeping { throw keeping }
                return (result, outputs)
            case .fail(let error):
                if let keeping { reporter.message("\(keeping)") }
                throw error
            }
        }
    }

    /// Turns on termination protection; a failure is a warning (moto, for one, cannot do it).

    private func protect(_ name: String) async {
        do {
            try await cloudFormation.updateTerminationProtection(stackName: name, enabled: true)
        } catch {
            let reason = error is CancellationError ? "the command was interrupted or ran out of time before it was done" : "\(error)"
            reporter.warning(.terminationProtectionOff(stack: name, reason: reason))
        }
    }

    /// How a delete ended when it did not fail.
    public enum DeleteResult: Sendable, Hashable {
        case deleted
        /// There was no stack to delete.
        case absent
    }

    /// Deletes the stack and streams its events until it is gone; waits first when it is busy.
    /// CloudFormation deletes with `roleARN` when given. With `tags` (a planned stack's
    /// `StackTags`), a stack that is not that part of the app's (`StackOwnership`) is refused as it
    /// is found, whatever was checked before. (Whether the part's own stack may be deleted is for
    /// the caller to decide.)
    public func delete(_ name: String, roleARN: String? = nil, tags: [(key: String, value: String)] = []) async throws -> DeleteResult {
        let wait = PollWait(schedule: schedule, timeout: timeout, clock: clock)
        guard var stack = try await cloudFormation.describeStack(name) else { return .absent }
        try StackOwnership.check(stack, tags: tags)
        if stack.status.isInProgress {
            reporter.message("\(name) is \(stack.status); waiting for it to settle")
            let settled = try await waitUntilSettled(name, wait: wait.restarted, total: 0, streaming: false)
            guard let current = settled.stack else { return .absent }
            stack = current
            try StackOwnership.check(stack, tags: tags)
        }
        let resources = try await cloudFormation.listStackResources(stackName: name).collect().count
        let lastEventBefore = try await newestEventID(name)
        try await cloudFormation.deleteStack(stackName: name, roleARN: roleARN)
        // A deleted stack answers by its ID only: follow it by its ID. A status from before the
        // delete (read too soon) is not its end.
        let final = try await waitUntilSettled(
            name, id: stack.stackID.isEmpty ? nil : stack.stackID, wait: wait.restarted, total: resources, streaming: true, since: lastEventBefore,
            operationStarted: true)
        if let stack = final.stack, stack.status != .deleteComplete {
            throw await failure(of: name, status: stack.status, events: final.events)
        }
        return .deleted
    }

    /// The ID of the stack's newest event, so that only later ones are streamed.
    func newestEventID(_ name: String) async throws -> String? {
        var iterator = cloudFormation.describeStackEvents(stackName: name).makeAsyncIterator()
        return try await iterator.next()?.eventID
    }

    /// How many settled reads after an execute are taken for stale while no event of the stack's
    /// own has ended the operation: about half a minute with the default schedule.
    static let staleReadLimit = 10

    /// What waiting ended with: the stack (`nil` once deleted), and the events streamed.
    struct Settled {
        let stack: StackDescription?
        let events: [StackEvent]
    }

    /// The stack `name` once it is no longer in progress (`nil` once it is gone), waited for
    /// within the deployer's timeout.
    func settled(_ name: String) async throws -> StackDescription? {
        try await waitUntilSettled(name, wait: PollWait(schedule: schedule, timeout: timeout, clock: clock), total: 0, streaming: false).stack
    }

    /// Waits until the stack is no longer in progress. With `streaming`, reports each event newer
    /// than `since` (all of them when `since` is `nil`) as it appears, oldest first. After a
    /// change set was executed or a delete asked for (`operationStarted`), `REVIEW_IN_PROGRESS` is
    /// a read taken before the operation showed (DescribeStacks is eventually consistent), not a
    /// settled stack; so, while streaming, is a settled status other than `DELETE_COMPLETE` read
    /// before any event of the stack's own that ends an operation, for up to `staleReadLimit`
    /// reads (then the status is believed). With `id`,
    /// the stack is asked for by its ID (a deleted stack answers only by ID).
    func waitUntilSettled(
        _ name: String, id: String? = nil, wait: PollWait, total: Int, streaming: Bool, since: String? = nil,
        operationStarted: Bool = false
    ) async throws -> Settled {
        let stackRef = id ?? name
        var wait = wait
        var seen = since
        var streamed: [StackEvent] = []
        var done: Set<String> = []
        var rollout = RolloutProgress(watch: RolloutWatch(since: Date()))
        var ownEndSeen = false
        var staleReads = 0
        while true {
            if streaming {
                var fresh: [StackEvent] = []
                do {
                    for try await event in cloudFormation.describeStackEvents(stackName: stackRef) {
                        if event.eventID == seen { break }
                        fresh.append(event)
                    }
                } catch let error as AWSServiceError where error.isMissingStack {
                    // Gone while its events were read: a finished delete.
                    return Settled(stack: nil, events: streamed)
                }
                if let newest = fresh.first { seen = newest.eventID }
                for event in fresh.reversed() {
                    if event.logicalID != name && event.isComplete { done.insert(event.logicalID) }
                    if event.logicalID == name && event.resourceType == "AWS::CloudFormation::Stack" && !event.isInProgress { ownEndSeen = true }
                    streamed.append(event)
                    // The stack's own success closes the count, whatever events were reported.
                    let finished = event.isSuccess(ofStack: name)
                    reporter.event(event, finished ? total : min(done.count, total), total)
                    rollout.follow(event)
                }
                if let ecs { await show(&rollout, of: name, ecs: ecs) }
            }
            guard let stack = try await cloudFormation.describeStack(stackRef) else {
                return Settled(stack: nil, events: streamed)
            }
            if stack.status.isSettled && !(operationStarted && stack.status == .reviewInProgress) {
                let maybeStale = operationStarted && streaming && !ownEndSeen && stack.status != .deleteComplete
                guard maybeStale && staleReads < Self.staleReadLimit else {
                    return Settled(stack: stack, events: streamed)
                }
                staleReads += 1
            }
            try await wait.pause(stack: name, status: stack.status.name)
        }
    }

    /// The error for a failed operation: the failing events, first cause first, and, when the
    /// ECS service failed, why its recent tasks stopped. Diagnosing never hides the failure: when
    /// the stopped tasks cannot be read, the error says so and still reports the failure.
    private func failure(of name: String, status: StackStatus, events: [StackEvent], cluster: String? = nil) async -> DeployError {
        let failed = events.filter { $0.isFailure && $0.logicalID != name }
        let causes = failed.filter { !($0.statusReason ?? "").contains("Resource creation cancelled") }
        var stoppedTasks: [String] = []
        if let ecs, let serviceEvent = failed.first(where: { $0.resourceType == "AWS::ECS::Service" }) {
            do {
                stoppedTasks = try await stoppedTaskReasons(stack: name, service: serviceEvent, cluster: cluster, ecs: ecs)
            } catch {
                stoppedTasks = ["could not read the service's stopped tasks: \(error)"]
            }
        }
        return DeployError.stackFailed(stack: name, status: status.name, causes: causes.isEmpty ? failed : causes, stoppedTasks: stoppedTasks)
    }

    /// Why the failed service's own tasks stopped, the newest first (ListTasks filtered by the
    /// service: the cluster's other services and jobs stop tasks too; a task still stopping
    /// counts as the newest). The service comes from the failed event's service ARN, or from the
    /// stack's resources; its cluster from that ARN, or `cluster` (the `ClusterName` the deploy
    /// passed), or a cluster of the stack's own. None is reported when the service is not known.
    private func stoppedTaskReasons(stack: String, service event: StackEvent, cluster given: String?, ecs: ECSClient) async throws -> [String] {
        var serviceArn = event.physicalID.flatMap { $0.hasPrefix("arn:") ? $0 : nil }
        var cluster = serviceArn.flatMap(RolloutProgress.cluster(ofServiceArn:)) ?? given
        if serviceArn == nil || cluster == nil {
            let resources = try await cloudFormation.listStackResources(stackName: stack).collect()
            if serviceArn == nil {
                serviceArn = resources.first { $0.resourceType == "AWS::ECS::Service" && $0.logicalID == event.logicalID }?.physicalID
                cluster = serviceArn.flatMap(RolloutProgress.cluster(ofServiceArn:)) ?? given
            }
            cluster = cluster ?? resources.first { $0.resourceType == "AWS::ECS::Cluster" }?.physicalID
        }
        guard let cluster, let serviceName = serviceArn?.split(separator: "/").last.map(String.init) else { return [] }
        let arns = try await ecs.listTasks(cluster: cluster, serviceName: serviceName, desiredStatus: "STOPPED").collect()
        let tasks = try await ecs.describeTasks(cluster: cluster, tasks: Array(arns.prefix(100)))
        let newest = tasks.sorted { ($0.stoppedAt ?? .infinity) > ($1.stoppedAt ?? .infinity) }.prefix(10)
        return newest.map { task in
            let containers = (task.containers ?? []).compactMap { container in
                container.reason.map { "\(container.name ?? "container"): \(ServerText.line($0))" }
            }
            let id = task.taskArn?.split(separator: "/").last.map(String.init) ?? "task"
            return ([id + ": " + ServerText.line(task.stoppedReason ?? task.stopCode ?? "stopped")] + containers).joined(separator: "; ")
        }
    }

    static func compactTimestamp(_ date: Date) -> String {
        let utc = UTCDateComponents(date)
        return "\(utc.compactDay)-\(utc.compactTime)"
    }
}
