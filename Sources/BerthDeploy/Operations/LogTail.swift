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
    let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    let pause: @Sendable () async throws -> Void

    /// The services of `plan` that have a log group. `pause` waits between two polls when
    /// following (2 s by default).
    public init(
        plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients,
        pause: @escaping @Sendable () async throws -> Void = { try await Task.sleep(for: .seconds(2)) }
    ) {
        groups = plan.stacks.compactMap { stack in
            guard let service = stack.service, let group = stack.logGroup else { return nil }
            return (service, group, stack.target)
        }
        self.clients = clients
        self.pause = pause
    }

    /// Reads the events since `start` (milliseconds since 1970) and hands them to `show`, oldest
    /// first; with `follow`, polls for newer ones until cancelled. A log group that does not
    /// exist yet (a service not deployed) is skipped.
    public func run(since start: Int64, follow: Bool, show: @Sendable (Entry) -> Void) async throws {
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
}
