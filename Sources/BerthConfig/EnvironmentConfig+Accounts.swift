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
        settings.account = reader.string("account", expected: accountExpectation, where: isAccountID)
        settings.roleArn = reader.string("roleArn", expected: roleArnExpectation, where: { roleAccount(of: $0) != nil })
        settings.externalID = reader.string("externalId", expected: externalIDExpectation, where: isExternalID)
        if let roleArn = settings.roleArn, let account = settings.account, let roleAccount = roleAccount(of: roleArn), roleAccount != account {
            reader.errors.append(
                SourceError(
                    file: reader.file, mark: reader.position(of: "roleArn"),
                    message: "roleArn: the role is in account \(roleAccount), and account says \(account); Berth assumes the role to reach the environment's account, so they must be the same"))
        }
        if settings.externalID != nil && settings.roleArn == nil && !reader.has("roleArn") {
            reader.refuse("externalId", "an external ID goes with the role Berth assumes; add roleArn, or remove externalId")
        }
        if var nested = reader.mapping("repositories") {
            let account = nested.string("account", expected: accountExpectation, where: isAccountID)
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
        if let stacksAccount = settings.account ?? settings.roleArn.flatMap(roleAccount(of:)) {
            let placed: [(key: String, account: String?, what: String, rule: String)] = [
                (
                    "cloudFormationRoleArn", settings.cloudFormationRoleArn.flatMap(roleAccount(of:)), "the role",
                    "CloudFormation takes a role of the stack's own account only"
                ),
                (
                    "permissionsBoundary", settings.permissionsBoundary.flatMap(policyAccount(of:)).flatMap { $0 == "aws" ? nil : $0 },
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

    /// Twelve digits.
    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && DecimalText.isDigits(text)
    }

    /// The account of an IAM role ARN, `arn:<partition>:iam::<account>:role/<path/><name>`;
    /// `nil` when `arn` is not one. The name follows IAM's rule: 1 to 64 of letters, digits and
    /// `+=,.@_-`; the path's parts the same.
    static func roleAccount(of arn: String) -> String? {
        iamAccount(of: arn, resource: "role", nameLimit: 64)
    }

    /// The account of a managed policy's ARN, `arn:<partition>:iam::<account>:policy/<path/><name>`
    /// (`aws` for a policy AWS manages); `nil` when `arn` is not one. Names as IAM takes them: 1
    /// to 128 of letters, digits and `+=,.@_-`.
    static func policyAccount(of arn: String) -> String? {
        iamAccount(of: arn, resource: "policy", nameLimit: 128, awsManaged: true)
    }

    /// A managed policy's name as IAM takes it: 1 to 128 of letters, digits and `+=,.@_-`.
    static func isPolicyName(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy(isIAMNameByte)
    }

    private static func iamAccount(of arn: String, resource: String, nameLimit: Int, awsManaged: Bool = false) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard arn.utf8.count <= 2048, parts.count == 6, parts[0] == "arn", ["aws", "aws-cn", "aws-us-gov"].contains(parts[1]),
            parts[2] == "iam", parts[3].isEmpty, isAccountID(String(parts[4])) || (awsManaged && parts[4] == "aws"),
            parts[5].hasPrefix(resource + "/")
        else { return nil }
        let names = parts[5].dropFirst(resource.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        guard let name = names.last, (1...nameLimit).contains(name.utf8.count),
            names.allSatisfy({ part in !part.isEmpty && part.utf8.allSatisfy(isIAMNameByte) })
        else { return nil }
        return String(parts[4])
    }

    /// A byte of an IAM name: a letter, a digit or one of `_+=,.@-`.
    private static func isIAMNameByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: ",")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
    }

    /// STS's pattern for an external ID: `[\w+=,.@:\/-]{2,1224}`.
    static func isExternalID(_ text: String) -> Bool {
        let allowed = Set("+=,.@:/-".utf8)
        return (2...1224).contains(text.utf8.count) && text.utf8.allSatisfy { isWordByte($0) || allowed.contains($0) }
    }

    /// `\w` in ASCII: a letter, a digit or `_`.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
