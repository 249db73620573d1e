import Foundation

/// A scripted CloudFormation (and ECS) on loopback, for what moto cannot show: stacks that stay
/// in progress, per-resource events, rollbacks, stopped tasks, throttling.
public final class FakeCloudFormation: @unchecked Sendable {
    public struct Event {
        let logicalID: String
        let type: String
        let status: String
        let reason: String?
        let physicalID: String?

        public init(logicalID: String, type: String, status: String, reason: String?, physicalID: String? = nil) {
            self.logicalID = logicalID
            self.type = type
            self.status = status
            self.reason = reason
            self.physicalID = physicalID
        }
    }

    private let lock = NSLock()
    public let stackName: String
    /// Successive DescribeStacks answers; the last repeats. `nil`: the stack does not exist.
    private var statuses: [String?]
    /// Successive DescribeChangeSet answers (status, reason); the last repeats.
    private var changeSetStatuses: [(String, String?)]
    /// Each DescribeStackEvents call reveals the next batch, oldest first.
    private var eventBatches: [[Event]]
    private var events: [(id: String, event: Event)] = []
    /// DescribeStackEvents answers Throttling this many times first.
    private var throttles: Int
    /// DeleteChangeSet deletes, then answers InternalFailure (HTTP 500) this many times, as
    /// when its answer is lost; once deleted, the change set is ChangeSetNotFound (HTTP 404).
    private var lostDeleteAnswers: Int
    /// DeleteChangeSet answers InvalidChangeSetStatus this many times first, as for a change set
    /// CloudFormation is still working out.
    private var busyDeletes: Int
    private var changeSetDeleted = false
    let stoppedTaskReason: String?
    /// The members DescribeEvents answers with (XML), as CloudFormation writes them; `nil`: the
    /// endpoint does not know the action, as moto does not.
    let operationEvents: String?
    /// The change set's `<Changes>` members (XML); one Modify of the ECS service when `nil`.
    let changes: String?
    /// The stack's tags, as DescribeStacks answers them (`berth:app` says whose it is).
    let tags: [String: String]
    /// Successive JSON answers of ECS operations by name (`DescribeServices`, …); the last repeats.
    private var ecsAnswers: [String: [String]]
    private(set) var actions: [String] = []
    /// The JSON bodies of the ECS calls, in order, by operation.
    private var ecsBodies: [String: [String]] = [:]

    public init(
        stackName: String, statuses: [String?], changeSetStatuses: [(String, String?)] = [("CREATE_COMPLETE", nil)],
        eventBatches: [[Event]] = [], throttles: Int = 0, stoppedTaskReason: String? = nil, operationEvents: String? = nil,
        ecsAnswers: [String: [String]] = [:], changes: String? = nil, tags: [String: String] = [:], lostDeleteAnswers: Int = 0,
        busyDeletes: Int = 0
    ) {
        self.tags = tags
        self.lostDeleteAnswers = lostDeleteAnswers
        self.busyDeletes = busyDeletes
        self.stackName = stackName
        self.statuses = statuses
        self.changeSetStatuses = changeSetStatuses
        self.eventBatches = eventBatches
        self.throttles = throttles
        self.stoppedTaskReason = stoppedTaskReason
        self.operationEvents = operationEvents
        self.ecsAnswers = ecsAnswers
        self.changes = changes
    }

    public var calls: [String] { lock.withLock { actions } }

    /// The JSON bodies of the calls of ECS `operation` (`ListTasks`, …), in order.
    public func ecsRequests(_ operation: String) -> [String] { lock.withLock { ecsBodies[operation] ?? [] } }

    /// The stack's ID, as DescribeStacks, CreateChangeSet and DescribeChangeSet answer it.
    public var stackID: String { "arn:aws:cloudformation:eu-west-1:123456789012:stack/\(stackName)/1" }

