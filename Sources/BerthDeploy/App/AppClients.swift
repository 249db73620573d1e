import BerthAWS
import Foundation

/// The AWS clients of an app's stacks, each signing with the credentials its side needs:
/// - an environment with `roleArn`: the role, assumed with STS AssumeRole (session
///   `berth-<app>-<env>`, with `externalId`) and assumed again five minutes before the
///   credentials expire, so that a long deploy never signs with expired ones;
/// - an environment with `account`: credentials checked with STS GetCallerIdentity to be in that
///   account before the first call is signed, refused (`CredentialsError`) otherwise;
/// - the repositories' side (phase 1, the image gate, `images`): the caller's own, checked
///   against `repositories.account` when it is given.
///
/// Every command that reads or changes an environment makes its clients here, so they all use
/// the same credentials for it.
public struct AppClients: Sendable {
    /// The configuration of each region, signing with the caller's credentials.
    private let configurations: [String: AWSConfiguration]
    /// The credentials of each environment that does not use the caller's as they are.
    private let environmentCredentials: [String: any CredentialProvider]
    /// The repositories' credentials when they are checked against an account.
    private let repositoryCredentials: (any CredentialProvider)?

    /// `configurations`: one per region the app's stacks are in, signing with the caller's
    /// credentials. `now` is the clock the assumed roles' expiry is read by.
    public init(
        access: AppAccess, plan: DeployPlan, configurations: [String: AWSConfiguration],
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configurations = configurations
        var credentials: [String: any CredentialProvider] = [:]
        for (name, environment) in access.environments where environment.account != nil || environment.roleArn != nil {
            guard let region = plan.app.values.first(where: { $0.environment == name })?.region,
                let base = configurations[region]
            else { continue }
            var provider: any CredentialProvider = base.credentials
            if let roleArn = environment.roleArn {
                let source = AssumeRoleCredentialSource(
                    roleArn: roleArn, sessionName: AssumeRoleCredentialSource.sessionName(app: access.app, environment: name),
                    externalID: environment.externalID, sts: STSClient(configuration: base),
                    location: "\(environment.roleLocation ?? environment.location): roleArn")
                provider = CredentialChain(sources: [source], now: now)
            }
            if let account = environment.account {
                provider = AccountCheckedCredentialProvider(
                    provider, account: account, sts: { Self.sts(base, signingWith: $0) },
                    refusal: { identity in Self.refusal(environment: name, access: environment, account: account, identity: identity) })
            }
            credentials[name] = provider
        }
        environmentCredentials = credentials
        if let account = access.repositoriesAccount,
            let region = plan.app.values.first(where: { $0.phase == .ecr })?.region ?? configurations.keys.sorted().first,
            let base = configurations[region]
        {
            let location = access.repositoriesLocation
            repositoryCredentials = AccountCheckedCredentialProvider(
                base.credentials, account: account, sts: { Self.sts(base, signingWith: $0) },
                refusal: { identity in
                    "\(location): repositories.account: the repositories are in account \(account), and the current credentials (\(identity.arn)) are in account \(identity.account); "
                        + "phase 1, the image gate and images use the caller's own credentials: run Berth with credentials of account \(account)"
                })
        } else {
            repositoryCredentials = nil
        }
    }

    /// The clients for `target`'s region, signing with its side's credentials.
    public func clients(for target: ClientTarget) throws -> AppDeployer.Clients {
        guard var configuration = configurations[target.region] else {
            throw CredentialsError("no AWS configuration for region \(target.region)")
        }
        if let environment = target.environment, let credentials = environmentCredentials[environment] {
            configuration.credentials = credentials
        } else if target.environment == nil, let repositoryCredentials {
            configuration.credentials = repositoryCredentials
        }
        return AppDeployer.Clients(
            cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration),
            kms: KMSClient(configuration: configuration), loadBalancing: ElasticLoadBalancingClient(configuration: configuration))
    }

    /// Checks, before anything changes, the accounts of `targets` that name one: assumes their
    /// roles and asks STS whose credentials they are. Throws `CredentialsError` for the first
    /// that is in another account.
    public func verify(_ targets: [ClientTarget]) async throws {
        var checked: Set<String> = []
        for target in targets where checked.insert(target.environment ?? "").inserted {
            let provider = target.environment.map { environmentCredentials[$0] } ?? repositoryCredentials
            if let provider = provider as? AccountCheckedCredentialProvider {
                try await provider.verify()
            } else if let provider {
                _ = try await provider.credentials()
            }
        }
    }

    private static func sts(_ base: AWSConfiguration, signingWith credentials: any CredentialProvider) -> STSClient {
        var configuration = base
        configuration.credentials = credentials
        return STSClient(configuration: configuration)
    }

    private static func refusal(
        environment name: String, access: AppAccess.Environment, account: String, identity: STSClient.CallerIdentity
    ) -> String {
        if let roleArn = access.roleArn {
            return "\(access.location): account: environment \(name) is in account \(account), and the role \(roleArn) gave credentials in account \(identity.account) (\(identity.arn)); name a role in account \(account)"
        }
        return "\(access.location): account: environment \(name) is in account \(account), and the current credentials (\(identity.arn)) are in account \(identity.account); "
            + "use credentials of account \(account) (a profile of that account, AWS_PROFILE), or add roleArn: a role in account \(account) for Berth to assume"
    }
}
