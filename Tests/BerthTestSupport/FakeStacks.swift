import Foundation

/// A scripted CloudFormation and ECR for several stacks at once, on loopback: every stack is
/// created through a change set and stays in progress for one poll, so that how many deploy at
/// the same time, and in which order, can be seen. Stacks named in `failing` roll back.
public final class FakeStacks: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [String: String] = [:]
    private var polls: [String: Int] = [:]
    private let outputs: [String: [String: String]]
    private let failing: Set<String>
    private var inProgress: Set<String> = []
    private var log: [String] = []
    private var peak = 0
    private var changeSets: [String: [String: String]] = [:]
    private var described: [String: Int] = [:]
    /// Each stack's own events that ended an operation (newest first), as DescribeStackEvents
    /// answers them.
    private var endEvents: [String: [String]] = [:]
    /// Each stack's tags: those of the change set that created it, as CloudFormation keeps them.
    private var tags: [String: [String: String]] = [:]

    /// `existing` stacks are there from the start, in `existingStatus`, each tagged `berth:app`
    /// with its app in `owners` (untagged when it has none there).
    public init(
        outputs: [String: [String: String]] = [:], failing: Set<String> = [], existing: [String] = [], owners: [String: String] = [:],
        existingStatus: String = "CREATE_COMPLETE"
    ) {
        self.outputs = outputs
        self.failing = failing
        for stack in existing {
            statuses[stack] = existingStatus
            tags[stack] = owners[stack].map { ["berth:app": $0] }
        }
    }

    /// What happened, in order: `start <stack>` when its change set is executed, `end <stack>`
    /// when it settles.
    public var events: [String] { lock.withLock { log } }
    /// The most stacks that were in progress at once.
    public var mostAtOnce: Int { lock.withLock { peak } }
    /// How many times each stack was described (DescribeStacks), by name.
    public var descriptions: [String: Int] { lock.withLock { described } }
    /// The parameters of each stack's change set.
    public func parameters(of stack: String) -> [String: String]? { lock.withLock { changeSets[stack] } }

    public func handle(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        lock.withLock {
            if let target = request.headers["x-amz-target"] { return ecr(target, request.text) }
            let form = request.form
            // Stacks are asked for by name, or (once deleted) by their ID, arn:stack/<name>.
            let stack = (form["StackName"] ?? "").replacingOccurrences(of: "arn:stack/", with: "")
            switch form["Action"] ?? "" {
            case "DeleteStack":
                statuses[stack] = "DELETE_IN_PROGRESS"
                inProgress.insert(stack)
                peak = max(peak, inProgress.count)
                log.append("start \(stack)")
                return xml("DeleteStack", "")
            case "DescribeStacks":
                described[stack, default: 0] += 1
                guard var status = statuses[stack] else {
                    return .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(stack) does not exist</Message></Error></ErrorResponse>")
                }
                if inProgress.contains(stack) {
                    polls[stack, default: 0] += 1
                    if polls[stack, default: 0] > 1 { status = finish(stack) }
                }
                // A stack answers its outputs once complete, cleaning up after an update included.
                let complete = status == "CREATE_COMPLETE" || status.hasSuffix("_COMPLETE_CLEANUP_IN_PROGRESS")
                let members = (complete ? outputs[stack] ?? [:] : [:]).sorted { $0.key < $1.key }.map {
                    "<member><OutputKey>\($0.key)</OutputKey><OutputValue>\($0.value)</OutputValue></member>"
                }.joined()
                return xml("DescribeStacks", """
                    <Stacks><member><StackName>\(stack)</StackName><StackId>arn:stack/\(stack)</StackId>\
                    <StackStatus>\(status)</StackStatus><Outputs>\(members)</Outputs>\(TestHTTPServer.Reply.stackTags(tags[stack] ?? [:]))</member></Stacks>
                    """)
            case "CreateChangeSet":
                if statuses[stack] == nil { tags[stack] = request.sentStackTags }
                statuses[stack] = statuses[stack] ?? "REVIEW_IN_PROGRESS"
                var parameters: [String: String] = [:]
                var index = 1
                while let key = form["Parameters.member.\(index).ParameterKey"] {
                    parameters[key] = form["Parameters.member.\(index).ParameterValue"] ?? ""
                    index += 1
                }
                changeSets[stack] = parameters
                return xml("CreateChangeSet", "<Id>arn:changeset/\(stack)</Id><StackId>arn:stack/\(stack)</StackId>")
            case "DescribeChangeSet":
                return xml("DescribeChangeSet", """
                    <ChangeSetId>arn:changeset/\(stack)</ChangeSetId><StackId>arn:stack/\(stack)</StackId><Status>CREATE_COMPLETE</Status>\
                    <ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><ResourceChange><Action>Add</Action>\
                    <LogicalResourceId>Thing</LogicalResourceId><ResourceType>AWS::SNS::Topic</ResourceType></ResourceChange></member></Changes>
                    """)
            case "ExecuteChangeSet":
                statuses[stack] = "CREATE_IN_PROGRESS"
                inProgress.insert(stack)
                peak = max(peak, inProgress.count)
                log.append("start \(stack)")
                return xml("ExecuteChangeSet", "")
            case "DescribeStackEvents":
                // The operation ends at its second poll; its own event shows from the same moment.
                if inProgress.contains(stack), polls[stack, default: 0] >= 1 { _ = finish(stack) }
                let members = (endEvents[stack] ?? []).enumerated().map { index, status in
                    "<member><EventId>\(stack)-end-\((endEvents[stack] ?? []).count - index)</EventId><StackName>\(stack)</StackName>"
                        + "<LogicalResourceId>\(stack)</LogicalResourceId><PhysicalResourceId>arn:stack/\(stack)</PhysicalResourceId>"
                        + "<ResourceType>AWS::CloudFormation::Stack</ResourceType><Timestamp>2026-11-22T10:00:00Z</Timestamp>"
                        + "<ResourceStatus>\(status)</ResourceStatus></member>"
                }.joined()
                return xml("DescribeStackEvents", "<StackEvents>\(members)</StackEvents>")
            default:
                return xml(form["Action"] ?? "Unknown", "")
            }
        }
    }

    /// Ends the operation under way on `stack` (the lock held): its status, and its own event.
    private func finish(_ stack: String) -> String {
        let deleting = statuses[stack] == "DELETE_IN_PROGRESS"
        let status = deleting ? "DELETE_COMPLETE" : failing.contains(stack) ? "ROLLBACK_COMPLETE" : "CREATE_COMPLETE"
        statuses[stack] = deleting ? nil : status
        polls[stack] = 0
        inProgress.remove(stack)
        endEvents[stack, default: []].insert(status, at: 0)
        log.append("end \(stack)")
        return status
    }

    private func xml(_ action: String, _ result: String) -> TestHTTPServer.Reply {
        .respond(
            status: 200, headers: [("Content-Type", "text/xml")],
            body: "<\(action)Response><\(action)Result>\(result)</\(action)Result></\(action)Response>")
    }

    /// Every repository exists and holds every tag.
    private func ecr(_ target: String, _ body: String) -> TestHTTPServer.Reply {
        let name = body.range(of: #""repositoryName(s)?":\[?"([^"]+)""#, options: .regularExpression).map { match in
            String(body[match]).split(separator: "\"").last.map(String.init) ?? ""
        } ?? ""
        if target.hasSuffix("DescribeRepositories") {
            return .respond(
                status: 200,
                body: #"{"repositories":[{"repositoryName":"\#(name)","repositoryArn":"arn:aws:ecr:eu-west-1:123456789012:repository/\#(name)","repositoryUri":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/\#(name)","imageTagMutability":"IMMUTABLE"}]}"#)
        }
        let tag = body.range(of: #""imageTag":"([^"]+)""#, options: .regularExpression).map { match in
            String(body[match]).split(separator: "\"").last.map(String.init) ?? ""
        } ?? "none"
        return .respond(
            status: 200,
            body: #"{"imageDetails":[{"repositoryName":"\#(name)","imageDigest":"sha256:\#(String(repeating: "f", count: 64))","imageTags":["\#(tag)"],"imagePushedAt":1795339815}]}"#)
    }
}
