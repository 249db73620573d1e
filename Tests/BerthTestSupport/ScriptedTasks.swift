import Foundation

/// ECS's RunTask, DescribeTasks and StopTask answered from a script, for what moto cannot do
/// (its tasks never stop by themselves and every exit code is 0); every other call is relayed
/// to moto. The answers follow the ECS API reference: RunTask returns `tasks` (one per started
/// task) and `failures`; DescribeTasks returns `tasks` with `lastStatus`, `stoppedReason`,
/// `stopCode` and each container's `exitCode` and `reason` once the task is `STOPPED`.
public final class ScriptedTasks: @unchecked Sendable {
    /// How one started task behaves.
    public struct Run: Sendable {
        /// DescribeTasks answers `RUNNING` this many times, then `STOPPED`.
        public var pollsBeforeStop: Int
        /// The main container's exit code; `nil` when it never ran.
        public var exitCode: Int?
        public var stoppedReason: String
        /// The container's own reason (`CannotPullContainerError: …`) when it never ran.
        public var containerReason: String?
        /// RunTask refuses with this reason instead of starting a task.
        public var refusal: String?
        /// RunTask answers this error (`AccessDeniedException`, HTTP 400) instead of starting a task.
        public var error: String?
        /// The task's stopCode, when not what the exit code implies (`UserInitiated`: someone's
        /// StopTask, which the container answered with `exitCode`).
        public var stopCode: String?

        public init(
            pollsBeforeStop: Int = 1, exitCode: Int? = 0, stoppedReason: String = "Essential container in task exited",
            containerReason: String? = nil, refusal: String? = nil, stopCode: String? = nil, error: String? = nil
        ) {
            self.error = error
            self.pollsBeforeStop = pollsBeforeStop
            self.exitCode = exitCode
            self.stoppedReason = stoppedReason
            self.containerReason = containerReason
            self.refusal = refusal
            self.stopCode = stopCode
        }
    }

    private let lock = NSLock()
    private var script: [Run]
    private var started: [(arn: String, run: Run, container: String, polls: Int, stoppedBy: String?)] = []
    private var received: [(operation: String, body: [String: Any])] = []
    private let account = "123456789012"

    public init(_ script: [Run]) { self.script = script }

    /// The ECS task calls received, in order, with their JSON bodies.
    public var calls: [(operation: String, body: [String: Any])] { lock.withLock { received } }

    /// The operations received, in order.
    public var operations: [String] { calls.map(\.operation) }

    /// The answer to `request`, or `nil` for a call this script does not play (relay it).
    public func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply? {
        guard let target = request.headers["x-amz-target"], target.hasPrefix("AmazonEC2ContainerServiceV20141113.") else { return nil }
        let operation = String(target.dropFirst("AmazonEC2ContainerServiceV20141113.".count))
        guard ["RunTask", "DescribeTasks", "StopTask"].contains(operation) else { return nil }
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        return lock.withLock {
            received.append((operation, body))
            switch operation {
            case "RunTask": return runTask(body)
            case "DescribeTasks": return describeTasks(body)
            default: return stopTask(body)
            }
        }
    }

    private func runTask(_ body: [String: Any]) -> TestHTTPServer.Reply {
        let run = script.isEmpty ? Run() : script.removeFirst()
        let cluster = body["cluster"] as? String ?? "default"
        if let error = run.error {
            return .respond(
                status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                body: #"{"__type":"\#(error)","message":"User is not authorized to perform: iam:PassRole"}"#)
        }
        if let refusal = run.refusal {
            return json(["tasks": [], "failures": [["arn": "arn:aws:ecs:eu-west-1:\(account):cluster/\(cluster)", "reason": refusal]]])
        }
        let container = ((body["overrides"] as? [String: Any])?["containerOverrides"] as? [[String: Any]])?.first?["name"] as? String
            ?? "app"
        let arn = "arn:aws:ecs:eu-west-1:\(account):task/\(cluster)/\(String(format: "%032x", started.count + 1))"
        started.append((arn, run, container, 0, nil))
        return json(["tasks": [task(started.count - 1, status: "PROVISIONING")], "failures": []])
    }

    private func describeTasks(_ body: [String: Any]) -> TestHTTPServer.Reply {
        let arns = body["tasks"] as? [String] ?? []
        var tasks: [[String: Any]] = []
        for arn in arns {
            guard let index = started.firstIndex(where: { $0.arn == arn }) else { continue }
            started[index].polls += 1
            let entry = started[index]
            let stopped = entry.stoppedBy != nil || entry.polls > entry.run.pollsBeforeStop
            tasks.append(task(index, status: stopped ? "STOPPED" : "RUNNING"))
        }
        return json(["tasks": tasks, "failures": []])
    }

    private func stopTask(_ body: [String: Any]) -> TestHTTPServer.Reply {
        guard let arn = body["task"] as? String, let index = started.firstIndex(where: { $0.arn == arn }) else {
            return .respond(status: 400, body: #"{"__type":"InvalidParameterException","message":"The referenced task was not found."}"#)
        }
        started[index].stoppedBy = body["reason"] as? String ?? "stopped"
        return json(["task": task(index, status: "STOPPED")])
    }

    private func task(_ index: Int, status: String) -> [String: Any] {
        let entry = started[index]
        var container: [String: Any] = ["name": entry.container, "lastStatus": status]
        var task: [String: Any] = ["taskArn": entry.arn, "lastStatus": status, "desiredStatus": status == "STOPPED" ? "STOPPED" : "RUNNING"]
        if status == "STOPPED" {
            if let reason = entry.stoppedBy {
                task["stoppedReason"] = reason
                task["stopCode"] = "UserInitiated"
                container["exitCode"] = 137
            } else {
                task["stoppedReason"] = entry.run.stoppedReason
                task["stopCode"] = entry.run.stopCode ?? (entry.run.exitCode == nil ? "TaskFailedToStart" : "EssentialContainerExited")
                if let code = entry.run.exitCode { container["exitCode"] = code }
                if let reason = entry.run.containerReason { container["reason"] = reason }
            }
        }
        task["containers"] = [container]
        return task
    }

    private func json(_ object: [String: Any]) -> TestHTTPServer.Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
    }
}
