/// Where the classification of changes came from.
public enum DiffMethod: String, Sendable, Hashable {
    /// Berth's own comparison of the templates, with replacement from AWS's provider schemas.
    case template
    /// The comparison merged with a change set that CloudFormation computed (and that was deleted).
    case changeSet = "change-set"
}
