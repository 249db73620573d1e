/// How a deploy ended when it did not fail.
public enum DeployResult: Sendable, Hashable {
    case created
    case updated
    case noChanges
}
