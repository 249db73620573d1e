import BerthTemplate
import Foundation

/// The Markdown summary `berth diff` appends to `$GITHUB_STEP_SUMMARY` in GitHub Actions.
public enum DiffMarkdown {
    /// The summary of `document`.
    public static func render(_ document: DiffDocument) -> String {
        var lines = ["## berth diff", ""]
        for report in document.reports {
            let diff = report.diff
            lines.append("### `\(report.stackName)`: \(DiffText.headline(report, document: document))")
            lines.append("")
            for image in diff.images { lines.append("image: `\(image.summary.boundedForDisplay)`") }
            for cost in diff.serviceConnectCosts { lines.append("cost: \(cost.summary)") }
            if !diff.images.isEmpty || !diff.serviceConnectCosts.isEmpty { lines.append("") }
            if !diff.iamStatements.isEmpty {
                lines += ["| | Owner | Effect | Action | Resource | Principal | Broadening |", "|---|---|---|---|---|---|---|"]
                for change in diff.iamStatements {
                    let statement = change.statement
                    let cells = [
                        statement.owner, statement.effect, statement.actions.joined(separator: ", "),
                        statement.resources.joined(separator: ", "), statement.principals.joined(separator: ", "),
                    ]
                    lines.append(row([symbol(change.action)] + cells.map(\.boundedForDisplay) + [change.broadening ? "**yes**" : ""]))
                }
                lines.append("")
            }
            if !diff.securityGroupRules.isEmpty {
                lines += ["| | Group | Direction | Protocol | Peer | Broadening |", "|---|---|---|---|---|---|"]
                for change in diff.securityGroupRules {
                    lines.append(
                        row([
                            symbol(change.action), change.rule.group.boundedForDisplay, change.rule.direction.rawValue,
                            change.rule.protocolAndPorts.boundedForDisplay, change.rule.peer.boundedForDisplay,
                            change.broadening ? "**yes**" : "",
                        ]))
                }
                lines.append("")
            }
            if !document.securityOnly && !diff.resources.isEmpty {
                lines += ["| | Resource | Type | What changes |", "|---|---|---|---|"]
                for resource in diff.resources {
                    var what = resource.changes.map { change in
                        change.path.withoutProperties.description.boundedForDisplay + (change.replacement == .always ? " (requires replacement)" : "")
                    }.joined(separator: ", ")
                    switch (resource.action, resource.replacement, resource.removal) {
                    case (.remove, _, let removal?): what = removal.rawValue
                    case (.modify, .always, _): what = "**replace**: " + what
                    case (.modify, .conditional, _): what = "may be replaced: " + what
                    default: break
                    }
                    lines.append(row([symbol(resource.action), resource.logicalID, resource.type, what]))
                }
                lines.append("")
            }
            if !document.securityOnly && !diff.parameterValues.isEmpty {
                for value in diff.parameterValues {
                    lines.append("- parameter `\(value.name)`: `\(value.old?.boundedForDisplay ?? "")` → `\(value.new?.boundedForDisplay ?? "")`")
                }
                lines.append("")
            }
            if let drift = report.drift {
                lines.append("drift: \(DiffText.driftHeadline(drift))")
                lines.append("")
                if !drift.resources.isEmpty {
                    lines += ["| Resource | Type | Property | Expected | Actual |", "|---|---|---|---|---|"]
                    for resource in drift.resources {
                        if resource.differences.isEmpty {
                            lines.append(row([resource.logicalID, resource.type, resource.status.lowercased(), "", ""]))
                        }
                        for difference in resource.differences {
                            lines.append(
                                row([
                                    resource.logicalID, resource.type, difference.path.boundedForDisplay,
                                    difference.expected?.boundedForDisplay ?? "(none)", difference.actual?.boundedForDisplay ?? "(none)",
                                ]))
                        }
                    }
                    lines.append("")
                }
            }
        }
        if !document.leftBehind.isEmpty {
            lines += ["### Left behind", ""]
            for stack in document.leftBehind { lines.append("- " + stack.summary) }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func symbol(_ action: ChangeAction) -> String {
        switch action {
        case .add: "➕"
        case .remove: "➖"
        case .modify: "✏️"
        }
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |"
    }
}
