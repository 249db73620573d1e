import Foundation

/// ECS's service deployment records, which moto does not keep, answered from a script:
/// ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions. Every other
/// call is relayed to moto (the task definitions a revision names are moto's own). The answers
/// follow the ECS API reference (botocore's ecs service-2.json, API version 2014-11-13):
/// ListServiceDeployments returns `serviceDeployments` (ServiceDeploymentBrief: ARN, status,
/// `targetServiceRevisionArn`, times) newest first and a `nextToken`; DescribeServiceDeployments
/// returns `serviceDeployments` (ServiceDeployment: status, `targetServiceRevision`,
/// `sourceServiceRevisions`, `rollback`, `deploymentCircuitBreaker`, `alarms`, `createdAt`,
/// `startedAt`, `finishedAt`) and `failures`; DescribeServiceRevisions returns
/// `serviceRevisions` (ServiceRevision: ARN, `taskDefinition`, …) and `failures`. Times are
/// seconds since 1970.
///
/// moto 5.2 loses the containers of a task definition that a CloudFormation update registers
/// (its `update_from_cloudformation_json` passes the template's PascalCase keys on, and the new
/// revision has no name, image or environment), so a deployment can also carry the container
/// ECS would have registered: DescribeTaskDefinition of its task definition is then answered
/// from it (`taskDefinition` with `containerDefinitions`, as the API reference shows it).
public final class ScriptedServiceDeployments: @unchecked Sendable {
    /// One deployment the script answers for.
    public struct Deployment: Sendable {
        public var cluster: String
        public var service: String
        public var taskDefinitionArn: String
        /// `SUCCESSFUL`, `ROLLBACK_SUCCESSFUL`, `STOPPED`, `IN_PROGRESS`, …
        public var status: String
        /// The circuit breaker's status: `TRIGGERED` when it rolled the deployment back.
        public var circuitBreaker: String
        public var triggeredAlarms: [String]
        public var startedAt: Double
        /// The digest ECS resolved the image to (the revision's `containerImages`).
        public var imageDigest: String?
        /// The container of the task definition, when moto lost it: name, image and environment.
        public var container: (name: String, image: String, environment: [String: String])?

        public init(
            cluster: String, service: String, taskDefinitionArn: String, status: String = "SUCCESSFUL",
            circuitBreaker: String = "MONITORING_COMPLETE", triggeredAlarms: [String] = [], startedAt: Double,
            imageDigest: String? = nil, container: (name: String, image: String, environment: [String: String])? = nil
        ) {
            self.imageDigest = imageDigest
            self.container = container
            self.cluster = cluster
            self.service = service
            self.taskDefinitionArn = taskDefinitionArn
            self.status = status
            self.circuitBreaker = circuitBreaker
            self.triggeredAlarms = triggeredAlarms
            self.startedAt = startedAt
        }
    }

    private let lock = NSLock()
    private var deployments: [Deployment] = []
    private var received: [String] = []
    private let region: String
    private let account = "123456789012"

    public init(region: String) { self.region = region }

    /// Records a deployment, as ECS does when a service's task definition changes.
    public func record(_ deployment: Deployment) { lock.withLock { deployments.append(deployment) } }

    /// The operations received, in order.
    public var operations: [String] { lock.withLock { received } }

    /// The answer to `request`, or `nil` for a call this script does not play (relay it).
    public func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply? {
        let prefix = "AmazonEC2ContainerServiceV20141113."
        guard let target = request.headers["x-amz-target"], target.hasPrefix(prefix) else { return nil }
        let operation = String(target.dropFirst(prefix.count))
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        if operation == "DescribeTaskDefinition" { return lock.withLock { taskDefinition(body) } }
        guard ["ListServiceDeployments", "DescribeServiceDeployments", "DescribeServiceRevisions"].contains(operation) else { return nil }
        return lock.withLock {
            received.append(operation)
            switch operation {
            case "ListServiceDeployments": return list(body)
            case "DescribeServiceDeployments": return describe(body)
            default: return revisions(body)
            }
        }
    }

    private func id(_ index: Int) -> String { String(format: "%020d", index + 1) }

    private func deploymentArn(_ index: Int) -> String {
        let entry = deployments[index]
        return "arn:aws:ecs:\(region):\(account):service-deployment/\(entry.cluster)/\(entry.service)/\(id(index))"
    }

    private func revisionArn(_ index: Int) -> String {
        let entry = deployments[index]
        return "arn:aws:ecs:\(region):\(account):service-revision/\(entry.cluster)/\(entry.service)/\(id(index))"
    }

    private func serviceArn(_ index: Int) -> String {
        "arn:aws:ecs:\(region):\(account):service/\(deployments[index].cluster)/\(deployments[index].service)"
    }