    public func handle(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        lock.withLock {
            if let target = request.headers["x-amz-target"] {
                ecsBodies[String(target.split(separator: ".").last ?? ""), default: []].append(request.text)
                return ecs(target)
            }
            let action = request.form["Action"] ?? ""
            actions.append(action)
            switch action {
            case "DescribeStacks":
                let status = statuses.count > 1 ? statuses.removeFirst() : statuses.first ?? nil
                guard let status else {
                    return .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(stackName) does not exist</Message></Error></ErrorResponse>")
                }
                return xml(action, """
                    <Stacks><member><StackName>\(stackName)</StackName><StackId>\(stackID)</StackId>\
                    <StackStatus>\(status)</StackStatus><Outputs><member><OutputKey>Url</OutputKey><OutputValue>http://x</OutputValue></member></Outputs>\
                    \(TestHTTPServer.Reply.stackTags(tags))</member></Stacks>
                    """)
            case "CreateChangeSet":
                return xml(action, "<Id>arn:changeset/berth</Id><StackId>\(stackID)</StackId>")
            case "DescribeChangeSet":
                let (status, reason) = changeSetStatuses.count > 1 ? changeSetStatuses.removeFirst() : changeSetStatuses[0]
                return xml(action, """
                    <ChangeSetId>arn:changeset/berth</ChangeSetId><StackId>\(stackID)</StackId><Status>\(status)</Status>\
                    \(reason.map { "<StatusReason>\($0)</StatusReason>" } ?? "")<ExecutionStatus>AVAILABLE</ExecutionStatus>\
                    <Changes>\(Self.propertyValues(in: changes ?? Self.serviceChange, included: request.form["IncludePropertyValues"] == "true"))</Changes>
                    """)
            case "DescribeStackEvents":
                if throttles > 0 {
                    throttles -= 1
                    return .respond(status: 400, body: "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
                }
                if !eventBatches.isEmpty {
                    for event in eventBatches.removeFirst() { events.append(("e\(events.count + 1)", event)) }
                }
                let members = events.reversed().map { entry in
                    """
                    <member><EventId>\(entry.id)</EventId><StackName>\(stackName)</StackName><LogicalResourceId>\(entry.event.logicalID)</LogicalResourceId>\
                    \(entry.event.physicalID.map { "<PhysicalResourceId>\($0)</PhysicalResourceId>" } ?? "")\
                    <ResourceType>\(entry.event.type)</ResourceType><Timestamp>2026-11-22T10:00:00Z</Timestamp><ResourceStatus>\(entry.event.status)</ResourceStatus>\
                    \(entry.event.reason.map { "<ResourceStatusReason>\($0)</ResourceStatusReason>" } ?? "")</member>
                    """
                }.joined()
                return xml(action, "<StackEvents>\(members)</StackEvents>")
            case "DescribeEvents":
                guard let operationEvents, request.form["Filters.FailedEvents"] == "true", request.form["ChangeSetName"] != nil else {
                    return .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Code>InvalidAction</Code><Message>Could not find operation DescribeEvents</Message></Error></ErrorResponse>")
                }
                return xml(action, "<OperationEvents>\(operationEvents)</OperationEvents>")
            case "DeleteChangeSet":
                if busyDeletes > 0 {
                    busyDeletes -= 1
                    return .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidChangeSetStatus</Code><Message>Cannot delete ChangeSet in status CREATE_IN_PROGRESS</Message></Error></ErrorResponse>")
                }
                if changeSetDeleted && lostDeleteAnswers == 0 {
                    return .respond(
                        status: 404,
                        body: "<ErrorResponse><Error><Type>Sender</Type><Code>ChangeSetNotFound</Code><Message>ChangeSet [berth] does not exist</Message></Error></ErrorResponse>")
                }
                changeSetDeleted = true
                if lostDeleteAnswers > 0 {
                    lostDeleteAnswers -= 1
                    return .respond(status: 500, body: "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>lost</Message></Error></ErrorResponse>")
                }
                return xml(action, "")
            case "ListStackResources":
                return xml(action, """
                    <StackResourceSummaries><member><LogicalResourceId>Cluster</LogicalResourceId><PhysicalResourceId>cluster-1</PhysicalResourceId>\
                    <ResourceType>AWS::ECS::Cluster</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>
                    """)
            default:
                return xml(action, "")
            }
        }
    }

    private static let serviceChange = """
        <member><ResourceChange><Action>Modify</Action><LogicalResourceId>Service</LogicalResourceId>\
        <ResourceType>AWS::ECS::Service</ResourceType><Replacement>False</Replacement></ResourceChange></member>
        """

    /// `changes` as DescribeChangeSet answers them: the property values (`BeforeValue`,
    /// `AfterValue`, `Drift`) only when the request sets `IncludePropertyValues`, as the API
    /// reference documents.
    static func propertyValues(in changes: String, included: Bool) -> String {
        guard !included else { return changes }
        var text = changes
        for element in ["BeforeValue", "AfterValue", "Drift"] {
            while let start = text.range(of: "<\(element)>"), let end = text.range(of: "</\(element)>", range: start.upperBound..<text.endIndex) {
                text.removeSubrange(start.lowerBound..<end.upperBound)
            }
        }
        return text
    }

    private func xml(_ action: String, _ result: String) -> TestHTTPServer.Reply {
        .respond(
            status: 200, headers: [("Content-Type", "text/xml")],
            body: "<\(action)Response><\(action)Result>\(result)</\(action)Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></\(action)Response>")
    }

    private func ecs(_ target: String) -> TestHTTPServer.Reply {
        let operation = String(target.split(separator: ".").last ?? "")
        actions.append(operation)
        if var answers = ecsAnswers[operation], let first = answers.first {
            if answers.count > 1 { answers.removeFirst() }
            ecsAnswers[operation] = answers
            return .respond(status: 200, body: first)
        }
        if target.hasSuffix("ListTasks") {
            return .respond(status: 200, body: #"{"taskArns":["arn:aws:ecs:eu-west-1:123456789012:task/cluster-1/0123abcd"]}"#)
        }
        if target.hasSuffix("DescribeTasks") {
            let reason = stoppedTaskReason ?? ""
            return .respond(
                status: 200,
                body: #"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/cluster-1/0123abcd","lastStatus":"STOPPED","stoppedReason":"Task failed to start","containers":[{"name":"api","reason":"\#(reason)"}]}]}"#)
        }
        // A phase-1 deploy reads the repository's lifecycle policy and images first: an empty
        // repository without a policy, as ECR answers for one.
        if target.hasSuffix("GetLifecyclePolicy") {
            return .respond(status: 400, body: #"{"__type":"LifecyclePolicyNotFoundException","message":"Lifecycle policy does not exist"}"#)
        }
        if target.hasSuffix("DescribeImages") { return .respond(status: 200, body: #"{"imageDetails":[]}"#) }
        return .respond(status: 400, body: #"{"__type":"InvalidParameterException","message":"unexpected"}"#)
    }
}
