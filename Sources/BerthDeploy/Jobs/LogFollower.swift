import BerthAWS
import Foundation

/// The log lines of one task's main container, each once, oldest first; a log group or stream
/// that does not exist yet has no lines. Reading logs never fails a run: it is best effort, and
/// a read that fails is said once.
struct LogFollower {
    let run: JobRun
    let taskID: String
    let logs: LogsClient
    /// The events read at `from`, the newest timestamp: the next read starts there (inclusive),
    /// so only they can come again; earlier ones are not kept, however long the task runs.
    private var seen: Set<String> = []
    private var from: Int64?
    /// Where a read that stopped at `pagesPerRead` goes on: the next page's token, and the
    /// start time it was given with.
    private var resume: (token: String, startTime: Int64?)?
    private var toldUnreadable = false
    /// The newest lines, at most `JobRunner.lastLineCount`.
    private(set) var lastLines: [String] = []

    /// The most pages one read asks for. FilterLogEvents may answer empty pages with a token for
    /// more, page after page: the task's state and its deadline are checked between reads.
    static let pagesPerRead = 10

    init(run: JobRun, taskID: String, logs: LogsClient) {
        self.run = run
        self.taskID = taskID
        self.logs = logs
    }

    /// The lines that arrived since the last call, each led by the job's name (`migrate | …`);
    /// the first time the log cannot be read, a line that says so and names the log group.
    mutating func newLines() async -> [String] {
        guard let group = run.logGroup else { return [] }
        var events: [LogsClient.Event] = []
        let startTime = resume?.startTime ?? from
        var token = resume?.token
        resume = nil
        do {
            for _ in 0..<Self.pagesPerRead {
                let page = try await logs.filterLogEventsPage(
                    logGroup: group, streams: [run.logStream(taskID: taskID)], startTime: startTime, token: token)
                events += page.items
                token = page.next
                guard token != nil else { break }
            }
            resume = token.map { ($0, startTime) }
        } catch is CancellationError {
            return []
        } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
            return []  // no log group or stream yet
        } catch {
            guard !toldUnreadable else { return [] }
            toldUnreadable = true
            return ["\(run.job): its log cannot be read (\(error)); log group \(group) holds it"]
        }
        events.sort { ($0.timestamp ?? 0) < ($1.timestamp ?? 0) }
        var lines: [String] = []
        for event in events where seen.insert(event.eventId ?? "\(event.timestamp ?? 0)\(event.message ?? "")").inserted {
            lines.append((event.message ?? "").trimmingCharacters(in: .newlines))
            if let timestamp = event.timestamp, timestamp > (from ?? .min) {
                // A newer timestamp: what was seen before it cannot be read again.
                from = timestamp
                seen = [event.eventId ?? "\(timestamp)\(event.message ?? "")"]
            }
        }
        lastLines = Array((lastLines + lines).suffix(JobRunner.lastLineCount))
        return lines.map { "\(run.job) | \($0)" }
    }
}
