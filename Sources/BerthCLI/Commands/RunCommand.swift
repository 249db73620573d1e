import ArgumentParser
import BerthDeploy
import Foundation

/// `berth run`: one task of a job, or of a service's task definition with another command, as
/// deployed; its logs as they come; its container's exit code as the command's.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job, or a command in a service's task definition, as deployed, and exit with its exit code.",
        discussion: """
            Starts one Fargate task with ECS RunTask in the environment's cluster, in the subnets, security groups and \
            public-IP choice the stack's own tasks use, with the task definition the stack holds. The container's log \
            lines are shown as they come. A command after -- replaces the image's (or the job's). --timeout (default: \
            the job's timeoutMinutes, else 1h) and Ctrl-C stop the task Berth started, and say so, and whether \
            StopTask worked. Tasks started with RunTask get no Service Connect proxy.

            Examples:
              berth run --env prod --service migrate
              berth run --env prod --service api -- bin/rails db:migrate:status

            Exit codes: the container's exit code; 125 the container never ran (RunTask refused, the image could \
            not be pulled, no capacity, the stack not deployed); 1 an AWS call failed (a task Berth could not follow \
            is stopped, and named); 2 invalid input, no \
            credentials, or a stack of the service's name that is not the app's (its berth:app tag); 4 stopped at --timeout; 130 interrupted (the task is stopped).
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment.")
    var env: String

    @Option(help: ArgumentHelp("The job, or the service whose task definition runs the command.", valueName: "name"))
    var service: String

    @Option(parsing: .unconditional, help: "Stop the task after this long (90s, 10m, 1h30m; default: the job's timeoutMinutes, else 1h).")
    var timeout: TimeoutArgument?

    @Argument(parsing: .postTerminator, help: "The command and its arguments, instead of the image's.")
    var command: [String] = []

    func validate() throws {
        // As a job's command in the environment file: ECS runs the words themselves.
        if command.contains(where: \.isEmpty) { throw ValidationError("the command after -- has an empty word; ECS cannot run \"\"") }
    }

    /// How long a run may take: `--timeout`, else the job's own `timeoutMinutes` (as a deploy's
    /// run of it has), else an hour (a service's task running a command).
    static func limit(_ timeout: Duration?, of stack: PlannedStack) -> Duration {
        timeout ?? .seconds(60 * (stack.jobPolicy?.timeoutMinutes ?? 60))
    }

    func run() async throws {
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env, services: [service]))
        guard let stack = session.plan.stacks.first(where: { $0.service == service }) else {
            throw CommandFailure(.inputError, "\(service) has no stack in \(env)")
        }
        let limit = Self.limit(timeout?.duration, of: stack)
        let clients = try await session.clients(awsOptions, within: limit)(stack.target)
        let console = session.context.console
        let command = command.isEmpty ? nil : command
        // In GitHub Actions, no line of the task's logs is taken for a workflow command.
        let pause = GitHubActions(environment: session.context.environment).commandPause()
        if let pause { console.write(pause.stop) }
        defer { if let pause { console.write(pause.resume) } }
        do {
            // The runner stops the task at the limit itself; the command's deadline comes later,
            // for a server that never answers.
            let outcome = try await CommandDeadline.run(
                within: limit + .seconds(60), whenInterrupted: "interrupted",
                whenTimedOut: "the run did not finish within \(JobRunError.text(limit))"
            ) {
                let run = try await JobRun.of(stack, cloudFormation: clients.cloudFormation, command: command, timeout: limit)
                return try await JobRunner(ecs: clients.ecs, logs: clients.logs, show: { console.write(TerminalText.message($0) + "\n") }).run(run)
            }
            console.write("\(service): exited 0 (task \(outcome.taskID))\n")
        } catch JobRunError.failed(let job, let outcome) {
            throw CommandFailure(
                .failure, "\(JobRunError.failed(job: job, outcome: outcome))", exitCode: outcome.failureExitStatus)
        } catch let error as JobRunError {
            switch error {
            case .timedOut: throw CommandFailure(.timedOut, "\(error)")
            case .interrupted: throw CommandFailure(.interrupted, "\(error)")
            case .lostTrack: throw CommandFailure(.failure, "\(error)")
            case .neverRan, .failed: throw CommandFailure(.neverRan, "\(error)")
            }
        }
    }
}
