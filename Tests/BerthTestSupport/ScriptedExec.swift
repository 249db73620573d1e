import Foundation

/// What `berth exec` asks AWS, answered from a script: CloudFormation's DescribeStacks (one
/// deployed service stack, its `ClusterName` parameter and `ServiceName` output) and ECS's
/// DescribeServices, ListTasks, DescribeTasks and ExecuteCommand. moto cannot model ExecuteCommand
/// sessions, so these answers are written from the ECS API reference: DescribeServices' service
/// with `deployments` (one `PRIMARY`), DescribeTasks' tasks with `startedBy` (the deployment's ID),
/// `enableExecuteCommand` and each container's `runtimeId`, and `failures` (`MISSING`) for a task
/// it does not know; ExecuteCommand's `clusterArn`, `taskArn`, `containerName`, `interactive` and
/// `session` (`sessionId`, `streamUrl`, `tokenValue`). Every call is recorded.
public final class ScriptedExec: @unchecked Sendable {
    /// One task of the service.
    public struct Task: Sendable {
        public var id: String
        /// The deployment that started it (`ecs-svc/…`).
        public var deployment: String
        public var lastStatus: String
        public var enableExecuteCommand: Bool
        /// Seconds since 1970.
        public var startedAt: Double
        /// Containers: name and runtime ID.
        public var containers: [(name: String, runtimeID: String?)]
        /// Its group, `service:NAME`; the scripted service's when `nil`.
        public var group: String?

        public init(
            id: String, deployment: String = ScriptedExec.primaryDeployment, lastStatus: String = "RUNNING",
            enableExecuteCommand: Bool = true, startedAt: Double = 1_795_000_000,
            containers: [(name: String, runtimeID: String?)]
        ) {
            self.id = id
            self.deployment = deployment
            self.lastStatus = lastStatus
            self.enableExecuteCommand = enableExecuteCommand
            self.startedAt = startedAt
            self.containers = containers
        }
    }

    public static let primaryDeployment = "ecs-svc/1111111111111111111"
    public static let olderDeployment = "ecs-svc/0000000000000000000"
    public static let account = "123456789012"
    /// The session ExecuteCommand answers with.
    public static let sessionID = "ecs-execute-command-0a1b2c3d4e5f6a7b8"
    public static let streamURL =
        "wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/ecs-execute-command-0a1b2c3d4e5f6a7b8?role=publish_subscribe&cell-number=AAEAAQ"
    /// The session token: a secret that must never be printed or logged.
    public static let token = "AAEAAExecSessionTokenSecret/+=0123456789"

    public let stackName: String
    /// The app whose stack it is: its `berth:app` tag.
    public let app: String
    public let cluster: String
    public let serviceName: String
    public let region: String
    private let tasks: [Task]
    private let lock = NSLock()
    private var received: [(operation: String, body: [String: Any])] = []

    public init(stackName: String, app: String, cluster: String, serviceName: String, region: String = "eu-west-1", tasks: [Task]) {
        self.stackName = stackName
        self.app = app
        self.cluster = cluster
        self.serviceName = serviceName
        self.region = region
        self.tasks = tasks
    }

    /// The calls received, in order, with their JSON bodies (a CloudFormation call's form fields).
    public var calls: [(operation: String, body: [String: Any])] { lock.withLock { received } }

    /// The operations received, in order.
    public var operations: [String] { calls.map(\.operation) }

    public func taskArn(_ id: String) -> String { "arn:aws:ecs:\(region):\(Self.account):task/\(cluster)/\(id)" }

    /// The answer to `request`.
    public func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        guard let target = request.headers["x-amz-target"] else {
            let action = request.form["Action"] ?? ""
            return lock.withLock {
                received.append((action, request.form))
                return action == "DescribeStacks" && request.form["StackName"] == stackName
                    ? describeStacks()
                    : .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(request.form["StackName"] ?? "") does not exist</Message></Error></ErrorResponse>")
            }
        }
        let operation = String(target.split(separator: ".").last ?? "")
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        return lock.withLock {
            received.append((operation, body))
            switch operation {
            case "DescribeServices": return describeServices()
            case "ListTasks": return json(["taskArns": tasks.filter { $0.lastStatus != "STOPPED" }.map { taskArn($0.id) }])
            case "DescribeTasks": return describeTasks(body["tasks"] as? [String] ?? [])
            case "ExecuteCommand": return executeCommand(body)
            default:
                return .respond(status: 400, body: #"{"__type":"InvalidParameterException","message":"not scripted: \#(operation)"}"#)
            }
        }
    }

