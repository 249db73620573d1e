import BerthTemplate

/// The result of `berth diff`, and its JSON form (documented in the README; fields are only
/// ever added, under the same `version`).
public struct DiffDocument: Sendable {
    static let version = 1

    public let reports: [StackDiffReport]
    /// Only IAM statement and security-group rule changes count and are shown.
    public let securityOnly: Bool
    /// Deployed stacks of the environments compared that the app no longer has. They are no
    /// difference a deploy would make (it leaves them), and do not count in `hasDifferences`.
    public let leftBehind: [StackLeftBehind]

    public init(reports: [StackDiffReport], securityOnly: Bool, leftBehind: [StackLeftBehind] = []) {
        self.reports = reports
        self.securityOnly = securityOnly
        self.leftBehind = leftBehind
    }

    /// Whether `report` counts as a difference (only security changes count with `securityOnly`).
    public func hasDifferences(_ report: StackDiffReport) -> Bool {
        securityOnly ? report.diff.hasSecurityChanges : report.diff.hasDifferences
    }

    /// Whether any stack differs.
    public var hasDifferences: Bool { reports.contains(where: hasDifferences) }

    /// Whether drift detection ran on any stack.
    public var detectedDrift: Bool { reports.contains { $0.drift != nil } }

    /// Whether any stack drifted.
    public var hasDrift: Bool { reports.contains { $0.drift?.hasDrift == true } }

    /// The document as `berth diff --json` prints it. With drift detection, `hasDrift` and
    /// each deployed stack's `drift` are added; with stacks left behind, `leftBehind`.
    public var json: JSONValue {
        .object(pairs: [
            ("version", .int(Self.version)),
            ("hasDifferences", .bool(hasDifferences)),
            ("hasDrift", detectedDrift ? .bool(hasDrift) : nil),
            ("stacks", .array(reports.map(stackJSON))),
            (
                "leftBehind",
                leftBehind.isEmpty
                    ? nil
                    : .array(
                        leftBehind.map { stack in
                            .object(pairs: [
                                ("stack", .string(stack.stack)), ("region", .string(stack.region)), ("environment", .string(stack.environment)),
                                ("service", stack.service.map(JSONValue.string) ?? .null), ("status", .string(stack.status)),
                            ])
                        })
            ),
        ])
    }

    private static func driftJSON(_ drift: StackDrift) -> JSONValue {
        .object(pairs: [
            ("status", .string(drift.status)),
            ("reason", drift.reason.map(JSONValue.string)),
            (
                "resources",
                .array(
                    drift.resources.map { resource in
                        .object([
                            "logicalId": .string(resource.logicalID), "type": .string(resource.type), "status": .string(resource.status),
                            "differences": .array(
                                resource.differences.map { difference in
                                    .object([
                                        "path": .string(difference.path.boundedForDisplay), "expected": difference.expected.map { .string($0.boundedForDisplay) } ?? .null,
                                        "actual": difference.actual.map { .string($0.boundedForDisplay) } ?? .null, "type": .string(difference.kind),
                                    ])
                                }),
                        ])
                    })
            ),
        ])
    }

