import BerthAWS

/// One stack to deploy.
public struct StackDeployment: Sendable {
    public var stackName: String
    public var templateBody: String
    /// How many resources the template declares, for the progress count.
    public var resourceCount: Int
    public var parameters: [(key: String, value: String)]
    /// Parameters that keep their deployed value (UsePreviousValue).
    public var keepPreviousParameters: [String]
    public var tags: [(key: String, value: String)]
    public var capabilities: [String]
    /// Whether the stack must be protected from deletion (phase 1: the repository).
    public var terminationProtection: Bool
    /// Whether a create brings the template's existing, named resources into the stack
    /// (`ImportExistingResources`): how `deploy --adopt` adopts a repository.
    public var importExistingResources = false
    /// Whether the update puts drifted resources back to the template's values through a
    /// drift-aware change set (`DeploymentMode=REVERT_DRIFT`).
    public var revertsDrift = false
    /// The role CloudFormation acts with: the change set's `RoleARN` (and the delete's, when a
    /// failed create is deleted to be made again); the caller's rights when `nil`.
    public var cloudFormationRoleArn: String?
    /// A phase-1 stack's repository: what its template does not declare of it (its own tags, a
    /// policy) is kept across an update that modifies it, which would remove it (`RepositoryKeeper`).
    public var repositoryKeeper: RepositoryKeeper?

    public init(
        stackName: String, templateBody: String, resourceCount: Int, parameters: [(key: String, value: String)] = [],
        keepPreviousParameters: [String] = [], tags: [(key: String, value: String)] = [], capabilities: [String] = [], terminationProtection: Bool = false
    ) {
        self.stackName = stackName
        self.templateBody = templateBody
        self.resourceCount = resourceCount
        self.parameters = parameters
        self.keepPreviousParameters = keepPreviousParameters
        self.tags = tags
        self.capabilities = capabilities
        self.terminationProtection = terminationProtection
    }
}
