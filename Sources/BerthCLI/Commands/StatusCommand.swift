import BerthAWS
import ArgumentParser
import BerthTemplate
import BerthDeploy
import Foundation

/// `berth status`: what runs where.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what runs where: per environment and service, the stack, image, commit, counts, rollout and URL.",
        discussion: """
            Reads each service's stack (CloudFormation), its ECS service, task definition and running tasks, \
            and ECR. It says when the running digest is not what the tag now points to, and when a deployment \
            is still rolling out. The drift line is the last drift detection's result and time, as \
            CloudFormation keeps it: status starts none (berth diff --drift does).

            Examples:
              berth status
              berth status --env prod --service api --json

            Exit codes: 0 shown; 1 an AWS call failed; 2 invalid input or no credentials; 4 not finished \
            within --timeout.
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "Only this environment.")
    var env: String?

    @OptionGroup var serviceOptions: ServiceOptions

    @Flag(help: "Print a JSON document instead of text (see the README for its fields).")
    var json = false

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m).")
    var timeout = TimeoutArgument(.seconds(300))

    func run() async throws {
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env, services: serviceOptions.services))
        let clients = try await session.clients(awsOptions, within: timeout.duration)
        let statuses = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted",
            whenTimedOut: "the status did not finish within --timeout \(timeout.defaultValueDescription)"
        ) { [plan = session.plan] in try await ServiceStatus.read(plan, clients: clients) }
        // Server text, printed with any control character escaped.
        session.context.console.write(json ? Self.json(statuses).jsonText() : TerminalText.printable(Self.text(statuses)))
    }

    static func text(_ statuses: [ServiceStatus]) -> String {
        var lines: [String] = []
        for status in statuses {
            guard let stackStatus = status.stackStatus else {
                lines.append("\(status.environment) \(status.service): not deployed (\(status.stack))")
                for note in status.notes { lines.append("  note      \(note)") }
                continue
            }
            let updated = status.lastUpdated.map { TimeText.utc($0) + " UTC" } ?? "-"
            lines.append("\(status.environment) \(status.service): \(status.stack) \(stackStatus), updated \(updated)")
            lines.append("  image     \(TerminalText.field(status.imageTag))  \(TerminalText.field(status.imageDigest))")
            lines.append("  commit    \(TerminalText.field(status.commit)), built \(TerminalText.field(status.buildTime))")
            if status.runs == nil {
                lines.append("  task      \(TerminalText.field(status.taskDefinition))")
                let counts = [("desired", status.desiredCount), ("running", status.runningCount), ("pending", status.pendingCount)]
                    .map { "\($0.1.map(String.init) ?? "-") \($0.0)" }.joined(separator: ", ")
                lines.append("  tasks     \(counts)")
                lines.append("  rollout   \(status.rolloutState ?? "-")\(status.rolloutReason.map { " (\($0))" } ?? "")")
            }
            if let drift = status.drift { lines.append("  drift     \(Self.driftText(drift))") }
            if let url = status.url { lines.append("  url       \(url)") }
            for run in status.runs ?? [] {
                let started = run.startedAt.map { TimeText.utc($0) + " UTC" } ?? "-"
                let stopped = run.lastStatus == "STOPPED"
                let took = run.durationSeconds.map { "\($0)s" } ?? (stopped ? "-" : "running")
                let exit = run.exitCode.map { "exit \($0)" } ?? (stopped ? "never ran" : "-")
                let reason = run.stoppedReason.flatMap { $0.isEmpty ? nil : "  (\($0))" } ?? ""
                lines.append("  run       \(started)  \(took)  \(exit)  \(run.taskID)\(reason)")
            }
            for note in status.notes { lines.append("  note      \(note)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `IN_SYNC, checked 2026-11-22 10:00:00 UTC`, or `NOT_CHECKED (berth diff --drift checks)`.
    static func driftText(_ drift: StackDriftInformation) -> String {
        guard let checked = drift.lastCheck, drift.status != "NOT_CHECKED" else {
            return "\(drift.status) (berth diff --drift checks)"
        }
        return "\(drift.status), checked \(TimeText.utc(checked)) UTC"
    }

    static func json(_ statuses: [ServiceStatus]) -> JSONValue {
        func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func int(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        let entries: [JSONValue] = statuses.map { status in
            .object([
                "environment": .string(status.environment), "service": .string(status.service), "stack": .string(status.stack),
                "stackStatus": string(status.stackStatus),
                "lastUpdated": string(status.lastUpdated.map { TimeText.utc($0) + " UTC" }),
                "taskDefinition": string(status.taskDefinition), "imageTag": string(status.imageTag),
                "deployedTag": string(status.deployedTag),
                "imageDigest": string(status.imageDigest), "commit": string(status.commit), "buildTime": string(status.buildTime),
                "desiredCount": int(status.desiredCount), "runningCount": int(status.runningCount),
                "pendingCount": int(status.pendingCount), "rolloutState": string(status.rolloutState),
                "rolloutReason": string(status.rolloutReason), "url": string(status.url),
                "drift": status.drift.map { drift in
                    .object([
                        "status": .string(drift.status), "lastCheck": string(drift.lastCheck.map { TimeText.utc($0) + " UTC" }),
                    ])
                } ?? .null,
                "notes": .array(status.notes.map(JSONValue.string)),
                "runs": status.runs.map { runs in
                    .array(runs.map { run in
                        .object([
                            "taskId": .string(run.taskID), "startedAt": string(run.startedAt.map { TimeText.utc($0) + " UTC" }),
                            "durationSeconds": run.durationSeconds.map { .int($0) } ?? .null, "exitCode": int(run.exitCode),
                            "stoppedReason": string(run.stoppedReason), "lastStatus": string(run.lastStatus),
                        ])
                    })
                } ?? .null,
            ])
        }
        return .object(["version": 1, "services": .array(entries)])
    }
}
