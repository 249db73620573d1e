import BerthAWS

/// Which AWS accounts an app's environments and repositories live in, and how Berth reaches
/// each: what the environment files say (`account`, `roleArn`, `externalId`, `repositories`).
public struct AppAccess: Sendable, Hashable {
    /// How Berth reaches one environment's account.
    public struct Environment: Sendable, Hashable {
        /// The account its stacks must be in; any when `nil`.
        public var account: String?
        /// Where `account` (or, without it, `roleArn`) is written (`prod.yaml:4:10`), for messages.
        public var location: String
        /// The role Berth assumes for it; the caller's own credentials when `nil`.
        public var roleArn: String?
        public var externalID: String?
        /// Where `roleArn` is written, for STS's refusals to let it be assumed; `location` when `nil`.
        public var roleLocation: String?

        public init(account: String?, location: String, roleArn: String? = nil, externalID: String? = nil, roleLocation: String? = nil) {
            self.account = account
            self.location = location
            self.roleArn = roleArn
            self.externalID = externalID
            self.roleLocation = roleLocation
        }
    }

    public var app: String
    /// By environment name; an environment that is not here uses the caller's credentials.
    public var environments: [String: Environment]
    /// The account the repositories must be in (`repositories.account`); the caller's,
    /// unchecked, when `nil`.
    public var repositoriesAccount: String?
    /// Where `repositories.account` is written, for messages.
    public var repositoriesLocation = ""

    public init(app: String, environments: [String: Environment] = [:]) {
        self.app = app
        self.environments = environments
    }

    /// How Berth reaches `environment`'s account, for a command's output:
    /// `prod: as role arn:… (session berth-shop-prod), in account 210987654321`; `nil` when
    /// it uses the caller's credentials as they are.
    public func summary(of environment: String) -> String? {
        guard let access = environments[environment] else { return nil }
        let account = access.account.map { ", in account \($0)" } ?? ""
        if let roleArn = access.roleArn {
            return "\(environment): as role \(roleArn) (session \(AssumeRoleCredentialSource.sessionName(app: app, environment: environment)))\(account)"
        }
        return access.account.map { "\(environment): with the current credentials, checked to be in account \($0)" }
    }
}
