import BerthAWS
import ArgumentParser
import BerthConfig
import BerthDeploy
import Foundation

/// `berth destroy`: delete an environment's phase-2 stacks, never a repository or an image.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Delete an environment's stacks (a preview environment's), never a repository or an image.",
        discussion: """
            Deletes the environment's service stacks (those of services removed from the files since they were \
            deployed too, found by their berth: tags), then its shared stack, and streams their events. \
            Refused, with nothing deleted, for an environment whose file says protected: true, for a stack \
            with termination protection, for a stack that holds an image repository, and for a stack with one of \
            the app's names that is not the app's (its berth:app tag names another app, or it has none); a stack of \
            another environment or service of the app with one of its names is left alone, with a note. On a terminal it \
            asks you to type the environment's name; elsewhere it needs --yes. The services' log groups (and \
            their logs) are deleted with their stacks; the images stay. Destroy an environment before you delete \
            its file: without it, berth knows no environment of that name.

            --removed-service NAME deletes only the stack of service NAME, which the files no longer have (found as \
            above, by its berth:service tag, with the same checks and confirmation), and leaves the rest of the \
            environment as it is, protected or not: a deploy leaves a removed service's stack running, and holding \
            its listener rule's priority on the shared load balancer. A service the file still has is refused.

            Examples:
              berth destroy --env pr-51 --yes
              berth destroy --env staging
              berth destroy --env prod --removed-service billing

            Exit codes: 0 deleted, or nothing to delete; 1 a delete failed; 2 invalid input, a protected \
            environment or stack, or not confirmed (nothing deleted); 4 not finished within --timeout \
            (CloudFormation carries on); 130 interrupted.
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "The environment whose stacks to delete.")
    var env: String

    @Flag(help: "Delete without asking (needed when there is no terminal to ask on).")
    var yes = false

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m; the deletes go on in CloudFormation).")
    var timeout = TimeoutArgument(.seconds(1800))

    @Option(help: ArgumentHelp("Where outputs.json is: the stacks deleted are taken out of it.", valueName: "dir"))
    var out = "out"

    // Unconditional: a negative number is the option's value (refused by its range), not a flag.
    @Option(parsing: .unconditional, help: "How many stacks to delete at the same time (1 to 32).")
    var concurrency = 4

    @Option(
        help: ArgumentHelp(
            "Delete only this removed service's stack (one the environment's file no longer has); repeatable. The rest of the environment stays.",
            valueName: "service"))
    var removedService: [String] = []

    func validate() throws {
        guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 32, got \(concurrency)") }
        if let name = removedService.first(where: { !EnvironmentConfig.isValidName($0) }) {
            throw ValidationError("--removed-service \(name) is not a service name: \(EnvironmentConfig.nameRule)")
        }
    }

    func run() async throws {
        let session = try AppSession(appOptions, environment: env, selecting: .init(phases: [.ecs], environment: env))
        let (context, plan) = (session.context, session.plan)
        let removedServices = removedService.isEmpty ? nil : Set(removedService)
        if removedServices == nil, let file = try session.configuration.environments().first(where: { $0.name == env && $0.settings.isProtected }) {
            throw CommandFailure(
                .inputError, "environment \(env) is protected (protected: true in \(file.file)); nothing was deleted. Remove that line to destroy it.")
        }
        let clients = try await session.clients(awsOptions, within: timeout.duration)
        let output = DeployOutput(console: context.console, github: GitHubActions(environment: context.environment))
        if let access = try session.accessSummary(of: env) { output.line(access) }
        let destroyer = AppDestroyer(
            clients: clients, reporter: output.reporter, started: { output.heading("deleting \($0.name)") },
            timeout: timeout.duration, concurrency: concurrency)
        let limit = timeout.defaultValueDescription
        let existing = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted; nothing was deleted",
            whenTimedOut: "the destroy did not finish within --timeout \(limit); nothing was deleted"
        ) { try await destroyer.existing(plan, removedServices: removedServices) }
        guard !existing.isEmpty else {
            output.line("nothing to delete: environment \(env) has no deployed stack\(removedServices.map { " of removed service " + $0.sorted().joined(separator: ", ") } ?? "")")
            return
        }
        // A name that found no stack is said, not passed over beside one that did.
        for service in removedServices?.sorted() ?? [] where !existing.contains(where: { $0.service == service }) {
            output.line("note: environment \(env) has no deployed stack of removed service \(service)")
        }
        let names = existing.map(\.name).joined(separator: ", ")
        if !yes {
            guard context.console.isInteractive else {
                throw CommandFailure(.inputError, "destroy deletes \(names) and needs --yes when there is no terminal to ask on; nothing was deleted")
            }
            context.console.write("Delete \(names), and the services' logs with them? Type \(env) to confirm: ")
            guard context.console.readLine()?.trimmingCharacters(in: .whitespaces) == env else {
                throw CommandFailure(.inputError, "not confirmed; nothing was deleted")
            }
        }
        let results = try await CommandDeadline.run(
            within: timeout.duration,
            whenInterrupted: "interrupted; the deletes begun carry on in CloudFormation: run the same destroy again to wait for them and delete what is left of \(names)",
            whenTimedOut: "the destroy did not finish within --timeout \(limit); the deletes begun carry on in CloudFormation: "
                + "run the same destroy again to wait for them and delete what is left of \(names)"
        ) { try await destroyer.destroy(existing) }
        // Services first, as they were deleted, then the shared stack.
        for stack in existing.filter({ $0.service != nil }) + existing.filter({ $0.service == nil }) where results[stack.name] != nil {
            output.line("\(stack.name): \(results[stack.name] == .deleted ? "deleted" : "already gone")")
        }
        do {
            try OutputsFile(directory: out).remove(existing.map(\.name).filter { results[$0] != nil })
        } catch {
            // The stacks are deleted all the same: said, never the destroy's failure.
            context.warn("\(Berth.message(for: error).replacingOccurrences(of: "error: ", with: "")); the deleted stacks stay listed there")
        }
        if removedServices != nil {
            output.line("done: deleted with their log groups; the rest of environment \(env) and the images stay")
        } else {
            output.line("done: environment \(env) deleted, with its services' log groups; its images stay in the repositories")
        }
    }
}