    private func list(_ body: [String: Any]) -> TestHTTPServer.Reply {
        let service = body["service"] as? String ?? ""
        let cluster = body["cluster"] as? String ?? "default"
        let matching = deployments.indices.filter { index in
            let entry = deployments[index]
            return (service == entry.service || service.hasSuffix("/\(entry.service)"))
                && (cluster == entry.cluster || cluster.hasSuffix("/\(entry.cluster)"))
        }
        let briefs: [[String: Any]] = matching.reversed().map { index in
            [
                "serviceDeploymentArn": deploymentArn(index), "serviceArn": serviceArn(index), "status": deployments[index].status,
                "targetServiceRevisionArn": revisionArn(index), "createdAt": deployments[index].startedAt,
                "startedAt": deployments[index].startedAt,
            ]
        }
        return json(["serviceDeployments": briefs])
    }

    private func describe(_ body: [String: Any]) -> TestHTTPServer.Reply {
        let arns = body["serviceDeploymentArns"] as? [String] ?? []
        var found: [[String: Any]] = []
        var failures: [[String: Any]] = []
        for arn in arns {
            guard let index = deployments.indices.first(where: { deploymentArn($0) == arn }) else {
                failures.append(["arn": arn, "reason": "MISSING"])
                continue
            }
            let entry = deployments[index]
            var deployment: [String: Any] = [
                "serviceDeploymentArn": arn, "serviceArn": serviceArn(index),
                "clusterArn": "arn:aws:ecs:\(region):\(account):cluster/\(entry.cluster)", "status": entry.status,
                "createdAt": entry.startedAt, "startedAt": entry.startedAt, "updatedAt": entry.startedAt + 120,
                "targetServiceRevision": ["arn": revisionArn(index), "requestedTaskCount": 1, "runningTaskCount": 1, "pendingTaskCount": 0],
                "deploymentCircuitBreaker": ["status": entry.circuitBreaker, "failureCount": entry.circuitBreaker == "TRIGGERED" ? 3 : 0, "threshold": 3],
                "alarms": entry.triggeredAlarms.isEmpty
                    ? ["status": "DISABLED"] as [String: Any]
                    : ["status": "TRIGGERED", "alarmNames": entry.triggeredAlarms, "triggeredAlarmNames": entry.triggeredAlarms],
            ]
            if let previous = deployments[..<index].indices.last(where: { deployments[$0].service == entry.service }) {
                deployment["sourceServiceRevisions"] = [["arn": revisionArn(previous), "requestedTaskCount": 1, "runningTaskCount": 0, "pendingTaskCount": 0]]
            }
            if entry.status.hasPrefix("ROLLBACK") {
                deployment["rollback"] = [
                    "reason": entry.circuitBreaker == "TRIGGERED" ? "Circuit Breaker triggered" : "Alarm triggered",
                    "startedAt": entry.startedAt + 60,
                ]
            }
            if !["IN_PROGRESS", "PENDING", "ROLLBACK_IN_PROGRESS"].contains(entry.status) {
                deployment["finishedAt"] = entry.startedAt + 120
            }
            found.append(deployment)
        }
        return json(["serviceDeployments": found, "failures": failures])
    }

    private func revisions(_ body: [String: Any]) -> TestHTTPServer.Reply {
        let arns = body["serviceRevisionArns"] as? [String] ?? []
        var found: [[String: Any]] = []
        var failures: [[String: Any]] = []
        for arn in arns {
            guard let index = deployments.indices.first(where: { revisionArn($0) == arn }) else {
                failures.append(["arn": arn, "reason": "MISSING"])
                continue
            }
            let entry = deployments[index]
            found.append([
                "serviceRevisionArn": arn, "serviceArn": serviceArn(index),
                "clusterArn": "arn:aws:ecs:\(region):\(account):cluster/\(entry.cluster)",
                "taskDefinition": entry.taskDefinitionArn, "launchType": "FARGATE", "platformVersion": "1.4.0",
                "createdAt": entry.startedAt,
                "containerImages": entry.imageDigest.map { digest in
                    [["containerName": entry.container?.name ?? entry.service, "imageDigest": digest, "image": entry.container?.image ?? ""]]
                } ?? [],
            ])
        }
        return json(["serviceRevisions": found, "failures": failures])
    }

    /// The task definition moto lost, or `nil` to ask moto.
    private func taskDefinition(_ body: [String: Any]) -> TestHTTPServer.Reply? {
        guard let name = body["taskDefinition"] as? String,
            let entry = deployments.last(where: { $0.container != nil && ($0.taskDefinitionArn == name || $0.taskDefinitionArn.hasSuffix("/\(name)")) }),
            let container = entry.container
        else { return nil }
        received.append("DescribeTaskDefinition")
        let familyRevision = entry.taskDefinitionArn.split(separator: "/").last.map(String.init) ?? entry.taskDefinitionArn
        let parts = familyRevision.split(separator: ":")
        let environment = container.environment.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        return json([
            "taskDefinition": [
                "taskDefinitionArn": entry.taskDefinitionArn, "family": String(parts.first ?? ""),
                "revision": Int(parts.last ?? "") ?? 0, "status": "ACTIVE", "requiresCompatibilities": ["FARGATE"],
                "containerDefinitions": [["name": container.name, "image": container.image, "essential": true, "environment": environment]],
            ] as [String: Any]
        ])
    }

    private func json(_ object: [String: Any]) -> TestHTTPServer.Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
    }
}
