import Foundation

/// The CloudFormation calls Berth makes (query protocol, XML answers).
public struct CloudFormationClient: Sendable {
    static let version = "2010-05-15"
    let client: ServiceClient

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .cloudformation, configuration: configuration)
    }

    private func call(_ action: String, _ parameters: [HTTPRequest.QueryItem]) async throws -> XMLNode {
        try await client.query(action: action, version: Self.version, parameters: parameters)
    }

    /// A token that makes a retried mutating call apply once.
    static func newClientToken() -> String { "berth-" + UUID().uuidString.lowercased() }

    /// The stack, or `nil` when it does not exist (CloudFormation's ValidationError). An answer
    /// that lists no stack, or another one, is not an answer about it: a destroy must not take
    /// it for a stack that is gone.
    public func describeStack(_ name: String) async throws -> StackDescription? {
        do {
            let result = try await call("DescribeStacks", [.init("StackName", name)])
            guard let found = result.members("Stacks").first.map(Self.stack), found.name == name || found.stackID == name else {
                throw UnexpectedResponseError(
                    service: "cloudformation", operation: "DescribeStacks", status: 200, body: Array("no stack \(name) in the answer".utf8))
            }
            return found
        } catch let error as AWSServiceError where error.isMissingStack {
            return nil
        }
    }

    /// Every stack of the region, a page at a time.
    public func describeStacks() -> Paginated<StackDescription> {
        Paginated("DescribeStacks") { token in
            let result = try await call("DescribeStacks", token.map { [.init("NextToken", $0)] } ?? [])
            return (result.members("Stacks").map(Self.stack), result.string("NextToken"))
        }
    }

    static func stack(_ node: XMLNode) -> StackDescription {
        func pairs(_ list: String, _ key: String, _ value: String) -> [String: String] {
            var map: [String: String] = [:]
            for member in node.members(list) {
                if let name = member.string(key) { map[name] = member.string(value) ?? "" }
            }
            return map
        }
        var description = StackDescription(
            stackID: node.string("StackId") ?? "", name: node.string("StackName") ?? "", status: StackStatus(node.string("StackStatus") ?? ""),
            statusReason: node.string("StackStatusReason").map(ServerText.line),
            parameters: pairs("Parameters", "ParameterKey", "ParameterValue"),
            outputs: pairs("Outputs", "OutputKey", "OutputValue"), tags: pairs("Tags", "Key", "Value"),
            creationTime: node.string("CreationTime").flatMap(ISO8601.date),
            lastUpdatedTime: node.string("LastUpdatedTime").flatMap(ISO8601.date),
            terminationProtection: node.string("EnableTerminationProtection") == "true")
        description.roleARN = node.string("RoleARN").flatMap { $0.isEmpty ? nil : $0 }
        description.parentID = node.string("ParentId").flatMap { $0.isEmpty ? nil : $0 }
        if let drift = node.child("DriftInformation"), let status = drift.string("StackDriftStatus") {
            description.drift = StackDriftInformation(status: status, lastCheck: drift.string("LastCheckTimestamp").flatMap(ISO8601.date))
        }
        return description
    }

    /// Creates a change set; returns its ID and the stack's ID.
    public func createChangeSet(_ request: ChangeSetRequest) async throws -> (changeSetID: String, stackID: String) {
        var parameters: [HTTPRequest.QueryItem] = [
            .init("StackName", request.stackName), .init("ChangeSetName", request.changeSetName),
            .init("ChangeSetType", request.kind.rawValue), .init("TemplateBody", request.templateBody),
            .init("ClientToken", Self.newClientToken()),
        ]
        for (index, parameter) in request.parameters.enumerated() {
            parameters.append(.init("Parameters.member.\(index + 1).ParameterKey", parameter.key))
            parameters.append(.init("Parameters.member.\(index + 1).ParameterValue", parameter.value))
        }
        for (offset, name) in request.keepPreviousParameters.enumerated() {
            let index = request.parameters.count + offset + 1
            parameters.append(.init("Parameters.member.\(index).ParameterKey", name))
            parameters.append(.init("Parameters.member.\(index).UsePreviousValue", "true"))
        }
        for (index, capability) in request.capabilities.enumerated() {
            parameters.append(.init("Capabilities.member.\(index + 1)", capability))
        }
        for (index, tag) in request.tags.enumerated() {
            parameters.append(.init("Tags.member.\(index + 1).Key", tag.key))
            parameters.append(.init("Tags.member.\(index + 1).Value", tag.value))
        }
        if let description = request.description { parameters.append(.init("Description", description)) }
        if request.importExistingResources { parameters.append(.init("ImportExistingResources", "true")) }
        // A first create that fails deletes itself instead of staying ROLLBACK_COMPLETE.
        if request.kind == .create && request.deleteOnFailedCreate { parameters.append(.init("OnStackFailure", "DELETE")) }
        if let mode = request.deploymentMode { parameters.append(.init("DeploymentMode", mode)) }
        if let role = request.roleARN { parameters.append(.init("RoleARN", role)) }
        let result = try await call("CreateChangeSet", parameters)
        return (result.string("Id") ?? "", result.string("StackId") ?? "")
    }

    /// The change set with all its changes (every page), paged as `Paginated` pages (`PageTokens`).
    /// With `includePropertyValues`, each change's details carry the values before and after, and
    /// the drift a drift-aware change set reverts (`IncludePropertyValues`; absent otherwise).
    public func describeChangeSet(stackName: String, changeSetName: String, includePropertyValues: Bool = false) async throws -> ChangeSetDescription {
        var changes: [ResourceChange] = []
        var token: String?
        var tokens = PageTokens()
        var last: XMLNode
        repeat {
            var parameters: [HTTPRequest.QueryItem] = [.init("StackName", stackName), .init("ChangeSetName", changeSetName)]
            if includePropertyValues { parameters.append(.init("IncludePropertyValues", "true")) }
            if let token { parameters.append(.init("NextToken", token)) }
            last = try await call("DescribeChangeSet", parameters)
            changes += last.members("Changes").compactMap { $0.child("ResourceChange").map(Self.change) }
            token = last.string("NextToken").flatMap { $0.isEmpty ? nil : $0 }
            try tokens.follow(token, of: "DescribeChangeSet")
        } while token != nil
        return ChangeSetDescription(
            changeSetID: last.string("ChangeSetId") ?? "", stackID: last.string("StackId") ?? "", status: last.string("Status") ?? "",
            statusReason: last.string("StatusReason").map(ServerText.line), executionStatus: last.string("ExecutionStatus"), changes: changes)
    }

    static func change(_ node: XMLNode) -> ResourceChange {
        var change = ResourceChange(
            action: node.string("Action") ?? "", logicalID: node.string("LogicalResourceId") ?? "",
            physicalID: node.string("PhysicalResourceId"), resourceType: node.string("ResourceType") ?? "",
            replacement: node.string("Replacement"), scope: node.members("Scope").map(\.text),
            details: node.members("Details").map { detail in
                let target = detail.child("Target")
                return (target?.string("Name") ?? target?.string("Attribute") ?? "", target?.string("RequiresRecreation") ?? "")
            })
        // Drift-aware change sets (DeploymentMode REVERT_DRIFT): what drifted, and what it becomes.
        change.driftStatus = node.string("ResourceDriftStatus")
        change.revertedProperties = node.members("Details").compactMap { detail in
            guard let target = detail.child("Target"), let drift = target.child("Drift") else { return nil }
            return (
                target.string("Path") ?? target.string("Name") ?? target.string("Attribute") ?? "", drift.string("ActualValue") ?? target.string("BeforeValue"),
                target.string("AfterValue")
            )
        }
        return change
    }

    public func executeChangeSet(stackName: String, changeSetName: String) async throws {
        _ = try await call(
            "ExecuteChangeSet",
            [.init("StackName", stackName), .init("ChangeSetName", changeSetName), .init("ClientRequestToken", Self.newClientToken())])
    }

    /// Deletes the change set; one already gone (ChangeSetNotFound, which a retry after a lost
    /// answer meets) counts as deleted.
    public func deleteChangeSet(stackName: String, changeSetName: String) async throws {
        do {
            _ = try await call("DeleteChangeSet", [.init("StackName", stackName), .init("ChangeSetName", changeSetName)])
        } catch let error as AWSServiceError where error.code == "ChangeSetNotFound" {
            return
        }
    }

    /// The names of the stack's change sets, a page at a time. Summaries of other stacks' change
    /// sets, which some endpoints answer with (moto lists the region's), are left out; one that
    /// names no stack is kept.
    public func listChangeSets(stackName: String) -> Paginated<String> {
        Paginated("ListChangeSets") { token in
            var parameters: [HTTPRequest.QueryItem] = [.init("StackName", stackName)]
            if let token { parameters.append(.init("NextToken", token)) }
            let result = try await call("ListChangeSets", parameters)
            // A summary that names no stack is counted as this one's: it may hold another change set.
            let names = result.members("Summaries").filter { $0.string("StackName").map { $0 == stackName } ?? true }
                .compactMap { $0.string("ChangeSetName") }
            return (names, result.string("NextToken"))
        }
    }

    /// The stack's events, newest first as CloudFormation returns them, a page at a time.
    public func describeStackEvents(stackName: String) -> Paginated<StackEvent> {
        Paginated("DescribeStackEvents") { token in
            var parameters: [HTTPRequest.QueryItem] = [.init("StackName", stackName)]
            if let token { parameters.append(.init("NextToken", token)) }
            let result = try await call("DescribeStackEvents", parameters)
            let events = result.members("StackEvents").map { node in
                StackEvent(
                    eventID: node.string("EventId") ?? "", stackName: node.string("StackName") ?? "",
                    logicalID: node.string("LogicalResourceId") ?? "", physicalID: node.string("PhysicalResourceId"),
                    resourceType: node.string("ResourceType") ?? "", timestamp: node.string("Timestamp").flatMap(ISO8601.date),
                    status: node.string("ResourceStatus") ?? "", statusReason: node.string("ResourceStatusReason").map(ServerText.line))
            }
            return (events, result.string("NextToken"))
        }
    }

    /// The failed events of a change set's operation (early validation, hooks), a page at a time.
    public func describeFailedEvents(stackName: String, changeSetName: String) -> Paginated<OperationEvent> {
        Paginated("DescribeEvents") { token in
            var parameters: [HTTPRequest.QueryItem] = [
                .init("StackName", stackName), .init("ChangeSetName", changeSetName), .init("Filters.FailedEvents", "true"),
            ]
            if let token { parameters.append(.init("NextToken", token)) }
            let result = try await call("DescribeEvents", parameters)
            let events = result.members("OperationEvents").map { node in
                OperationEvent(
                    eventType: node.string("EventType") ?? "", logicalID: node.string("LogicalResourceId"),
                    resourceType: node.string("ResourceType"), statusReason: node.string("ResourceStatusReason").map(ServerText.line),
                    validationName: node.string("ValidationName"), validationPath: node.string("ValidationPath"),
                    validationStatusReason: node.string("ValidationStatusReason").map(ServerText.line), hookType: node.string("HookType"),
                    hookStatusReason: node.string("HookStatusReason").map(ServerText.line))
            }
            return (events, result.string("NextToken"))
        }
    }

    /// The deployed template's body as it was submitted (JSON or YAML).
    public func getTemplate(stackName: String) async throws -> String {
        let result = try await call("GetTemplate", [.init("StackName", stackName), .init("TemplateStage", "Original")])
        return result.string("TemplateBody") ?? ""
    }

    /// Deletes the stack; CloudFormation acts with `roleARN` when given (`RoleARN`).
    public func deleteStack(stackName: String, roleARN: String? = nil) async throws {
        var parameters: [HTTPRequest.QueryItem] = [.init("StackName", stackName), .init("ClientRequestToken", Self.newClientToken())]
        if let roleARN { parameters.append(.init("RoleARN", roleARN)) }
        _ = try await call("DeleteStack", parameters)
    }

    /// The stack's resources, a page at a time.
    public func listStackResources(stackName: String) -> Paginated<StackResourceSummary> {
        Paginated("ListStackResources") { token in
            var parameters: [HTTPRequest.QueryItem] = [.init("StackName", stackName)]
            if let token { parameters.append(.init("NextToken", token)) }
            let result = try await call("ListStackResources", parameters)
            let resources = result.members("StackResourceSummaries").map { node in
                StackResourceSummary(
                    logicalID: node.string("LogicalResourceId") ?? "", physicalID: node.string("PhysicalResourceId"),
                    resourceType: node.string("ResourceType") ?? "", status: node.string("ResourceStatus") ?? "",
                    statusReason: node.string("ResourceStatusReason").map(ServerText.line))
            }
            return (resources, result.string("NextToken"))
        }
    }

    public func updateTerminationProtection(stackName: String, enabled: Bool) async throws {
        _ = try await call(
            "UpdateTerminationProtection",
            [.init("StackName", stackName), .init("EnableTerminationProtection", enabled ? "true" : "false")])
    }

    /// Starts drift detection on the whole stack; returns the detection's ID (empty when the
    /// answer has none).
    public func detectStackDrift(stackName: String) async throws -> String {
        try await call("DetectStackDrift", [.init("StackName", stackName)]).string("StackDriftDetectionId") ?? ""
    }

    /// Where a drift detection is.
    public func describeStackDriftDetectionStatus(detectionID: String) async throws -> StackDriftDetectionStatus {
        let result = try await call("DescribeStackDriftDetectionStatus", [.init("StackDriftDetectionId", detectionID)])
        return StackDriftDetectionStatus(
            detectionStatus: result.string("DetectionStatus") ?? "", detectionStatusReason: result.string("DetectionStatusReason"),
            stackDriftStatus: result.string("StackDriftStatus"), driftedResourceCount: result.string("DriftedStackResourceCount").flatMap { Int($0) })
    }

    /// The resources of the last detection whose drift status is one of `statuses` (every page;
    /// a repeated NextToken is a `PaginationError`, as in every other listing).
    public func describeStackResourceDrifts(stackName: String, statuses: [String]) async throws -> [StackResourceDrift] {
        try await Paginated<StackResourceDrift>("DescribeStackResourceDrifts") { token in
            var parameters: [HTTPRequest.QueryItem] = [.init("StackName", stackName)]
            for (index, status) in statuses.enumerated() {
                parameters.append(.init("StackResourceDriftStatusFilters.member.\(index + 1)", status))
            }
            if let token { parameters.append(.init("NextToken", token)) }
            let result = try await call("DescribeStackResourceDrifts", parameters)
            let drifts = result.members("StackResourceDrifts").map { node in
                StackResourceDrift(
                    logicalID: node.string("LogicalResourceId") ?? "", physicalID: node.string("PhysicalResourceId"),
                    resourceType: node.string("ResourceType") ?? "", status: node.string("StackResourceDriftStatus") ?? "",
                    differences: node.members("PropertyDifferences").map { difference in
                        StackResourceDrift.PropertyDifference(
                            path: difference.string("PropertyPath") ?? "", expected: difference.string("ExpectedValue"),
                            actual: difference.string("ActualValue"), differenceType: difference.string("DifferenceType") ?? "")
                    })
            }
            return (drifts, result.string("NextToken"))
        }.collect()
    }
}
