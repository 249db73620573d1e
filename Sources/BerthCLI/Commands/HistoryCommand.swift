import ArgumentParser
import BerthDeploy
import BerthTemplate
import Foundation

/// `berth history`: an environment's deploys, newest first, as AWS keeps them.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show an environment's deploys, newest first: when, which tag, digest and commit, and how each ended.",
        discussion: """
            Reads ECS's service deployments (ListServiceDeployments, DescribeServiceDeployments), the service \
            revisions they rolled out (DescribeServiceRevisions) and those revisions' task definitions, whose \
            IMAGE_TAG, COMMIT_SHA and BUILD_TIME Berth sets. Berth keeps no store of its own. ECS keeps a service's \
            deployments for 90 days, and none created before 25 October 2024: older deploys are not listed.

            Examples:
              berth history --env prod
              berth history --env prod --service api --limit 5 --json

            Exit codes: 0 shown; 1 an AWS call failed; 2 invalid input or no credentials; 4 not finished \
            within --timeout.
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment.")
    var env: String

    @OptionGroup var serviceOptions: ServiceOptions

    // Unconditional: a negative number is the option's value (refused by its range), not a flag.
    @Option(parsing: .unconditional, help: "At most this many deploys per service (the newest).")
    var limit: Int?

    @Flag(help: "Print a JSON document instead of text (see the README for its fields).")
    var json = false

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m).")
    var timeout = TimeoutArgument(.seconds(300))

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more, got \(limit)") }
    }

    func run() async throws {
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env, services: serviceOptions.services))
        if case let jobs = session.plan.jobs(among: serviceOptions.services), !jobs.isEmpty {
            throw CommandFailure(
                .inputError,
                "--service \(jobs.joined(separator: ", ")): \(jobs.count == 1 ? "a job, not a service" : "jobs, not services"): history lists services' deploys, "
                    + "which ECS keeps for services alone; name services with --service")
        }
        let clients = try await session.clients(awsOptions, within: timeout.duration)
        let history = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted",
            whenTimedOut: "the history did not finish within --timeout \(timeout.defaultValueDescription)"
        ) { [plan = session.plan, limit] in try await DeployHistory.read(plan, limit: limit, clients: clients) }
        // Server text, printed with any control character escaped.
        session.context.console.write(json ? Self.json(history).jsonText() : TerminalText.printable(Self.text(history)))
    }

    static func text(_ history: DeployHistory) -> String {
        var lines: [String] = []
        for service in history.services where !service.isDeployed {
            lines.append("\(service.environment) \(service.service): not deployed (\(service.stack))")
            if let foreign = service.foreign { lines.append("  note      \(foreign), so it is not this service's") }
        }
        for service in history.services where service.isDeployed && service.records.isEmpty {
            lines.append("\(service.environment) \(service.service): no deploys in the history ECS keeps")
        }
        for record in history.records {
            let started = record.startedAt.map { TimeText.utc($0) + " UTC" } ?? "-"
            let finished = record.finishedAt.map { TimeText.utc($0) + " UTC" } ?? "-"
            lines.append("\(started)  \(record.environment) \(record.service)  \(TerminalText.field(record.imageTag))  \(record.outcome.text)")
            lines.append("  finished  \(finished)")
            lines.append("  image     \(TerminalText.field(record.imageDigest))")
            lines.append("  commit    \(TerminalText.field(record.commit)), built \(TerminalText.field(record.buildTime))")
            lines.append("  task      \(TerminalText.field(record.taskDefinition))")
            if let reason = record.reason, record.outcome != .completed { lines.append("  reason    \(TerminalText.field(reason))") }
        }
        lines.append("note: \(DeployHistory.retention).")
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ history: DeployHistory) -> JSONValue {
        func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func time(_ value: Date?) -> JSONValue { value.map { .string(TimeText.utc($0) + " UTC") } ?? .null }
        let deploys: [JSONValue] = history.records.map { record in
            .object([
                "environment": .string(record.environment), "service": .string(record.service), "id": .string(record.id),
                "startedAt": time(record.startedAt), "finishedAt": time(record.finishedAt),
                "outcome": .string(record.outcome.code), "outcomeText": .string(record.outcome.text), "reason": string(record.reason),
                "imageTag": string(record.imageTag), "imageDigest": string(record.imageDigest), "commit": string(record.commit),
                "buildTime": string(record.buildTime), "taskDefinition": string(record.taskDefinition),
                "revision": record.revision.map(JSONValue.int) ?? .null,
            ])
        }
        let services: [JSONValue] = history.services.map { service in
            .object([
                "environment": .string(service.environment), "service": .string(service.service), "stack": .string(service.stack),
                "deployed": .bool(service.isDeployed), "deployedTag": string(service.deployedTag),
                "notes": .array(service.foreign.map { [.string("\($0), so it is not this service's")] } ?? []),
            ])
        }
        return .object(["version": 1, "deploys": .array(deploys), "services": .array(services), "retention": .string(DeployHistory.retention)])
    }
}
