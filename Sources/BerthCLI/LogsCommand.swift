import AWS
import ArgumentParser
import CloudFormation
import Deploy
import Foundation

/// `berth logs`: a service's log events from CloudWatch Logs.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show an environment's log events, newest last, with the service and task of each.",
        discussion: """
            Reads the services' log groups (/berth/<app>-<env>-<service>) in CloudWatch Logs. With --follow \
            it keeps polling for new events until Ctrl-C (or --timeout, when given).

            Examples:
              berth logs --env dev --service api --since 30m
              berth logs --env prod --follow

            Exit codes: 0 shown (or followed until Ctrl-C or --timeout); 1 an AWS call failed; 2 invalid \
            input or no credentials; 4 not finished within --timeout (without --follow).
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment.")
    var env: String

    @Option(name: .customLong("service"), help: ArgumentHelp("Only this service (repeatable).", valueName: "name"))
    var services: [String] = []

    @Option(help: "How far back to start (90s, 10m, 2h).")
    var since = DurationArgument(.seconds(600))

    @Flag(help: "Keep polling for new events until Ctrl-C.")
    var follow = false

    @Option(help: "Give up (or, with --follow, stop following) after this long.")
    var timeout: DurationArgument?

    func run() async throws {
        guard let context = Berth.context else { return }
        let synthesized = try Synthesizer(definition: context.app, configuration: try appOptions.configuration(environment: env))
            .synthesize(environment: nil, stackName: nil, format: .json)
        let plan = try DeployPlan(synthesized: synthesized).selecting(.init(phases: [.ecs], environment: env, services: services))
        let groups: [(service: String, group: String, region: String)] = plan.stacks.compactMap { planned in
            guard let service = planned.service,
                let stack = synthesized.rendered.first(where: { $0.stack.name == planned.name })?.stack,
                let group = stack.template.resources.first(where: { $0.value.type == "AWS::Logs::LogGroup" })?
                    .value.properties["LogGroupName"]?.stringValue
            else { return nil }
            return (service, group, planned.region)
        }
        guard let region = groups.first?.region else { throw CommandFailure(.inputError, "environment \(env) has no service with a log group") }
        let limit = timeout?.duration ?? (follow ? .seconds(DurationArgument.maximumSeconds) : .seconds(300))
        let logs = LogsClient(configuration: try awsOptions.configuration(stackRegion: region, context: context, within: limit))
        let start = Int64((Date().timeIntervalSince1970 - Double(since.duration.components.seconds)) * 1000)
        let console = context.console
        do {
            try await CommandDeadline.run(
                within: limit, whenInterrupted: "interrupted",
                whenTimedOut: "the logs were not read within --timeout \(timeout?.defaultValueDescription ?? "5m")"
            ) { [follow] in
                var seen: Set<String> = []
                var from = start
                while true {
                    var batch: [(service: String, event: LogsClient.Event)] = []
                    for group in groups {
                        do {
                            for try await event in logs.filterLogEvents(logGroup: group.group, startTime: from) {
                                batch.append((group.service, event))
                            }
                        } catch let error as AWSServiceError where error.code == "ResourceNotFoundException" {
                            continue  // not deployed yet
                        }
                    }
                    batch.sort { ($0.event.timestamp ?? 0) < ($1.event.timestamp ?? 0) }
                    for entry in batch where seen.insert(entry.event.eventId ?? "\(entry.event.timestamp ?? 0)\(entry.event.message ?? "")").inserted {
                        console.write(Self.line(entry.service, entry.event))
                        from = max(from, entry.event.timestamp ?? from)
                    }
                    guard follow else { return }
                    try await Task.sleep(for: .seconds(2))
                }
            }
        } catch let failure as CommandFailure where follow && [.interrupted, .timedOut].contains(failure.status) {
            return  // following ends with Ctrl-C or the timeout asked for
        }
    }

    /// `2026-11-22 10:00:00  api  0123abcd…  message`: the task ID is the log stream's last part.
    static func line(_ service: String, _ event: LogsClient.Event) -> String {
        let time = event.timestamp.map { ImagesCommand.timestamp(Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "-"
        let task = event.logStreamName?.split(separator: "/").last.map(String.init) ?? "-"
        let message = (event.message ?? "").trimmingCharacters(in: .newlines)
        return "\(time)  \(service)  \(task)  \(message)\n"
    }
}
