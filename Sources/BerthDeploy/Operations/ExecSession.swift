import BerthAWS
import BerthModel
import BerthTemplate
import Foundation

/// An ECS Exec session into a running task of a service, opened as the AWS CLI's
/// `aws ecs execute-command` opens it (awscli/customizations/ecs/executecommand.py): ECS
/// ExecuteCommand (interactive), then AWS's `session-manager-plugin` with the session, the
/// region, `StartSession`, the profile (or ""), the Session Manager target
/// `ecs:<cluster name>_<task ID>_<container runtime ID>` and the ECS endpoint.
///
/// `pluginArguments` holds the session's token: it is handed to the plugin and never shown;
/// `description` leaves it out.
public struct ExecSession: Sendable, CustomStringConvertible {
    /// The command the session runs when none is given: a shell most images have.
    public static let defaultCommand = "/bin/sh"

    public let cluster: String
    public let taskArn: String
    public let container: String
    /// The Session Manager target: `ecs:<cluster name>_<task ID>_<container runtime ID>`.
    public let target: String
    /// The session's ID, as ECS answered it (not secret).
    public let sessionID: String
    /// What follows the plugin's path on its command line, exactly as the AWS CLI passes it.
    public let pluginArguments: [String]

    public var description: String { "ECS Exec session \(sessionID) into \(container) of \(taskArn) (\(target))" }

    /// The environment variable a recent plugin reads the session from, as `aws ssm
    /// start-session` names it in the plugin's first argument.
    public static let sessionVariable = "AWS_SSM_START_SESSION_RESPONSE"

    /// The plugin's arguments and the variables added to its environment: with
    /// `sessionInEnvironment`, the session (and its token) goes in `sessionVariable`, which only
    /// the plugin's own user can read, and its name in the first argument; else in the first
    /// argument itself, as the AWS CLI's `ecs execute-command` passes it.
    public func pluginInvocation(sessionInEnvironment: Bool) -> (arguments: [String], environment: [String: String]) {
        guard sessionInEnvironment, let session = pluginArguments.first else { return (pluginArguments, [:]) }
        return ([Self.sessionVariable] + pluginArguments.dropFirst(), [Self.sessionVariable: session])
    }

    /// The task's ID: the last part of its ARN.
    public var taskID: String { taskArn.components(separatedBy: "/").last ?? taskArn }

    /// Refuses, before any AWS call, a stack exec cannot open a session in: a job's (no ECS
    /// service), or a service whose template does not turn ECS Exec on (`execCommand`).
    public static func check(_ stack: PlannedStack) throws(ExecError) {
        let name = stack.service ?? stack.name
        let services = stack.template["Resources"]?.members?.filter { $0.value["Type"]?.stringValue == "AWS::ECS::Service" } ?? []
        guard let service = services.first else { throw .notAService(name: name) }
        switch service.value["Properties"]?["EnableExecuteCommand"] {
        case .bool(true), .string("true"): return
        default: throw .execOff(service: name, environment: stack.environment ?? "its environment")
        }
    }

    /// Opens a session running `command` in `container` (the service's own container when `nil`)
    /// of `task` (a running task of the service's primary deployment when `nil`) of the deployed
    /// `stack`. `profile` is the AWS profile in use, "" for none.
    public static func open(
        _ stack: PlannedStack, cloudFormation: CloudFormationClient, ecs: ECSClient, task requestedTask: String?,
        container requestedContainer: String?, command: String, profile: String
    ) async throws -> ExecSession {
        let name = stack.service ?? stack.name
        let found = try await cloudFormation.describeStack(stack.name)
        if let found { try StackOwnership.check(found, tags: stack.tags) }
        guard let deployed = found, deployed.status.holdsDeployment else {
            throw ExecError.notDeployed(stack: stack.name)
        }
        guard let cluster = deployed.parameters[ParameterName.clusterName] else { throw ExecError.serviceNotFound(service: name, cluster: nil) }
        var serviceID = deployed.outputs[OutputName.serviceName]
        if serviceID == nil {
            serviceID = try await cloudFormation.listStackResources(stackName: stack.name).collect()
                .first { $0.resourceType == "AWS::ECS::Service" }?.physicalID
        }
        let task: ECSClient.Task
        if let requestedTask {
            guard let found = try await ecs.describeTasks(cluster: cluster, tasks: [requestedTask]).first else {
                throw ExecError.taskNotFound(task: requestedTask, cluster: cluster)
            }
            // The cluster is the environment's: a task of another service is refused.
            let serviceName = serviceID?.split(separator: "/").last.map(String.init)
            if let serviceName, let group = found.group, group != "service:\(serviceName)" {
                throw ExecError.taskOfAnotherService(task: requestedTask, service: name, group: group)
            }
            guard found.lastStatus == "RUNNING" else {
                throw ExecError.taskNotRunning(task: requestedTask, status: found.lastStatus ?? "in no known state")
            }
            task = found
        } else {
            guard let serviceID, let service = try await ecs.describeServices(cluster: cluster, services: [serviceID]).first,
                service.status != "INACTIVE"
            else { throw ExecError.serviceNotFound(service: name, cluster: cluster) }
            let arns = try await ecs.listTasks(cluster: cluster, serviceName: serviceID, desiredStatus: "RUNNING").collect()
            let tasks = try await ecs.describeTasks(cluster: cluster, tasks: arns)
            let picked = pick(from: tasks, primary: service.deployments?.first { $0.status == "PRIMARY" })
            guard let chosen = picked.task else { throw ExecError.noRunningTask(service: name, others: picked.others) }
            task = chosen
        }
        let taskArn = task.taskArn ?? requestedTask ?? ""
        let container = try self.container(named: requestedContainer, in: task, service: name)
        let containerName = container.name ?? ""
        guard task.enableExecuteCommand != false else { throw ExecError.taskWithoutExec(task: taskArn) }
        guard let runtimeID = container.runtimeId, !runtimeID.isEmpty else {
            throw ExecError.noRuntimeID(container: containerName, task: taskArn)
        }
        let answer = try await ecs.executeCommand(cluster: cluster, task: taskArn, container: containerName, command: command)
        guard let session = answer.session else { throw ExecError.noSession(task: taskArn) }
        // As the AWS CLI: the cluster's and task's names are the last parts of the answer's ARNs.
        let target = Self.target(
            cluster: lastPart(answer.clusterArn ?? cluster), task: lastPart(answer.taskArn ?? taskArn), runtimeID: runtimeID)
        return ExecSession(
            cluster: cluster, taskArn: taskArn, container: containerName, target: target, sessionID: session.sessionId ?? "",
            pluginArguments: pluginArguments(
                session: session, region: ecs.region, profile: profile, target: target, endpoint: try ecs.endpointURL()))
    }