    private func describeStacks() -> TestHTTPServer.Reply {
        let body = """
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>\
            <StackName>\(stackName)</StackName><StackId>arn:aws:cloudformation:\(region):\(Self.account):stack/\(stackName)/1</StackId>\
            <StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-11-22T10:00:00Z</CreationTime>\
            <Parameters><member><ParameterKey>ClusterName</ParameterKey><ParameterValue>\(cluster)</ParameterValue></member></Parameters>\
            <Outputs><member><OutputKey>ServiceName</OutputKey><OutputValue>\(serviceName)</OutputValue></member></Outputs>\
            \(TestHTTPServer.Reply.stackTags(["berth:app": app]))</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>
            """
        return .respond(status: 200, headers: [("Content-Type", "text/xml")], body: body)
    }

    private func describeServices() -> TestHTTPServer.Reply {
        let definition = "arn:aws:ecs:\(region):\(Self.account):task-definition/\(serviceName)"
        return json([
            "services": [[
                "serviceArn": "arn:aws:ecs:\(region):\(Self.account):service/\(cluster)/\(serviceName)", "serviceName": serviceName,
                "clusterArn": "arn:aws:ecs:\(region):\(Self.account):cluster/\(cluster)", "status": "ACTIVE",
                "enableExecuteCommand": true, "desiredCount": tasks.count, "runningCount": tasks.count, "pendingCount": 0,
                "deployments": [
                    ["id": Self.primaryDeployment, "status": "PRIMARY", "taskDefinition": definition + ":8", "rolloutState": "COMPLETED"],
                    ["id": Self.olderDeployment, "status": "ACTIVE", "taskDefinition": definition + ":7", "rolloutState": "COMPLETED"],
                ],
            ]],
            "failures": [],
        ])
    }

    private func describeTasks(_ requested: [String]) -> TestHTTPServer.Reply {
        var found: [[String: Any]] = []
        var failures: [[String: Any]] = []
        for name in requested {
            guard let task = tasks.first(where: { taskArn($0.id) == name || $0.id == name }) else {
                failures.append(["arn": name, "reason": "MISSING"])
                continue
            }
            found.append([
                "taskArn": taskArn(task.id), "clusterArn": "arn:aws:ecs:\(region):\(Self.account):cluster/\(cluster)",
                "lastStatus": task.lastStatus, "desiredStatus": task.lastStatus == "STOPPED" ? "STOPPED" : "RUNNING",
                "startedBy": task.deployment, "enableExecuteCommand": task.enableExecuteCommand, "startedAt": task.startedAt,
                "launchType": "FARGATE", "group": task.group ?? "service:\(serviceName)",
                "containers": task.containers.map { container -> [String: Any] in
                    var entry: [String: Any] = [
                        "name": container.name, "lastStatus": task.lastStatus,
                        "containerArn": "arn:aws:ecs:\(region):\(Self.account):container/\(cluster)/\(task.id)/\(container.name)",
                        "managedAgents": [["name": "ExecuteCommandAgent", "lastStatus": "RUNNING"]],
                    ]
                    if let runtimeID = container.runtimeID { entry["runtimeId"] = runtimeID }
                    return entry
                },
            ])
        }
        return json(["tasks": found, "failures": failures])
    }

    private func executeCommand(_ body: [String: Any]) -> TestHTTPServer.Reply {
        let requested = body["task"] as? String ?? ""
        guard let task = tasks.first(where: { taskArn($0.id) == requested || $0.id == requested }) else {
            return .respond(status: 400, body: #"{"__type":"InvalidParameterException","message":"The task provided in the request was not found."}"#)
        }
        let container = body["container"] as? String ?? ""
        return json([
            "clusterArn": "arn:aws:ecs:\(region):\(Self.account):cluster/\(cluster)",
            "containerArn": "arn:aws:ecs:\(region):\(Self.account):container/\(cluster)/\(task.id)/\(container)",
            "containerName": container, "interactive": true, "taskArn": taskArn(task.id),
            "session": ["sessionId": Self.sessionID, "streamUrl": Self.streamURL, "tokenValue": Self.token],
        ])
    }

    private func json(_ object: [String: Any]) -> TestHTTPServer.Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
    }
}
