import BerthAWS
import Foundation

/// The log lines of one task's main container, each once, oldest first; a log group or stream
/// that does not exist yet has no lines. Reading logs never fails a run: it is best effort.
struct LogFollower {
    let run: JobRun
    let taskID: String
    let logs: LogsClient
    /// The events read at `from`, the newest timestamp: the next read starts there (inclusive),
    /// so only they can come again; earlier ones are not kept, however long the task runs.
    private var seen: Set<String> = []
    private var from: Int64?
    /// The newest lines, at most `JobRunner.lastLineCount`.
    private(set) var lastLines: [String] = []

    init(run: JobRun, taskID: String, logs: LogsClient) {
        self.run = run
        self.taskID = taskID
        self.logs = logs
    }

    /// The lines that arrived since the last call.
    mutating func newLines() async -> [String] {
        guard let group = run.logGroup else { return [] }
        var events: [LogsClient.Event] = []
        do {
            for try await event in logs.filterLogEvents(logGroup: group, streams: [run.logStream(taskID: taskID)], startTime: from) {
                events.append(event)
            }
        } catch {
            return []
        }
        events.sort { ($0.timestamp ?? 0) < ($1.timestamp ?? 0) }
        var lines: [String] = []
        for event in events where seen.insert(event.eventId ?? "\(event.timestamp ?? 0)\(event.message ?? "")").inserted {
            let line = (event.message ?? "").trimmingCharacters(in: .newlines)
            lines.append(line)
            if let timestamp = event.timestamp, timestamp > (from ?? .min) {
                // A newer timestamp: what was seen before it cannot be read again.
                from = timestamp
                seen = [event.eventId ?? "\(timestamp)\(event.message ?? "")"]
            }
        }
        lastLines = Array((lastLines + lines).suffix(JobRunner.lastLineCount))
        return lines
    }
}
