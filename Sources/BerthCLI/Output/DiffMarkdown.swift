import CloudFormation
import Deploy
import Foundation

/// The Markdown summary `berth diff` appends to `$GITHUB_STEP_SUMMARY` in GitHub Actions.
enum DiffMarkdown {
    static func render(_ document: DiffDocument) -> String {
        var lines = ["## berth diff", ""]
        for report in document.reports {
            let diff = report.diff
            lines.append("### `\(report.stackName)`: \(DiffText.headline(report, document: document))")
            lines.append("")
            for image in diff.images { lines.append("image: `\(image.summary)`") }
            if !diff.images.isEmpty { lines.append("") }
            if !diff.iamStatements.isEmpty {
                lines += ["| | Owner | Effect | Action | Resource | Principal | Broadening |", "|---|---|---|---|---|---|---|"]
                for change in diff.iamStatements {
                    let statement = change.statement
                    lines.append(
                        row([
                            symbol(change.action), statement.owner, statement.effect, statement.actions.joined(separator: ", "),
                            statement.resources.joined(separator: ", "), statement.principals.joined(separator: ", "),
                            change.broadening ? "**yes**" : "",
                        ]))
                }
                lines.append("")
            }
            if !diff.securityGroupRules.isEmpty {
                lines += ["| | Group | Direction | Protocol | Peer | Broadening |", "|---|---|---|---|---|---|"]
                for change in diff.securityGroupRules {
                    lines.append(
                        row([
                            symbol(change.action), change.rule.group, change.rule.direction.rawValue, change.rule.protocolAndPorts,
                            change.rule.peer, change.broadening ? "**yes**" : "",
                        ]))
                }
                lines.append("")
            }
            if !document.securityOnly && !diff.resources.isEmpty {
                lines += ["| | Resource | Type | What changes |", "|---|---|---|---|"]
                for resource in diff.resources {
                    var what = resource.changes.map { change in
                        change.path.withoutProperties.description + (change.replacement == .always ? " (requires replacement)" : "")
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
                    lines.append("- parameter `\(value.name)`: `\(value.old ?? "")` → `\(value.new ?? "")`")
                }
                lines.append("")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Appends the summary to the file GitHub Actions gives.
    static func append(_ document: DiffDocument, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? createAndOpen(path) else {
            throw CommandFailure(.failure, "cannot open \(path) for writing")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(render(document).utf8))
    }

    private static func createAndOpen(_ path: String) -> FileHandle? {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        return FileHandle(forWritingAtPath: path)
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
