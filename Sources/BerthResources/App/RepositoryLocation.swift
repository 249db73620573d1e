/// Where the app's image repositories live (`repositories: {account, region}`): every
/// environment names the same place. Environments in other regions pull their images from it
/// across regions; environments in other accounts are granted pull in each repository's policy.
public struct RepositoryLocation: Sendable, Hashable {
    /// The account that holds the repositories; the caller's when `nil`.
    public var account: String?
    /// The region of the repositories and their phase-1 stacks.
    public var region: String

    public init(account: String?, region: String) {
        self.account = account
        self.region = region
    }
}
