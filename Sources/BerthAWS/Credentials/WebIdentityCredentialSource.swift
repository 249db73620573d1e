import Foundation

/// `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE` (what GitHub Actions' OIDC sets up):
/// exchanges the token for role credentials with STS AssumeRoleWithWebIdentity.
public struct WebIdentityCredentialSource: CredentialSource {
    public let roleArn: String?
    public let tokenFile: String?
    public let sessionName: String
    let sts: @Sendable () -> STSClient

    public init(environment: [String: String], sts: @escaping @Sendable () -> STSClient) {
        roleArn = environment["AWS_ROLE_ARN"].flatMap { $0.isEmpty ? nil : $0 }
        tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        sessionName = environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "berth-\(Int(Date().timeIntervalSince1970))"
        self.sts = sts
    }

    public var name: String { "web identity (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE)" }

    public func resolve() async throws -> Credentials? {
        switch (roleArn, tokenFile) {
        case (nil, nil): return nil
        case (nil, _): throw CredentialsError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        case (_, nil): throw CredentialsError("AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not")
        case (let roleArn?, let tokenFile?):
            return try await Self.exchange(
                roleArn: roleArn, tokenFile: tokenFile, sessionName: sessionName, sts: sts(), named: "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE")
        }
    }

    /// The role's credentials for the token in `tokenFile`; `asker` names what set them up, for
    /// a refusal's message.
    static func exchange(roleArn: String, tokenFile: String, sessionName: String, sts: STSClient, named asker: String) async throws -> Credentials {
        let data: [UInt8]
        do {
            data = try RegularFile.read(tokenFile, limit: 1 << 20)
        } catch {
            throw CredentialsError("cannot read the web identity token file \(tokenFile): it \(error.problem)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw CredentialsError("the web identity token file \(tokenFile) is empty") }
        do {
            return try await sts.assumeRoleWithWebIdentity(roleArn: roleArn, sessionName: sessionName, token: token)
        } catch let error as AWSServiceError {
            // The token, not the caller's credentials, is what STS weighed.
            throw AssumeRoleCredentialSource.refusal(
                error, roleArn: roleArn, by: asker, externalIDSetting: nil, callerAdvice: "check the token in \(tokenFile) (its audience, issuer and expiry)"
            ) ?? error
        }
    }
}
