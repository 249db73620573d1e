import BerthAWS

/// What `deploy --revert-drift` says before it executes a drift-aware change set: each drifted
/// resource it puts back, and per property the value now and the template's value it gets.
public enum DriftRevertPreview {
    /// The lines for `stack`'s planned `changes`, sorted by resource; one line saying nothing
    /// drifted when no change reverts drift.
    public static func lines(stack: String, changes: [ResourceChange]) -> [String] {
        let drifted = changes.filter { change in
            change.driftStatus.map { $0 == "MODIFIED" || $0 == "DELETED" } ?? false || !change.revertedProperties.isEmpty
        }.sorted { $0.logicalID < $1.logicalID }
        guard !drifted.isEmpty else { return ["\(stack): no drifted resource to revert"] }
        var lines = ["\(stack): reverts drift in \(drifted.count) resource\(drifted.count == 1 ? "" : "s"):"]
        for change in drifted {
            let what = change.driftStatus == "DELETED" ? " (deleted outside CloudFormation: created again)" : ""
            lines.append("  \(change.resourceType) \(change.logicalID)\(what)")
            for property in change.revertedProperties {
                // A container's environment may hold what a diff would withhold (a password in a
                // plain variable, or one set by hand): its values are not shown.
                let holdsEnvironment = change.resourceType == "AWS::ECS::TaskDefinition"
                    && ([property.property, property.actual ?? "", property.after ?? ""].contains { $0.contains("Environment") })
                func shown(_ value: String?, withheld: String) -> String { value.map { holdsEnvironment ? withheld : $0 } ?? "(not set)" }
                let (actual, after) = (shown(property.actual, withheld: "(environment values, not shown)"), shown(property.after, withheld: "(the template's)"))
                lines.append("    \(property.property): \(actual) → \(after)")
            }
        }
        return lines
    }
}
