import Foundation

/// CloudFormation's answers for one stack created by a change set with
/// `ImportExistingResources=true`, which moto 5.2.1 does not model (it creates the repository
/// again and fails). Every other call, ECR's included, is relayed to moto, so the images are
/// still counted there.
///
/// Written from the CloudFormation API reference: CreateChangeSet returns `Id` and `StackId`;
/// with `ImportExistingResources` the change set's `Changes` show the existing, custom-named
/// resource with `Action` `Import`; DescribeChangeSet reaches `CREATE_COMPLETE` with
/// `ExecutionStatus` `AVAILABLE`; ExecuteChangeSet returns an empty result; the stack is then
/// `CREATE_COMPLETE` (its resource `IMPORT_COMPLETE` in DescribeStackEvents) with its outputs;
/// DescribeStacks of a stack that does not exist is a `ValidationError` "does not exist". Then an
/// UPDATE change set (Berth's own template) shows the repository with `Action` `Modify`, and the
/// stack becomes `UPDATE_COMPLETE`; GetTemplate returns the body last executed.
public final class ScriptedImport: @unchecked Sendable {
    private let lock = NSLock()
    private let stackName: String
    private let logicalID: String
    private let physicalID: String
    private let outputs: [String: String]
    private var requests: [[String: String]] = []
    private var executions = 0
    private var received: [String] = []
    /// The tags of the change set that created the stack, which CloudFormation gives the stack.
    private var tags: [String: String] = [:]
    /// Whether ExecuteChangeSet of the update after the import is refused (AccessDenied), as for
    /// a role that may import but not update.
    public var refusesUpdate = false

    public init(stackName: String, logicalID: String, physicalID: String, outputs: [String: String]) {
        self.stackName = stackName
        self.logicalID = logicalID
        self.physicalID = physicalID
        self.outputs = outputs
    }

    /// The CloudFormation actions answered, in order.
    public var actions: [String] { lock.withLock { received } }

    /// The fields of each CreateChangeSet, in order: the import, then the update.
    public var changeSetRequests: [[String: String]] { lock.withLock { requests } }

    /// The answer to `request`, or `nil` for a call this script does not play (relay it).
    public func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply? {
        // CloudFormation takes a stack's name or its ID wherever a StackName is asked for.
        guard request.headers["x-amz-target"] == nil, let action = request.form["Action"],
            request.form["StackName"] == stackName || request.form["StackName"] == stackID
        else {
            return nil
        }
        return lock.withLock {
            received.append(action)
            switch action {
            case "DescribeStacks":
                guard executions > 0 else {
                    return .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(stackName) does not exist</Message></Error></ErrorResponse>")
                }
                let members = outputs.sorted { $0.key < $1.key }.map {
                    "<member><OutputKey>\($0.key)</OutputKey><OutputValue>\($0.value)</OutputValue></member>"
                }.joined()
                return xml(action, """
                    <Stacks><member><StackName>\(stackName)</StackName><StackId>\(stackID)</StackId>\
                    <StackStatus>\(executions > 1 ? "UPDATE_COMPLETE" : "CREATE_COMPLETE")</StackStatus><CreationTime>2026-12-06T00:00:00Z</CreationTime><Outputs>\(members)</Outputs>\
                    \(TestHTTPServer.Reply.stackTags(tags))</member></Stacks>
                    """)
            case "CreateChangeSet":
                let importing = request.form["ImportExistingResources"] == "true" && request.form["ChangeSetType"] == "CREATE"
                guard importing || (executions > 0 && request.form["ChangeSetType"] == "UPDATE") else {
                    return .respond(
                        status: 400,
                        body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>\(physicalID) already exists</Message></Error></ErrorResponse>")
                }
                requests.append(request.form)
                if importing { tags = request.sentStackTags }
                return xml(action, "<Id>arn:aws:cloudformation:us-west-2:123456789012:changeSet/adopt/1</Id><StackId>\(stackID)</StackId>")
            case "DescribeChangeSet":
                return xml(action, """
                    <ChangeSetId>arn:aws:cloudformation:us-west-2:123456789012:changeSet/adopt/1</ChangeSetId><StackId>\(stackID)</StackId>\
                    <Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><Type>Resource</Type>\
                    <ResourceChange><Action>\(requests.count > 1 ? "Modify" : "Import")</Action><LogicalResourceId>\(logicalID)</LogicalResourceId>\
                    <PhysicalResourceId>\(physicalID)</PhysicalResourceId><ResourceType>AWS::ECR::Repository</ResourceType></ResourceChange>\
                    </member></Changes>
                    """)
            case "ExecuteChangeSet":
                if refusesUpdate && executions > 0 {
                    return .respond(
                        status: 403,
                        body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudformation:ExecuteChangeSet</Message></Error></ErrorResponse>")
                }
                executions += 1
                return xml(action, "")
            case "GetTemplate":
                return xml(action, "<TemplateBody>\(TestHTTPServer.Reply.xmlEscaped(requests.last?["TemplateBody"] ?? ""))</TemplateBody>")
            case "DescribeStackEvents":
                var events: [(String, String, String, String, String)] = []
                if executions > 1 {
                    events += [("e4", stackName, stackName, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE"),
                        ("e3", logicalID, physicalID, "AWS::ECR::Repository", "UPDATE_COMPLETE")]
                }
                if executions > 0 {
                    events += [("e2", stackName, stackName, "AWS::CloudFormation::Stack", "CREATE_COMPLETE"),
                        ("e1", logicalID, physicalID, "AWS::ECR::Repository", "IMPORT_COMPLETE")]
                }
                let members = events.map { event in
                    """
                    <member><EventId>\(event.0)</EventId><StackName>\(stackName)</StackName><LogicalResourceId>\(event.1)</LogicalResourceId>\
                    <PhysicalResourceId>\(event.2)</PhysicalResourceId><ResourceType>\(event.3)</ResourceType>\
                    <Timestamp>2026-12-06T00:00:01Z</Timestamp><ResourceStatus>\(event.4)</ResourceStatus></member>
                    """
                }.joined()
                return xml(action, "<StackEvents>\(members)</StackEvents>")
            case "ListStackResources":
                return xml(action, """
                    <StackResourceSummaries><member><LogicalResourceId>\(logicalID)</LogicalResourceId><PhysicalResourceId>\(physicalID)</PhysicalResourceId>\
                    <ResourceType>AWS::ECR::Repository</ResourceType><ResourceStatus>\(executions > 1 ? "UPDATE_COMPLETE" : "IMPORT_COMPLETE")</ResourceStatus></member></StackResourceSummaries>
                    """)
            default:
                return xml(action, "")
            }
        }
    }

    private var stackID: String { "arn:aws:cloudformation:us-west-2:123456789012:stack/\(stackName)/1" }

    private func xml(_ action: String, _ result: String) -> TestHTTPServer.Reply { .queryResult(action, result) }
}
