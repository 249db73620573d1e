import BerthAWS
import ArgumentParser
import BerthTemplate
import BerthDeploy
import Foundation

/// The entry point of an app's `berth` executable.
public enum Berth {
    /// Berth's version, as `berth --version` prints it.
    public static let version = "0.5.0"

    /// What the running command works on: the app's definition and where to write.
    struct Context: Sendable {
        let app: any AppDefinition
        let console: Console
        let variables: EnvironmentVariables
        /// The process environment (credentials, region, endpoints, CI settings).
        var environment: [String: String] { variables.value }
        /// Whether the process exits as soon as the command returns (`main`), so that what the
        /// command built need not be freed first (`ExitRetention`).
        var exitsAfterward = false

        /// Writes `message` as a warning to standard error, and as an annotation on GitHub Actions.
        func warn(_ message: String) {
            let message = TerminalText.printable(message)
            console.writeError("warning: \(message)\n")
            // On the error stream, which the runner reads for annotations too: standard output
            // may be a document (--json) that a line of its own would break.
            if let annotation = GitHubActions(environment: environment).annotation(.warning, title: "berth", message) {
                console.writeError(annotation)
            }
        }
    }

    @TaskLocal static var context: Context?

    /// The running command's context; set by `run` for every command.
    static func currentContext() throws -> Context {
        guard let context else { throw CommandFailure(.failure, "internal error: a command ran outside Berth.run") }
        return context
    }

    /// Runs `berth` with the process's arguments and exits with its status.
    @MainActor
    public static func main(_ app: some AppDefinition) async -> Never {
        Console.guardStandardDescriptors()
        let status = await run(
            app, arguments: Array(CommandLine.arguments.dropFirst()), console: .standard, variables: EnvironmentVariables(nil),
            exitsAfterward: true)
        // What could not be printed fails a command that otherwise succeeded: its output is lost.
        if let failure = Console.standardWriteFailure {
            Console.standard.writeError("error: \(failure)\n")
            exit(status == ExitStatus.success.rawValue ? ExitStatus.failure.rawValue : status)
        }
        exit(status)
    }

    /// Runs `berth` with `arguments` and returns the exit status; output goes to `console`.
    /// Commands that do no I/O worth waiting on (`synth`) run synchronously on the caller's
    /// thread, so that they start no threads.
    @MainActor
    public static func run(
        _ app: some AppDefinition, arguments: [String], console: Console,
        environment: [String: String] = ProcessEnvironment.current()
    ) async -> Int32 {
        await run(app, arguments: arguments, console: console, variables: EnvironmentVariables(environment), exitsAfterward: false)
    }

    @MainActor
    private static func run(
        _ app: some AppDefinition, arguments: [String], console: Console, variables: EnvironmentVariables, exitsAfterward: Bool
    ) async -> Int32 {
        await $context.withValue(Context(app: app, console: console, variables: variables, exitsAfterward: exitsAfterward)) {
            do {
                if let problem = SingleValueOptions.problem(in: arguments) { throw CommandFailure(.inputError, problem) }
                if let synth = SynthRequest.fastPath(arguments) {
                    try synth.run()
                    return ExitStatus.success.rawValue
                }
                if let problem = HelpTopic.problem(in: arguments, root: BerthCommand.self) {
                    throw CommandFailure(.inputError, problem)
                }
                var command = try BerthCommand.parseAsRoot(arguments)
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return ExitStatus.success.rawValue
            } catch let error where Self.exitStatus(for: error) != nil {
                let status = Self.exitStatus(for: error) ?? .failure
                let message = TerminalText.printable(Self.message(for: error))
                if !message.isEmpty {
                    console.writeError(message + "\n")
                    let github = GitHubActions(environment: variables.value)
                    let title = "berth " + (arguments.first { !$0.hasPrefix("-") } ?? "")
                    let text = message.hasPrefix("error: ") ? String(message.dropFirst("error: ".count)) : message
                    if let annotation = github.annotation(.error, title: title, text) { console.writeError(annotation) }
                }
                return (error as? CommandFailure)?.exitCode ?? status.rawValue
            } catch {
                let code = BerthCommand.exitCode(for: error)
                let message = BerthCommand.fullMessage(for: error)
                if code == .success {
                    console.write(message + "\n")
                    return ExitStatus.success.rawValue
                }
                // One style for every error: argument-parser's "Error: " reads as Berth's "error: ".
                let styled = message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : Substring(message)
                console.writeError(TerminalText.printable(String(styled)) + "\n")
                return code == .validationFailure ? ExitStatus.inputError.rawValue : ExitStatus.failure.rawValue
            }
        }
    }
}

