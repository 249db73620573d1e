import BerthAWS

/// What Berth refuses to execute, whatever the change set's author wanted.
enum ChangeSetPolicy {
    /// Whether a planned change would remove an image repository or replace it (a new one made,
    /// the old one deleted or, retained, orphaned). Images live in repositories: such a change
    /// set is never executed.
    static func losesRepository(_ change: ResourceChange) -> Bool {
        change.resourceType == "AWS::ECR::Repository"
            && (change.action == "Remove" || (change.action == "Modify" && ["True", "Conditional"].contains(change.replacement ?? "")))
    }

    /// Whether a planned change of an adoption's change set (a CREATE with
    /// `ImportExistingResources`) would make an image repository rather than import the one that
    /// exists: CloudFormation did not find it under that name, in the stack's account and
    /// region. The adoption was planned on the repository's images: such a change set is never
    /// executed.
    static func createsInsteadOfImporting(_ change: ResourceChange) -> Bool {
        change.resourceType == "AWS::ECR::Repository" && change.action != "Import"
    }
}
