import BerthAWS
import BerthModel
import Foundation

/// The log events of an environment's services, oldest first, each once: the logs action.
public struct LogTail: Sendable {
    /// One event, with the service whose log group it came from.
    public struct Entry: Sendable {
        public let service: String
        public let event: LogsClient.Event
    }

    /// The log group of each selected service stack, as the plan names it, and where it is read from.
    public let groups: [(service: String, group: String, target: ClientTarget)]
    let stacks: [PlannedStack]
    let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    let pause: @Sendable () async throws -> Void

    /// The services of `plan` that have a log group. `pause` waits between two polls when
    /// following (2 s by default).
    public init(
        plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients,
        pause: @escaping @Sendable () async throws -> Void = { try await Task.sleep(for: .seconds(2)) }
    ) {
        stacks = plan.stacks.filter { $0.service != nil && $0.logGroup != nil }
        groups = stacks.compactMap { stack in
            guard let service = stack.service, let group = stack.logGroup else { return nil }
            return (service, group, stack.target)
        }
        self.clients = clients
        self.pause = pause
    }

    /// Reads the events since `start` (milliseconds since 1970) and hands them to `show`, oldest
    /// first; with `follow`, polls for newer ones until cancelled.
    ///
    /// Only the app's log groups are read: a service's, once its stack is the app's
    /// (`StackOwnership`) and holds its group, named as the stack's `LogGroupName` output gives
    /// it (or, from a server that reports no outputs, as moto does for a stack made by a change
    /// set, the stack's own `AWS::Logs::LogGroup` resource). A service not deployed yet is
    /// handed to `waitingFor` once and skipped, and, when following, looked for again every
    /// `pendingRecheck` polls: a group of
    /// its name is not the app's, since the stack makes its group and deletes it with it (a first
    /// create that failed on a group of that name leaves a stack that holds none). A service
    /// whose stack is another app's (or another part of the app's, `StackOwnership`) is handed
    /// to `passedOver` and never read; when every selected service's is, it throws
    /// `DeployError.foreignStacks`. Events are shown as they are read, merged across groups
    /// (`MergedLogEvents`), so a long window costs no more memory than a short one.
    public func run(
        since start: Int64, follow: Bool, passedOver: @Sendable (_ service: String, _ stack: ForeignStack) -> Void = { _, _ in },
        waitingFor: @Sendable (_ service: String, _ stack: String) -> Void = { _, _ in },
        show: @Sendable (Entry) -> Void
    ) async throws {
        var pending = stacks
        var readable: [(service: String, group: String, target: ClientTarget)] = []
        var foreign: [ForeignStack] = []
        // Each group is read again from a minute before its newest event: a task's buffered
        // events can arrive after another task's newer ones. What was shown is remembered for
        // as long as a window can reach it, and shown once.
        var seen: [String: [String: Int64]] = [:]
        // Pruned while a read goes on too, each time the remembered events double: a long
        // `--since` must not keep the whole window (a group's events arrive sorted by time).
        var pruneAt: [String: Int] = [:]
        var newest: [String: Int64] = [:]
        func from(_ group: String) -> Int64 { max(start, (newest[group] ?? start) - Self.lateArrival) }
        for poll in 0... {
            var notDeployed: [PlannedStack] = []
            for stack in pending {
                guard poll % Self.pendingRecheck == 0, let service = stack.service else {
                    notDeployed.append(stack)
                    continue
                }
                guard let deployed = try await clients(stack.target).cloudFormation.describeStack(stack.name) else {
                    notDeployed.append(stack)
                    continue
                }
                if let found = StackOwnership.foreign(deployed, tags: stack.tags) {
                    foreign.append(found)
                    passedOver(service, found)
                } else if let group = try await logGroup(of: deployed, target: stack.target) {
                    readable.append((service, group, stack.target))
                } else {
                    notDeployed.append(stack)
                }
            }
            pending = notDeployed
            // Said once: with `follow`, they are looked for again.
            if poll == 0 { for stack in pending { if let service = stack.service { waitingFor(service, stack.name) } } }
            if readable.isEmpty, pending.isEmpty, !foreign.isEmpty, let app = stacks.lazy.compactMap(\.appName).first {
                throw DeployError.foreignStacks(foreign, app: app)
            }
            var events = MergedLogEvents(
                try readable.map { group in
                    MergedLogEvents.Source(
                        group: group.group, service: group.service,
                        events: try clients(group.target).logs.filterLogEvents(logGroup: group.group, startTime: from(group.group)))
                })
            // An event stamped ahead of this machine's clock does not move the window past now.
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            while let (group, entry) = try await events.next() {
                let timestamp = entry.event.timestamp ?? start
                if follow {
                    let key = entry.event.eventId ?? "\(timestamp)\(entry.event.message ?? "")"
                    guard seen[group, default: [:]][key] == nil else { continue }
                    seen[group, default: [:]][key] = timestamp
                }
                show(entry)
                newest[group] = max(newest[group] ?? start, min(timestamp, now))
                if follow, let count = seen[group]?.count, count >= pruneAt[group, default: 4096] {
                    seen[group] = seen[group]?.filter { $0.value >= from(group) }
                    pruneAt[group] = max(4096, (seen[group]?.count ?? 0) * 2)
                }
            }
            guard follow else { return }
            for group in seen.keys { seen[group] = seen[group]?.filter { $0.value >= from(group) } }
            try await pause()
        }
    }

    /// The log group `stack` holds: its `LogGroupName` output, else its log group resource that
    /// was created and not deleted; `nil` when it holds none.
    private func logGroup(of stack: StackDescription, target: ClientTarget) async throws -> String? {
        if let group = stack.outputs[OutputName.logGroupName], !group.isEmpty { return group }
        for try await resource in try clients(target).cloudFormation.listStackResources(stackName: stack.name)
        where resource.resourceType == "AWS::Logs::LogGroup" {
            guard let group = resource.physicalID, !group.isEmpty, resource.isCreated else { continue }
            return group
        }
        return nil
    }

    /// How far behind its newest event a group is read again (60 s, in milliseconds): the
    /// awslogs driver sends each task's events in batches, so an older event can arrive later.
    static let lateArrival: Int64 = 60_000

    /// How many polls apart a following tail looks again for the stacks of services not
    /// deployed yet (15: every 30 s at the default pause), so that many of them do not take
    /// CloudFormation's DescribeStacks rate.
    static let pendingRecheck = 15
}
