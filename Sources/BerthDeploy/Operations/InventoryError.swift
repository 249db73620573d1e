/// Why the repositories' images could not be listed.
public enum InventoryError: Error, Sendable, CustomStringConvertible {
    /// The repository does not exist yet: its phase-1 stack was never deployed.
    case repositoryMissing(repository: String, region: String, stack: String)
    /// The repository's lifecycle policy could not be read.
    case unreadablePolicy(repository: String, reason: String)

    public var description: String {
        switch self {
        case .repositoryMissing(let repository, let region, let stack):
            "repository \(repository) does not exist in \(region) yet; deploy the \(stack) stack first"
        case .unreadablePolicy(let repository, let reason): "\(repository): \(reason)"
        }
    }
}
