import BerthDiff
import BerthAWS

extension StackDiff {
    /// The template comparison with CloudFormation's own word on each resource it lists: its
    /// action and whether it replaces. Resources the change set does not list keep what the
    /// template comparison found.
    public func merging(_ changes: [ResourceChange]) -> StackDiff {
        var merged = self
        merged.method = .changeSet
        for change in changes {
            let action: ChangeAction =
                switch change.action {
                case "Add": .add
                case "Remove": .remove
                default: .modify
                }
            let index = merged.resources.firstIndex { $0.logicalID == change.logicalID }
            var resource =
                index.map { merged.resources[$0] }
                ?? ResourceDiff(
                    logicalID: change.logicalID, type: change.resourceType, action: action, removal: action == .remove ? .destroy : nil)
            resource.action = action
            resource.changeSetScope = change.scope
            if let replacement = Self.replacement(change.replacement) {
                resource.replacement = replacement
                for detail in change.details {
                    guard let recreation = Self.replacement(detail.requiresRecreation) else { continue }
                    for position in resource.changes.indices
                    where resource.changes[position].path.withoutProperties.components.first == .key(detail.property) {
                        resource.changes[position].replacement = recreation
                    }
                }
                if replacement == .never {
                    for position in resource.changes.indices { resource.changes[position].replacement = .never }
                }
            }
            if let index {
                merged.resources[index] = resource
            } else {
                merged.resources.append(resource)
            }
        }
        return merged
    }

    /// `True`/`False`/`Conditional` (Replacement) or `Always`/`Never`/`Conditionally` (RequiresRecreation).
    private static func replacement(_ word: String?) -> Replacement? {
        switch word {
        case "True", "Always": .always
        case "False", "Never": .never
        case "Conditional", "Conditionally": .conditional
        default: nil
        }
    }
}