extension Berth {
    /// The exit status of Berth's own errors; `nil` for argument-parser errors, which it reports itself.
    static func exitStatus(for error: any Error) -> ExitStatus? {
        switch error {
        case let failure as CommandFailure: failure.status
        // An argument that is no tag is an invalid tag, which the image gate's code documents.
        // `SERVICE=` and `=TAG` are a tag or a service left out, as a service without a tag is.
        case ImageSelectionError.notATag(_, .empty), ImageSelectionError.notATag(_, .noService): .inputError
        case ImageSelectionError.notATag: .imageGateRefused
        case is ConfigurationError, is CredentialsError, is PlanError, is ImageSelectionError, is ConfigurationProblem: .inputError
        case is ImageGateError, is ImageGateRefusal: .imageGateRefused
        case let error as AppDeployError: exitStatus(for: error.cause) ?? .failure
        case let error as ImageCheckFailure: exitStatus(for: error.cause) ?? .failure
        case DeployError.timedOut: .timedOut
        case DeployError.repositorySettingsAtRisk(_, _, let cause): exitStatus(for: cause) ?? .failure
        case DeployError.foreignStacks, DeployError.repositoryPolicyReplaced, DeployError.repositoryWouldBeLost, DeployError.refusals, is ListenerPriorityError:
            .inputError
        case DiffError.notCompared: .failure
        case is DiffError, is DriftError: .comparisonFailed
        case JobRunError.interrupted: .interrupted
        case is JobRunError: .jobFailed
        case is InventoryError: .failure
        case let error as ExecError: error.isInputError ? .inputError : .failure
        case RollbackError.expired, RollbackError.notInRepository, RollbackError.expiring, RollbackError.moved, RollbackError.movableTagNeverRan, RollbackError.onlyFailed: .imageGateRefused
        case is RollbackError: .inputError
        case is AppDestroyer.Refusal, is AdoptionRefusal: .inputError
        case is DeployError, is AWSServiceError, is TransportError, is UnexpectedResponseError, is PaginationError, is SystemLibraryError:
            .failure
        default: nil
        }
    }

    /// `message`, led by `stack` when it does not name it.
    private static func named(_ message: String, stack: String) -> String {
        guard message.hasPrefix("error: "), !names(message, stack) else { return message }
        return "error: \(stack): " + message.dropFirst("error: ".count)
    }

    /// Whether `message` names `stack` as a whole name (`shop-api-dev`, not within `shop-api-dev2`).
    private static func names(_ message: String, _ stack: String) -> Bool {
        func isNameCharacter(_ character: Character?) -> Bool {
            character.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } ?? false
        }
        var rest = message[...]
        while let found = rest.range(of: stack) {
            let before = found.lowerBound > message.startIndex ? message[message.index(before: found.lowerBound)] : nil
            let after = found.upperBound < message.endIndex ? message[found.upperBound] : nil
            if !isNameCharacter(before) && !isNameCharacter(after) { return true }
            rest = message[found.upperBound...]
        }
        return false
    }

    /// What to print for one of Berth's own errors.
    static func message(for error: any Error) -> String {
        switch error {
        case let failure as CommandFailure: failure.message.isEmpty ? "" : "error: \(failure.message)"
        case let error as ConfigurationError:
            error.description.split(separator: "\n", omittingEmptySubsequences: false).map { "error: " + $0 }.joined(separator: "\n")
        case let error as ImageGateError: "error: image gate: \(ErrorWording.text(error))"
        case let error as ImageGateRefusal: "error: image gate: \(ErrorWording.text(error))"
        case let error as ImageSelectionError: "error: \(ErrorWording.text(error))"
        case let error as ExecError: "error: \(ErrorWording.text(error))"
        case let error as PlanError: "error: \(ErrorWording.text(error))"
        case let error as RollbackError: "error: rollback: \(ErrorWording.text(error))"
        case let error as ListenerPriorityError: "error: \(ErrorWording.text(error))"
        case let error as AdoptionRefusal: ErrorWording.text(error)
        case let error as AppDeployError:
            // The stack that failed is named, also when its cause is a call's (`cloudformation
            // ExecuteChangeSet failed: Throttling …`), which knows no stack.
            ([named(message(for: error.cause), stack: error.stack)]
                + error.alsoFailed.compactMap { stack in error.alsoFailedCauses[stack].map { named(message(for: $0), stack: stack) } }
                + error.otherStacks).joined(separator: "\n")
        case DeployError.refusals(let refusals): refusals.map { message(for: $0) }.joined(separator: "\n")
        case DiffError.noChangeSetNow(let stack, let status):
            "error: \(stack) is \(status): CloudFormation makes no change set for it now; use --method template"
        default: "error: \(error)"
        }
    }
}

/// The root command.
struct BerthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "berth",
        abstract: "Synthesize and deploy container services to AWS ECS Fargate.",
        discussion: """
            Exit codes: 0 success or no changes; 1 the operation failed (a deploy failed or rolled back), \
            or diff --fail found differences; 2 invalid input (flags, configuration, stack definitions, \
            credentials); 3 the image gate refused (or a rollback's tag has expired); 4 timed out waiting; 5 diff could not read the \
            deployed side; 6 a deploy's job failed (one run before the services: no service was changed; one run after them: \
            the services stay as deployed); 125 berth run's \
            container never ran (otherwise berth run exits with the container's code; berth exec, once its session \
            started, with session-manager-plugin's); 130 interrupted. On 2 and 3 the step that refused changed \
            nothing; a deploy keeps what it deployed before it (the repository stacks before the image gate, \
            the stacks before one found mid-deploy to be another app's).

            Shell completions: berth --generate-completion-script bash (or zsh, fish).
            """,
        version: Berth.version,
        subcommands: [
            InitCommand.self, SynthCommand.self, TagCommand.self, DeployCommand.self, DiffCommand.self, StatusCommand.self,
            ImagesCommand.self, LogsCommand.self, RunCommand.self, ExecCommand.self, HistoryCommand.self, RollbackCommand.self,
            DestroyCommand.self,
        ])
}
