import Foundation

/// A profile of the shared files (`--profile`, `AWS_PROFILE`, or `default`): static keys, a
/// role assumed with another profile's credentials (`role_arn` + `source_profile`), or a role
/// assumed with a web identity token (`role_arn` + `web_identity_token_file`). A profile that
/// holds none of these (a region alone) gives no credentials, and the chain goes on, as in the
/// AWS CLI; one that names a way Berth does not take (SSO, `credential_process`,
/// `credential_source`) is an error that says so.
public struct ProfileCredentialSource: CredentialSource {
    public let profile: String
    /// Whether the profile was asked for by name (then it must exist).
    public let isExplicit: Bool
    public let files: SharedConfigFiles
    /// An STS client that signs with the given credentials.
    let sts: @Sendable (any CredentialProvider) -> STSClient

    public init(
        profile: String?, environment: [String: String], files: SharedConfigFiles,
        sts: @escaping @Sendable (any CredentialProvider) -> STSClient
    ) {
        self.profile = SharedConfigFiles.profileName(given: profile, environment: environment)
        self.isExplicit = profile?.isEmpty == false || environment["AWS_PROFILE"]?.isEmpty == false
        self.files = files
        self.sts = sts
    }

    public var name: String { "profile \(profile) in \(files.credentialsPath) and \(files.configPath)" }

    /// The settings that give a profile credentials, in the ways Berth takes.
    static let credentialKeys = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "role_arn", "web_identity_token_file"]

    /// Settings of ways to get credentials that Berth does not take, and what each way is.
    static let unsupportedKeys: [(key: String, way: String)] = [
        ("sso_session", "IAM Identity Center"), ("sso_start_url", "IAM Identity Center"),
        ("credential_process", "an external process"), ("credential_source", "the instance or container it runs in"),
    ]

    public func resolve() async throws -> Credentials? {
        if let problem = files.problems.first { throw CredentialsError(problem) }
        guard let settings = files.profiles[profile] else {
            if isExplicit {
                throw CredentialsError("profile \(profile) is not in \(files.credentialsPath) or \(files.configPath)")
            }
            return nil
        }
        if !Self.credentialKeys.contains(where: { settings[$0] != nil }) {
            if let unsupported = Self.unsupportedKeys.first(where: { settings[$0.key] != nil }) {
                throw CredentialsError(
                    "profile \(profile) (\(files.configPath)) gets its credentials from \(unsupported.way) (\(unsupported.key)), "
                        + "which Berth does not do; export them first, for example with `eval \"$(aws configure export-credentials "
                        + "--profile \(profile) --format env)\"`, or use a profile with keys or role_arn")
            }
            return nil
        }
        return try await credentials(for: profile, visited: [])
    }

    private func credentials(for name: String, visited: [String]) async throws -> Credentials {
        guard let settings = files.profiles[name] else {
            throw CredentialsError("profile \(visited.last ?? name) names source_profile \(name), which does not exist")
        }
        guard !visited.contains(name) else {
            throw CredentialsError("profiles \((visited + [name]).joined(separator: " → ")) form a source_profile loop")
        }
        let sessionName = settings["role_session_name"] ?? "berth-\(Int(Date().timeIntervalSince1970))"
        if let roleArn = settings["role_arn"] {
            let assuming = "profile \(name) (\(files.configPath))"
            if let tokenFile = settings["web_identity_token_file"] {
                return try await WebIdentityCredentialSource.exchange(
                    roleArn: roleArn, tokenFile: tokenFile, sessionName: sessionName,
                    sts: sts(StaticCredentialProvider(Credentials(accessKeyID: "", secretAccessKey: "", source: "none"))), named: assuming)
            }
            guard let sourceProfile = settings["source_profile"] else {
                let other = settings["credential_source"].map { " (credential_source \($0.prefix(64)) is not taken by Berth)" } ?? ""
                throw CredentialsError("profile \(name) has role_arn but neither source_profile nor web_identity_token_file\(other)")
            }
            let sourceCredentials = sourceProfile == name && settings["aws_access_key_id"] != nil
                ? try staticCredentials(name, settings)
                : try await credentials(for: sourceProfile, visited: visited + [name])
            do {
                return try await sts(StaticCredentialProvider(sourceCredentials)).assumeRole(
                    roleArn: roleArn, sessionName: sessionName, externalID: settings["external_id"],
                    durationSeconds: settings["duration_seconds"].flatMap(Int.init))
            } catch let error as AWSServiceError {
                throw AssumeRoleCredentialSource.refusal(
                    error, roleArn: roleArn, by: assuming, externalIDSetting: settings["external_id"] == nil ? nil : "external_id") ?? error
            }
        }
        return try staticCredentials(name, settings)
    }

    private func staticCredentials(_ name: String, _ settings: [String: String]) throws -> Credentials {
        guard let keyID = settings["aws_access_key_id"], let secret = settings["aws_secret_access_key"] else {
            // One of the pair alone: name the other (never a value).
            let half = settings["aws_access_key_id"] != nil ? "aws_secret_access_key" : settings["aws_secret_access_key"] != nil ? "aws_access_key_id" : nil
            if let half { throw CredentialsError("profile \(name) has no \(half) to go with its \(half == "aws_access_key_id" ? "aws_secret_access_key" : "aws_access_key_id")") }
            throw CredentialsError("profile \(name) has neither aws_access_key_id and aws_secret_access_key nor role_arn")
        }
        return Credentials(
            // An empty token (`aws_session_token =`, as some tools write it) is none, as in the CLI.
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 },
            source: "profile \(name)")
    }
}
