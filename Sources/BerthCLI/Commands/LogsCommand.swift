import BerthAWS
import ArgumentParser
import BerthTemplate
import BerthDeploy
import Foundation

/// `berth logs`: a service's log events from CloudWatch Logs.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show an environment's log events, newest last, with the service and task of each.",
        discussion: """
            Reads the services' log groups (/berth/<app>-<env>-<service>) in CloudWatch Logs: those of the \
            services whose stacks are deployed and are the app's (berth:app tag; it reads the stacks with \
            cloudformation:DescribeStacks). A service whose stack is another app's (or another environment's) \
            is passed over with a note. \
            With --follow it keeps polling for new events until Ctrl-C (or --timeout, when given), and picks up \
            services deployed meanwhile (it looks for them every 30 seconds).

            Examples:
              berth logs --env dev --service api --since 30m
              berth logs --env prod --follow

            Exit codes: 0 shown (or followed until Ctrl-C or --timeout); 1 an AWS call failed; 2 invalid \
            input, no credentials, or every selected service's stack is another app's or environment's; 4 not finished within \
            --timeout (without --follow).
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment.")
    var env: String

    @OptionGroup var serviceOptions: ServiceOptions

    // Unconditional: `--since -5m` is a value, not an unknown option.
    @Option(parsing: .unconditional, help: "How far back to start (90s, 10m, 2h; -10m reads as 10m).")
    var since = LookBackArgument(.seconds(600))

    @Flag(help: "Keep polling for new events until Ctrl-C.")
    var follow = false

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m; 5m by default), or, with --follow, stop following (no limit by default).")
    var timeout: TimeoutArgument?

    func run() async throws {
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env, services: serviceOptions.services))
        let limit = timeout?.duration ?? (follow ? .seconds(DurationArgument.maximumSeconds) : .seconds(300))
        let tail = LogTail(plan: session.plan, clients: try await session.clients(awsOptions, within: limit))
        guard !tail.groups.isEmpty else { throw CommandFailure(.inputError, "environment \(env) has no service with a log group") }
        let start = Int64((Date().timeIntervalSince1970 - Double(since.duration.components.seconds)) * 1000)
        let console = session.context.console
        // In GitHub Actions, no line of the logs is taken for a workflow command.
        let pause = GitHubActions(environment: session.context.environment).commandPause()
        if let pause { console.write(pause.stop) }
        defer { if let pause { console.write(pause.resume) } }
        do {
            try await CommandDeadline.run(
                within: limit, whenInterrupted: "interrupted",
                whenTimedOut: "the logs were not read within --timeout \(timeout?.defaultValueDescription ?? "5m")"
            ) { [follow] in
                try await tail.run(
                    since: start, follow: follow,
                    passedOver: { service, stack in
                        console.writeError(TerminalText.printable("note: \(stack)\(stack.isOtherApps ? ", so it is not this app's" : ""): the log group of service \(service) is not read") + "\n")
                    },
                    waitingFor: { service, stack in
                        console.writeError(
                            "note: \(stack) is not deployed (or holds no log group yet): the log group of service \(service) is not read"
                                + (follow ? " until it is" : "") + "\n")
                    }, show: { console.write(Self.line($0.service, $0.event)) })
            }
        } catch let failure as CommandFailure where follow && [.interrupted, .timedOut].contains(failure.status) {
            return  // following ends with Ctrl-C or the timeout asked for
        } catch DeployError.foreignStacks(let stacks, let app) {
            throw CommandFailure(
                .inputError,
                "the stack of every selected service is another app's or another environment's, so no log group was read; "
                    + "Berth works only with the stacks of app \(app)'s environment at hand. " + ForeignStack.guidance(stacks, app: app))
        }
    }

    /// `2026-11-22 10:00:00  api  0123abcd…  message`: the task ID is the log stream's last part.
    /// The message as `TerminalText.message` prints a program's own text (a carriage return
    /// would write over the prefix, an escape sequence drive the terminal).
    static func line(_ service: String, _ event: LogsClient.Event) -> String {
        let time = event.timestamp.map { TimeText.utc(Date(timeIntervalSince1970: Double($0) / 1000)) } ?? "-"
        let task = event.logStreamName?.split(separator: "/").last.map(String.init) ?? "-"
        return TerminalText.printable("\(time)  \(service)  \(task)  ") + TerminalText.message(event.message ?? "") + "\n"
    }
}
