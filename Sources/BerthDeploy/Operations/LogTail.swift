import BerthAWS
import Foundation

/// The log events of an environment's services, oldest first, each once: the logs action.
public struct LogTail: Sendable {
    /// One event, with the service whose log group it came from.
    public struct Entry: Sendable {
        public let service: String
        public let event: LogsClient.Event
    }

    /// The log group of each selected service stack, and where it is read from.
    public let groups: [(service: String, group: String, target: ClientTarget)]
    /// The stacks that hold the log groups: each is checked for its owner before the first read.
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
    /// first; with `follow`, polls for newer ones until cancelled. A log group that does not
    /// exist yet (a service not deployed) is skipped. Before any read it refuses
    /// (`DeployError.foreignStacks`) when a service's stack is another app's: the log group
    /// named after the service is then that app's (`StackOwnership`).
    public func run(since start: Int64, follow: Bool, show: @Sendable (Entry) -> Void) async throws {
        try await refuseForeignStacks()
        var seen: Set<String> = []
        var from = start
        while true {
            var batch: [Entry] = []
            for group in groups {
                do {
                    for try await event in try clients(group.target).logs.filterLogEvents(logGroup: group.group, startTime: from) {
                        batch.append(Entry(service: group.service, event: event))
                    }
                } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
                    continue
                }
            }
            batch.sort { ($0.event.timestamp ?? 0) < ($1.event.timestamp ?? 0) }
            for entry in batch where seen.insert(entry.event.eventId ?? "\(entry.event.timestamp ?? 0)\(entry.event.message ?? "")").inserted {
                show(entry)
                from = max(from, entry.event.timestamp ?? from)
            }
            guard follow else { return }
            try await pause()
        }
    }

    private func refuseForeignStacks() async throws {
        var foreign: [ForeignStack] = []
        for stack in stacks {
            guard let deployed = try await clients(stack.target).cloudFormation.describeStack(stack.name) else { continue }
            if let found = StackOwnership.foreign(deployed, app: stack.appName) { foreign.append(found) }
        }
        guard !foreign.isEmpty, let app = stacks.lazy.compactMap(\.appName).first else { return }
        throw DeployError.foreignStacks(foreign, app: app)
    }
}
