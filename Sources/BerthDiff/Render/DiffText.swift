import BerthTemplate

/// `berth diff` for people: per stack, the image lines, the cost lines (what Service Connect's
/// proxy adds to each task), the security tables, then the changes by section, marked `[+]`
/// added, `[-]` removed, `[~]` modified. Colours only when asked.
public struct DiffText: Sendable {
    let usesColor: Bool

    /// A renderer that colours its output with ANSI escapes when `usesColor` says so.
    public init(usesColor: Bool) { self.usesColor = usesColor }

    private enum Color: String {
        case green = "32", red = "31", yellow = "33", bold = "1", dim = "2"
    }

    private func paint(_ text: String, _ color: Color) -> String {
        usesColor ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    private func marker(_ action: ChangeAction) -> String {
        switch action {
        case .add: paint("[+]", .green)
        case .remove: paint("[-]", .red)
        case .modify: paint("[~]", .yellow)
        }
    }

    /// The text of `document`.
    public func render(_ document: DiffDocument) -> String {
        var lines: [String] = []
        for report in document.reports {
            if !lines.isEmpty { lines.append("") }
            lines += stack(report, document: document)
        }
        let changed = document.reports.filter(document.hasDifferences).count
        let what = document.securityOnly ? "with security-relevant differences" : "with differences"
        lines.append("")
        var summary = "\(document.reports.count) stack\(document.reports.count == 1 ? "" : "s") compared, \(changed) \(what)"
        if document.detectedDrift {
            summary += ", \(document.reports.filter { $0.drift?.hasDrift == true }.count) drifted"
        }
        lines.append(summary)
        if !document.leftBehind.isEmpty {
            lines.append("")
            lines.append(paint("Left behind", .bold))
            for stack in document.leftBehind { lines.append(stack.summary) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func stack(_ report: StackDiffReport, document: DiffDocument) -> [String] {
        let diff = report.diff
        var lines = [paint("Stack \(report.stackName)", .bold) + " (\(report.region)): " + Self.headline(report, document: document)]
        if let note = report.note { lines.append(paint("note: \(note)", .dim)) }
        for image in diff.images { lines.append("image: \(image.summary.boundedForDisplay)") }
        for cost in diff.serviceConnectCosts { lines.append("cost: \(cost.summary)") }
        if !diff.iamStatements.isEmpty {
            lines += ["", "IAM statement changes"]
            let rows = diff.iamStatements.map { change in
                let statement = change.statement
                let cells = [
                    statement.owner, statement.effect, statement.actions.joined(separator: ", "),
                    statement.resources.joined(separator: ", "), statement.principals.joined(separator: ", "),
                    statement.condition ?? "",
                ]
                return [marker(change.action)] + cells.map(\.boundedForDisplay) + [change.broadening ? paint("broadening", .red) : ""]
            }
            lines += Self.table(header: ["", "Owner", "Effect", "Action", "Resource", "Principal", "Condition", ""], rows: rows)
        }
        if !diff.securityGroupRules.isEmpty {
            lines += ["", "Security group rule changes"]
            let rows = diff.securityGroupRules.map { change in
                [
                    marker(change.action), change.rule.group.boundedForDisplay, change.rule.direction == .ingress ? "in" : "out",
                    change.rule.protocolAndPorts.boundedForDisplay, change.rule.peer.boundedForDisplay,
                    change.broadening
                        ? paint(change.rule.isOpenToTheInternet ? "broadening (open to the internet)" : "broadening", .red) : "",
                ]
            }
            lines += Self.table(header: ["", "Group", "Dir", "Protocol", "Peer", ""], rows: rows)
        }
        if let drift = report.drift { lines += driftLines(drift) }
        guard !document.securityOnly else { return lines }
        if !diff.parameters.isEmpty {
            lines += ["", "Parameters"] + diff.parameters.flatMap { entry($0) }
        }
        if !diff.parameterValues.isEmpty {
            lines += ["", "Parameter values"]
            lines += diff.parameterValues.map { value in
                "\(marker(.modify)) \(value.name): \(value.old?.boundedForDisplay ?? "(none)") → \(value.new?.boundedForDisplay ?? "(none)")"
            }
        }
        if !diff.conditions.isEmpty {
            lines += ["", "Conditions"] + diff.conditions.flatMap { entry($0) }
        }
        if !diff.resources.isEmpty {
            lines += ["", "Resources"] + diff.resources.flatMap(resource)
        }
        if !diff.outputs.isEmpty {
            lines += ["", "Outputs"] + diff.outputs.flatMap { entry($0) }
        }
        if !diff.otherChanges.isEmpty {
            lines += ["", "Template"] + changeLines(diff.otherChanges, stripProperties: false)
        }
        return lines
    }

    /// `in sync`, or how many resources drifted.
    static func driftHeadline(_ drift: StackDrift) -> String {
        var text: String
        if drift.resources.isEmpty {
            text = drift.status == "IN_SYNC" ? "in sync" : drift.status
        } else {
            text = "\(drift.resources.count) resource\(drift.resources.count == 1 ? "" : "s") drifted"
        }
        if let reason = drift.reason { text += " (\(reason))" }
        return text
    }

    /// Each drifted resource, and per property what the template expects and what is there.
    private func driftLines(_ drift: StackDrift) -> [String] {
        var lines = ["", "Drift: " + (drift.hasDrift ? paint(Self.driftHeadline(drift), .yellow) : Self.driftHeadline(drift))]
        for resource in drift.resources {
            let deleted = resource.status == "DELETED"
            lines.append("\(marker(deleted ? .remove : .modify)) \(resource.type) \(resource.logicalID)\(deleted ? " " + paint("deleted outside CloudFormation", .red) : "")")
            for (index, difference) in resource.differences.enumerated() {
                let branch = index == resource.differences.count - 1 ? " └─ " : " ├─ "
                lines.append(
                    branch + "\(difference.path.boundedForDisplay): expected \(difference.expected?.boundedForDisplay ?? "(not set)"), "
                        + "actual \(difference.actual?.boundedForDisplay ?? "(not set)")")
            }
        }
        return lines
    }

    /// `no differences`, `not deployed: everything is added`, or the counts.
    static func headline(_ report: StackDiffReport, document: DiffDocument) -> String {
        let diff = report.diff
        var prefix = ""
        switch report.source {
        case .notDeployed(let status):
            prefix = status.map { "not deployed (\($0)), " } ?? "not deployed, "
        case .file(let path):
            prefix = "compared with \(path), "
        case .deployed:
            break
        }
        guard document.hasDifferences(report) else { return prefix + "no differences" }
        if document.securityOnly { return prefix + "security-relevant differences" }
        var counts: [String] = []
        let added = diff.resources.filter { $0.action == .add }.count
        let replaced = diff.resources.filter { $0.action == .modify && $0.replacement == .always }.count
        let maybe = diff.resources.filter { $0.action == .modify && $0.replacement == .conditional }.count
        let modified = diff.resources.filter { $0.action == .modify }.count - replaced - maybe
        let removed = diff.resources.filter { $0.action == .remove }.count
        if added > 0 { counts.append("\(added) to add") }
        if modified > 0 { counts.append("\(modified) to change") }
        if replaced > 0 { counts.append("\(replaced) to replace") }
        if maybe > 0 { counts.append("\(maybe) that may be replaced") }
        if removed > 0 { counts.append("\(removed) to remove") }
        return prefix + (counts.isEmpty ? "no resource changes" : counts.joined(separator: ", "))
    }

    private func resource(_ resource: ResourceDiff) -> [String] {
        var heading = "\(marker(resource.action)) \(resource.type) \(resource.logicalID)"
        switch (resource.action, resource.replacement, resource.removal) {
        case (.remove, _, .orphan?): heading += " " + paint("orphan (DeletionPolicy Retain: it stays in the account)", .yellow)
        case (.remove, _, _): heading += " " + paint("destroy", .red)
        case (.modify, .always, _):
            heading += " " + paint("replace", .red)
            if resource.keepsReplacedResource { heading += " (the old one is kept: UpdateReplacePolicy Retain)" }
        case (.modify, .conditional, _): heading += " " + paint("may be replaced", .yellow)
        default: break
        }
        if resource.changes.isEmpty && resource.action == .modify && !resource.changeSetScope.isEmpty {
            // Only the change set knows, such as the stack's tags reaching every resource.
            heading += " (CloudFormation: \(resource.changeSetScope.joined(separator: ", ")))"
        }
        return [heading] + changeLines(resource.changes, stripProperties: true)
    }

    private func entry(_ entry: EntryDiff) -> [String] {
        ["\(marker(entry.action)) \(entry.name)"] + changeLines(entry.changes, stripProperties: false)
    }

    /// The changes as a tree under their entry; long values go on lines of their own.
    private func changeLines(_ changes: [ValueChange], stripProperties: Bool) -> [String] {
        var lines: [String] = []
        for (index, change) in changes.enumerated() {
            let last = index == changes.count - 1
            let branch = last ? " └─ " : " ├─ "
            let continuation = last ? "    " : " │  "
            let path = (stripProperties ? change.path.withoutProperties : change.path).description.boundedForDisplay
            let action: ChangeAction = change.old == nil ? .add : change.new == nil ? .remove : .modify
            var suffix = ""
            if let cause = change.cause { suffix += " (" + cause + ")" }
            switch change.replacement {
            case .always: suffix += " " + paint("(requires replacement)", .red)
            case .conditional: suffix += " " + paint("(may require replacement)", .yellow)
            case .never: break
            }
            let old = change.old.map(\.boundedDisplayText)
            let new = change.new.map(\.boundedDisplayText)
            if change.cause != nil {
                // The text is the same; what it refers to changes.
                lines.append(branch + marker(action) + " " + path + suffix)
                continue
            }
            let label = path.isEmpty ? "" : path + ": "
            let inline: String
            switch (old, new) {
            case (let old?, let new?): inline = "\(old) → \(new)"
            case (nil, let new?): inline = new
            case (let old?, nil): inline = old
            case (nil, nil): inline = ""
            }
            if inline.count + label.count <= 100 && !inline.contains("\n") {
                lines.append(branch + marker(action) + " " + label + inline + suffix)
            } else {
                lines.append(branch + marker(action) + " " + (path.isEmpty ? "(value)" : path) + suffix)
                if let old { lines.append(continuation + "    " + paint("- " + old, .red)) }
                if let new { lines.append(continuation + "    " + paint("+ " + new, .green)) }
            }
        }
        return lines
    }

    /// Columns padded to their widest cell (escape sequences do not count).
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], visibleWidth(cell))
            }
        }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let padding = column == row.count - 1 ? 0 : widths[column] - visibleWidth(cell) + 2
                line += cell + String(repeating: " ", count: padding)
            }
            return line.trimmingTrailingSpaces()
        }
    }

    private static func visibleWidth(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if character == "\u{1B}" {
                inEscape = true
            } else if inEscape {
                if character == "m" { inEscape = false }
            } else {
                count += 1
            }
        }
        return count
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