    /// The running task to open a session in: one of the primary deployment's (started by it, or
    /// running its task definition), those with ECS Exec first, then the longest running; and how
    /// many running tasks belong to other deployments.
    static func pick(from tasks: [ECSClient.Task], primary: ECSClient.Service.Deployment?) -> (task: ECSClient.Task?, others: Int) {
        let running = tasks.filter { $0.lastStatus == "RUNNING" }
        let ofPrimary = running.filter { task in
            guard let primary else { return true }
            if let id = primary.id, let startedBy = task.startedBy { return startedBy == id }
            if let definition = primary.taskDefinition, let own = task.taskDefinitionArn { return own == definition }
            return true
        }
        let ordered = ofPrimary.sorted { first, second in
            let firstExec = first.enableExecuteCommand != false
            let secondExec = second.enableExecuteCommand != false
            if firstExec != secondExec { return firstExec }
            let firstStart = first.startedAt ?? .infinity
            let secondStart = second.startedAt ?? .infinity
            if firstStart != secondStart { return firstStart < secondStart }
            return (first.taskArn ?? "") < (second.taskArn ?? "")
        }
        return (ordered.first, running.count - ofPrimary.count)
    }

    /// The container `name` of `task`; without a name, the service's own (named after it), or the
    /// task's only container.
    static func container(named name: String?, in task: ECSClient.Task, service: String) throws(ExecError) -> ECSClient.Task.Container {
        let containers = task.containers ?? []
        let wanted = name ?? service
        if let found = containers.first(where: { $0.name == wanted }) { return found }
        if name == nil, containers.count == 1, let only = containers.first { return only }
        throw .containerNotFound(container: wanted, task: task.taskArn ?? "", containers: containers.compactMap(\.name))
    }

    /// `ecs:<cluster name>_<task ID>_<container runtime ID>`, the target the AWS CLI builds.
    static func target(cluster: String, task: String, runtimeID: String) -> String {
        "ecs:\(cluster)_\(task)_\(runtimeID)"
    }

    /// The plugin's arguments as the AWS CLI passes them: the session as JSON, the region,
    /// `StartSession`, the profile ("" for none), `{"Target": …}` as JSON, the ECS endpoint URL.
    /// The JSON is written as Python's `json.dumps` writes it.
    public static func pluginArguments(
        session: ECSClient.ExecuteCommandResponse.Session, region: String, profile: String, target: String, endpoint: String
    ) -> [String] {
        let fields = [("sessionId", session.sessionId), ("streamUrl", session.streamUrl), ("tokenValue", session.tokenValue)]
        let present = fields.compactMap { key, value in value.map { (key, $0) } }
        return [pythonJSON(present), region, "StartSession", profile, pythonJSON([("Target", target)]), endpoint]
    }

    /// An object of strings as Python's `json.dumps` writes it by default: `", "` and `": "`
    /// between items, non-ASCII and control characters escaped (`\uXXXX` of UTF-16 units).
    static func pythonJSON(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(pythonJSONString($0.0)): \(pythonJSONString($0.1))" }.joined(separator: ", ") + "}"
    }

    private static func pythonJSONString(_ text: String) -> String {
        var output = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x20...0x7E: output.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: output += "\\u" + String(format: "%04x", unit)
            }
        }
        return output + "\""
    }

    private static func lastPart(_ arn: String) -> String { arn.components(separatedBy: "/").last ?? arn }
}
