import ArgumentParser
import BerthDeploy
import Foundation

/// `berth exec`: a shell, or one command, in a running task of a service with ECS Exec on, through
/// AWS's `session-manager-plugin` as the AWS CLI's `aws ecs execute-command` runs it.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Open a shell, or run a command, in a running task of a service (ECS Exec).",
        discussion: """
            Calls ECS ExecuteCommand and hands the session to AWS's session-manager-plugin, exactly as \
            aws ecs execute-command does; the plugin must be on PATH (\(ExecError.pluginInstallGuide)). The \
            service needs execCommand: true in its environment file, deployed. Without --task, a running task \
            of the service's primary deployment is picked; without --container, the service's own container. \
            Ctrl-C goes to the session, not to berth.

            Examples:
              berth exec --env prod --service api
              berth exec --env prod --service api --command "bin/rails console"
              berth exec --env dev --service api --task 0123abcd --container api

            Exit codes: the plugin's exit code once the session started (0 when it ended normally); 1 an AWS \
            call failed, or no task to open a session in (none running, the task not found or started without \
            ECS Exec); 2 invalid input, no credentials, the plugin missing or ECS Exec off (no AWS call is \
            made), or a stack of the service's name that is not the app's (its berth:app tag); 4 the AWS calls did not finish within --timeout; 130 interrupted before the session started.
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment.")
    var env: String

    @Option(help: ArgumentHelp("The service.", valueName: "name"))
    var service: String

    @Option(help: ArgumentHelp("The task's ID or ARN (default: a running task of the primary deployment).", valueName: "id"))
    var task: String?

    @Option(help: ArgumentHelp("The container (default: the service's own).", valueName: "name"))
    var container: String?

    @Option(help: "The command to run, instead of a shell.")
    var command = ExecSession.defaultCommand

    @Option(parsing: .unconditional, help: "Give up on the AWS calls before the session after this long (90s, 10m, 1h30m).")
    var timeout = TimeoutArgument(.seconds(120))

    func validate() throws {
        guard !command.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--command must not be empty") }
        if let task, task.isEmpty { throw ValidationError("--task must not be empty") }
        if let container, container.isEmpty { throw ValidationError("--container must not be empty") }
    }

    func run() async throws {
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env, services: [service]))
        guard let stack = session.plan.stacks.first(where: { $0.service == service }) else {
            throw CommandFailure(.inputError, "\(service) has no stack in \(env)")
        }
        // Before any AWS call: ECS Exec on, and the plugin there to carry the session.
        try ExecSession.check(stack)
        let environment = session.context.environment
        let plugin = try SessionManagerPlugin.locate(environment: environment)
        // Asked before the session opens: a plugin slow to answer holds up no open session.
        let sessionInEnvironment = plugin.takesSessionFromEnvironment()
        let clients = try await session.clients(awsOptions, within: timeout.duration)(stack.target)
        // The profile as the AWS CLI passes it: the one in use, or "" for none.
        let profile = awsOptions.profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? ""
        let opened = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted",
            whenTimedOut: "the session was not opened within --timeout \(timeout.defaultValueDescription)"
        ) { [task, container, command] in
            try await ExecSession.open(
                stack, cloudFormation: clients.cloudFormation, ecs: clients.ecs, task: task, container: container, command: command,
                profile: profile)
        }
        session.context.console.writeError("\(service): \(command) in container \(opened.container) of task \(opened.taskID)\n")
        let status: Int32
        do {
            let invocation = opened.pluginInvocation(sessionInEnvironment: sessionInEnvironment)
            status = try await plugin.run(invocation.arguments, environment: environment.merging(invocation.environment) { _, session in session })
        } catch {
            throw CommandFailure(.failure, "\(error)")
        }
        if status != 0 { throw CommandFailure(.failure, "", exitCode: status) }
    }
}
