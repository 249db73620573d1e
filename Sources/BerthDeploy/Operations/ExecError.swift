import Foundation

/// Why `berth exec` opened no session, each saying what to fix.
public enum ExecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where AWS's Session Manager plugin is documented and how to install it.
    public static let pluginInstallGuide =
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html"

    /// `session-manager-plugin` is not on `PATH` (the directories searched).
    case pluginMissing(searched: [String])
    /// The stack is a job's (no ECS service).
    case notAService(name: String)
    /// The service's template does not turn ECS Exec on.
    case execOff(service: String, environment: String)
    /// The service stack is not deployed.
    case notDeployed(stack: String)
    /// The stack names no cluster or service, or ECS does not know the service.
    case serviceNotFound(service: String, cluster: String?)
    /// No task of the service's primary deployment runs; `others` tasks of older deployments do.
    case noRunningTask(service: String, others: Int)
    /// `--task` names no task of the cluster.
    case taskNotFound(task: String, cluster: String)
    /// `--task` names a task that is not `RUNNING`.
    case taskNotRunning(task: String, status: String)
    /// The task has no such container (its containers listed).
    case containerNotFound(container: String, task: String, containers: [String])
    /// The task started before ECS Exec was turned on.
    case taskWithoutExec(task: String)
    /// The container has no runtime ID yet (it is still starting).
    case noRuntimeID(container: String, task: String)
    /// ExecuteCommand answered without a session.
    case noSession(task: String)
    /// `--task` names a task of the cluster that is not the service's (its group says whose).
    case taskOfAnotherService(task: String, service: String, group: String)
    /// The plugin could not be started, or waited for.
    case pluginFailed(path: String, reason: String)

    /// Whether the error is the user's input to fix (exit 2) rather than the state of AWS (exit 1).
    public var isInputError: Bool {
        switch self {
        case .pluginMissing, .notAService, .execOff, .containerNotFound, .taskOfAnotherService: true
        default: false
        }
    }

    /// What is wrong, without what to do about it: the CLI adds its own advice (`ErrorWording`).
    package var problem: String {
        switch self {
        case .pluginMissing(let searched):
            "session-manager-plugin is not on PATH (searched: \(searched.isEmpty ? "PATH is empty" : searched.joined(separator: ":")))"
        case .notAService(let name):
            "\(name) is a job, not a service: exec opens a shell in a running task of a service"
        case .execOff(let service, let environment):
            "ECS Exec is off for \(service) in \(environment)"
        case .notDeployed(let stack):
            "the stack \(stack) is not deployed"
        case .serviceNotFound(let service, let cluster):
            cluster.map { "ECS has no service \(service) in the cluster \($0)" } ?? "the stack of \(service) names no cluster or ECS service"
        case .noRunningTask(let service, let others):
            others == 0
                ? "\(service) has no running task"
                : "no task of \(service)'s primary deployment is running yet (\(others) of older deployments \(others == 1 ? "is" : "are"))"
        case .taskNotFound(let task, let cluster):
            "no task \(task) in the cluster \(cluster)"
        case .taskNotRunning(let task, let status):
            "the task \(task) is \(status), not RUNNING"
        case .containerNotFound(let container, let task, let containers):
            "the task \(task) has no container \(container); its containers: \(containers.isEmpty ? "none" : containers.joined(separator: ", "))"
        case .taskWithoutExec(let task):
            "the task \(task) was started without ECS Exec (before execCommand was turned on)"
        case .noRuntimeID(let container, let task):
            "the container \(container) of the task \(task) has no runtime ID yet (it is still starting)"
        case .noSession(let task):
            "ECS ExecuteCommand answered without a session for the task \(task)"
        case .taskOfAnotherService(let task, let service, let group):
            "task \(task) is not one of \(service)'s (its group is \(group))"
        case .pluginFailed(let path, let reason):
            "\(path) could not be run: \(reason)"
        }
    }

    public var description: String {
        switch self {
        case .pluginMissing:
            problem + ". A session is handed to AWS's Session Manager plugin, as the AWS CLI does; install it (\(Self.pluginInstallGuide))"
        case .notAService: problem + "; run a job's command as a task of its own"
        case .execOff: problem + ": set execCommand: true under the service in the environment file and deploy it"
        case .notDeployed: problem + ": deploy it first"
        case .serviceNotFound: problem + ": deploy it again"
        case .noRunningTask(_, let others): problem + (others == 0 ? ": scale or deploy it" : ": wait for the rollout, or name a task")
        case .taskNotFound, .taskNotRunning: problem + ": name a running task of the service"
        case .containerNotFound, .noSession: problem
        case .taskWithoutExec: problem + ": deploy again so that new tasks start with it, or name another task"
        case .noRuntimeID: problem + ": try again in a moment"
        case .taskOfAnotherService(_, let service, _): problem + "; name one of \(service)'s running tasks"
        case .pluginFailed: problem + "; the container's session was opened and ends by itself when idle"
        }
    }
}
