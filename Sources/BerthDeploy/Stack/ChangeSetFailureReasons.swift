import BerthAWS

/// Why CloudFormation refused a change set, in the words of the failed events of its operation
/// (DescribeEvents): early validation and hooks name the resource, the check and the reason,
/// where the change set's own status reason often says only "failed validation".
enum ChangeSetFailureReasons {
    /// At most this many reasons are printed.
    static let limit = 20

    /// The reasons, one line each, in the order CloudFormation reports them, without repeats;
    /// empty when the endpoint has no DescribeEvents (moto, for one) or reports none: the change
    /// set's status reason then stands alone.
    static func fetch(stack: String, changeSet: String, from client: CloudFormationClient) async -> [String] {
        var lines: [String] = []
        do {
            for try await event in client.describeFailedEvents(stackName: stack, changeSetName: changeSet) {
                guard let line = line(for: event), !lines.contains(line) else { continue }
                lines.append(line)
                if lines.count == limit { break }
            }
        } catch {
            // The reasons are a help, not the failure: the refusal is reported either way.
        }
        return lines
    }

    /// `TaskRole (AWS::IAM::Role) PermissionCheck at /Resources/TaskRole/Properties: reason`.
    static func line(for event: OperationEvent) -> String? {
        guard let reason = [event.validationStatusReason, event.hookStatusReason, event.statusReason]
            .compactMap({ $0 }).first(where: { !$0.isEmpty })
        else { return nil }
        let resource = event.logicalID.map { id in event.resourceType.map { "\(id) (\($0))" } ?? id }
        let source = [resource, event.validationName, event.hookType.map { "hook \($0)" }, event.validationPath.map { "at \($0)" }]
            .compactMap { $0 }.joined(separator: " ")
        return source.isEmpty ? reason : "\(source): \(reason)"
    }
}
