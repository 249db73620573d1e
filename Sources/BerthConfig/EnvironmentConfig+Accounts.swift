import BerthModel
import BerthResources
import BerthTemplate

extension EnvironmentConfig {
    static let accountExpectation = "an AWS account ID: 12 digits, such as 123456789012"
    static let roleArnExpectation = "an IAM role ARN such as arn:aws:iam::123456789012:role/berth-deploy"
    static let cloudFormationRoleArnExpectation =
        "an IAM role ARN (arn:aws:iam::<account>:role/<name>), such as the bootstrap's berth-<app>-cfn-exec"
    static let permissionsBoundaryExpectation =
        "a managed policy's ARN (arn:aws:iam::<account>:policy/<name>) or name (1 to 128 letters, digits and + = , . @ _ -)"
    static let externalIDExpectation = "2 to 1224 letters, digits and + = , . @ : / - _ (what the role's trust policy asks for)"

    /// `account`, `roleArn`, `externalId` and `repositories`: which account the environment lives
    /// in, how Berth reaches it, and where the app's repositories are.
    static func readAccounts(_ reader: inout YAMLMappingReader, into settings: inout EnvironmentSettings) {
        settings.account = reader.string("account", expected: accountExpectation, where: IAMName.isAccountID)
        settings.roleArn = reader.string("roleArn", expected: roleArnExpectation, where: { IAMName.roleAccount(of: $0) != nil })
        settings.externalID = reader.string("externalId", expected: externalIDExpectation, where: isExternalID)
        if let roleArn = settings.roleArn, let account = settings.account, let roleAccount = IAMName.roleAccount(of: roleArn), roleAccount != account {
            reader.errors.append(
                SourceError(
                    file: reader.file, mark: reader.position(of: "roleArn"),
                    message: "roleArn: the role is in account \(roleAccount), and account says \(account); Berth assumes the role to reach the environment's account, so they must be the same"))
        }
        if settings.externalID != nil && settings.roleArn == nil && !reader.has("roleArn") {
            reader.refuse("externalId", "an external ID goes with the role Berth assumes; add roleArn, or remove externalId")
        }
        if var nested = reader.mapping("repositories") {
            let account = nested.string("account", expected: accountExpectation, where: IAMName.isAccountID)
            let region = nested.string("region", required: true, expected: "an AWS region such as eu-west-1", where: isRegion)
            if let region { settings.repositories = RepositoryLocation(account: account, region: region) }
            reader.finish(nested)
        }
    }

    /// Roles, policies and keys that AWS takes only in the place the environment's resources
    /// are: CloudFormation passes a role of the stack's own account (a `cloudFormationRoleArn`
    /// copied from another environment's file fails every change set), IAM bounds a role by a
    /// policy of its own account (or one AWS manages), and ECR encrypts a repository with a KMS
    /// key of the repository's region.
    static func placementProblems(of settings: EnvironmentSettings, in reader: inout YAMLMappingReader) {
        if let stacksAccount = settings.account ?? settings.roleArn.flatMap(IAMName.roleAccount(of:)) {
            let placed: [(key: String, account: String?, what: String, rule: String)] = [
                (
                    "cloudFormationRoleArn", settings.cloudFormationRoleArn.flatMap(IAMName.roleAccount(of:)), "the role",
                    "CloudFormation takes a role of the stack's own account only"
                ),
                (
                    "permissionsBoundary", settings.permissionsBoundary.flatMap(IAMName.policyAccount(of:)).flatMap { $0 == "aws" ? nil : $0 },
                    "the policy", "a role is bounded by a policy of its own account, or by one AWS manages"
                ),
            ]
            for entry in placed {
                guard let account = entry.account, account != stacksAccount else { continue }
                reader.errors.append(
                    SourceError(
                        file: reader.file, mark: reader.position(of: entry.key),
                        message: "\(entry.key): \(entry.what) is in account \(account), and the environment's stacks are in \(stacksAccount) "
                            + "(\(settings.account != nil ? "account" : "roleArn")); \(entry.rule)"))
            }
        }
        if let key = settings.repositoryKMSKeyArn, let keyRegion = ARN.region(of: key) {
            let repositoryRegion = settings.repositories?.region ?? settings.region
            if !repositoryRegion.isEmpty, keyRegion != repositoryRegion {
                reader.errors.append(
                    SourceError(
                        file: reader.file, mark: reader.position(of: "repositoryKmsKeyArn"),
                        message: "repositoryKmsKeyArn: the key is in \(keyRegion), and the repositories are in \(repositoryRegion); "
                            + "ECR encrypts a repository with a key of its own region"))
            }
        }
    }

    /// STS's pattern for an external ID: `[\w+=,.@:\/-]{2,1224}`.
    static func isExternalID(_ text: String) -> Bool {
        let allowed = Set("+=,.@:/-".utf8)
        return (2...1224).contains(text.utf8.count) && text.utf8.allSatisfy { IAMName.isWordByte($0) || allowed.contains($0) }
    }

}
