import Foundation

/// A profile of the shared files (`--profile`, `AWS_PROFILE`, or `default`): static keys, a
/// role assumed with another profile's credentials (`role_arn` + `source_profile`), or a role
/// assumed with a web identity token (`role_arn` + `web_identity_token_file`).
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
        let named = profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        self.profile = named ?? "default"
        self.isExplicit = named != nil
        self.files = files
        self.sts = sts
    }

    public var name: String { "profile \(profile) in \(files.credentialsPath) and \(files.configPath)" }

    public func resolve() async throws -> Credentials? {
        guard files.profiles[profile] != nil else {
            if isExplicit {
                throw CredentialsError("profile \(profile) is not in \(files.credentialsPath) or \(files.configPath)")
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
            if let tokenFile = settings["web_identity_token_file"] {
                return try await WebIdentityCredentialSource.exchange(
                    roleArn: roleArn, tokenFile: tokenFile, sessionName: sessionName,
                    sts: sts(StaticCredentialProvider(Credentials(accessKeyID: "", secretAccessKey: "", source: "none"))))
            }
            guard let sourceProfile = settings["source_profile"] else {
                throw CredentialsError("profile \(name) has role_arn but neither source_profile nor web_identity_token_file")
            }
            let sourceCredentials = sourceProfile == name && settings["aws_access_key_id"] != nil
                ? try staticCredentials(name, settings)
                : try await credentials(for: sourceProfile, visited: visited + [name])
            return try await sts(StaticCredentialProvider(sourceCredentials)).assumeRole(
                roleArn: roleArn, sessionName: sessionName, externalID: settings["external_id"],
                durationSeconds: settings["duration_seconds"].flatMap(Int.init))
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
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: settings["aws_session_token"], source: "profile \(name)")
    }
}