    private func stackJSON(_ report: StackDiffReport) -> JSONValue {
        let diff = report.diff
        let (comparedWith, status, file): (String, String?, String?) =
            switch report.source {
            case .deployed(let status): ("deployed", status, nil)
            case .notDeployed(let status): ("nothing", status, nil)
            case .file(let path): ("file", nil, path)
            }
        var members: [(String, JSONValue?)] = [
            ("stack", .string(report.stackName)),
            ("region", .string(report.region)),
            ("phase", .string(report.phase.name)),
            ("environment", report.environment.map(JSONValue.string) ?? .null),
            ("comparedWith", .string(comparedWith)),
            ("status", status.map(JSONValue.string) ?? .null),
            ("file", file.map(JSONValue.string)),
            ("method", .string(diff.method.rawValue)),
            ("note", report.note.map(JSONValue.string) ?? .null),
            ("hasDifferences", .bool(hasDifferences(report))),
            ("images", .array(diff.images.map(Self.imageJSON))),
            ("serviceConnectCosts", .array(diff.serviceConnectCosts.map { .string($0.summary) })),
            (
                "security",
                .object([
                    "iamStatements": .array(diff.iamStatements.map(Self.statementJSON)),
                    "securityGroupRules": .array(diff.securityGroupRules.map(Self.ruleJSON)),
                ])
            ),
        ]
        if detectedDrift {
            members.append(("drift", report.drift.map(Self.driftJSON) ?? .null))
        }
        if !securityOnly {
            members += [
                ("parameters", .array(diff.parameters.map(Self.entryJSON))),
                (
                    "parameterValues",
                    .array(
                        diff.parameterValues.map { value in
                            .object([
                                "name": .string(value.name), "old": value.old.map { .string($0.boundedForDisplay) } ?? .null,
                                "new": value.new.map { .string($0.boundedForDisplay) } ?? .null,
                            ])
                        })
                ),
                ("conditions", .array(diff.conditions.map(Self.entryJSON))),
                ("resources", .array(diff.resources.map(Self.resourceJSON))),
                ("outputs", .array(diff.outputs.map(Self.entryJSON))),
                ("other", .array(diff.otherChanges.map(Self.changeJSON))),
            ]
        }
        return .object(pairs: members)
    }

    private static func imageJSON(_ image: ImageChange) -> JSONValue {
        .object([
            "taskDefinition": .string(image.taskDefinition), "container": .string(image.container),
            "old": image.old.map { .string($0.boundedForDisplay) } ?? .null, "new": .string(image.new.boundedForDisplay),
        ])
    }

    private static func statementJSON(_ change: IAMStatementChange) -> JSONValue {
        let statement = change.statement
        return .object([
            "action": .string(change.action.rawValue), "broadening": .bool(change.broadening),
            "owner": .string(statement.owner.boundedForDisplay), "effect": .string(statement.effect.boundedForDisplay),
            "actions": .array(statement.actions.map { .string($0.boundedForDisplay) }),
            "resources": .array(statement.resources.map { .string($0.boundedForDisplay) }),
            "principals": .array(statement.principals.map { .string($0.boundedForDisplay) }),
            "condition": statement.condition.map { .string($0.boundedForDisplay) } ?? .null,
        ])
    }

    private static func ruleJSON(_ change: SecurityGroupRuleChange) -> JSONValue {
        .object([
            "action": .string(change.action.rawValue), "broadening": .bool(change.broadening),
            "group": .string(change.rule.group.boundedForDisplay), "direction": .string(change.rule.direction.rawValue),
            "protocol": .string(change.rule.protocolAndPorts.boundedForDisplay), "peer": .string(change.rule.peer.boundedForDisplay),
        ])
    }

    private static func entryJSON(_ entry: EntryDiff) -> JSONValue {
        .object([
            "name": .string(entry.name), "action": .string(entry.action.rawValue),
            "changes": .array(entry.changes.map(changeJSON)),
        ])
    }

    private static func resourceJSON(_ resource: ResourceDiff) -> JSONValue {
        .object([
            "logicalId": .string(resource.logicalID), "type": .string(resource.type), "action": .string(resource.action.rawValue),
            "replacement": .string(resource.replacement.rawValue),
            "removal": resource.removal.map { .string($0.rawValue) } ?? .null,
            "keepsReplacedResource": .bool(resource.keepsReplacedResource),
            "changes": .array(resource.changes.map(changeJSON)),
            "changeSetScope": .array(resource.changeSetScope.map(JSONValue.string)),
        ])
    }

    private static func changeJSON(_ change: ValueChange) -> JSONValue {
        .object([
            "path": .string(change.path.description.boundedForDisplay), "old": change.old?.boundedForDisplay ?? .null, "new": change.new?.boundedForDisplay ?? .null,
            "replacement": .string(change.replacement.rawValue), "cause": change.cause.map(JSONValue.string) ?? .null,
        ])
    }
}
