import Foundation

/// The STS calls Berth makes.
public struct STSClient: Sendable {
    static let version = "2011-06-15"
    let client: ServiceClient

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .sts, configuration: configuration)
    }

    /// Who the credentials belong to.
    public struct CallerIdentity: Sendable, Hashable {
        public let account: String
        public let arn: String
        public let userID: String
    }

    public func getCallerIdentity() async throws -> CallerIdentity {
        let result = try await client.query(action: "GetCallerIdentity", version: Self.version, parameters: [])
        // An account is 12 digits: anything else is no answer to compare an account with.
        guard let account = result.string("Account"), account.utf8.count == 12, account.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw UnexpectedResponseError(
                service: "sts", operation: "GetCallerIdentity", status: 200, body: Array("no account of 12 digits in the answer".utf8))
        }
        // Shown in messages: on one line, and no longer than an ARN can be.
        return CallerIdentity(
            account: account, arn: String(ServerText.line(result.string("Arn") ?? "").prefix(2048)), userID: result.string("UserId") ?? "")
    }

    /// Temporary credentials for `roleArn`, signed with the configuration's credentials.
    public func assumeRole(
        roleArn: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil
    ) async throws -> Credentials {
        var parameters: [HTTPRequest.QueryItem] = [.init("RoleArn", roleArn), .init("RoleSessionName", sessionName)]
        if let externalID { parameters.append(.init("ExternalId", externalID)) }
        if let durationSeconds { parameters.append(.init("DurationSeconds", String(durationSeconds))) }
        let result = try await client.query(action: "AssumeRole", version: Self.version, parameters: parameters, holdsCredentials: true)
        return try Self.credentials(in: result, operation: "AssumeRole", source: "role \(roleArn)")
    }

    /// Temporary credentials for `roleArn` in exchange for an OIDC token (what GitHub Actions
    /// gives); the call is not signed.
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String) async throws -> Credentials {
        let result = try await client.query(
            action: "AssumeRoleWithWebIdentity", version: Self.version,
            parameters: [.init("RoleArn", roleArn), .init("RoleSessionName", sessionName), .init("WebIdentityToken", token)],
            signed: false, holdsCredentials: true)
        return try Self.credentials(in: result, operation: "AssumeRoleWithWebIdentity", source: "web identity for \(roleArn)")
    }

    /// The credentials of an answer of `operation` (AssumeRole, AssumeRoleWithWebIdentity), which
    /// the STS API reference says always holds `AccessKeyId`, `SecretAccessKey`, `SessionToken`
    /// and an ISO 8601 `Expiration`: an answer without one is malformed and refused, never taken
    /// for long-term keys (signed without a token) or given an expiration of Berth's choosing.
    /// The error names what is missing, never a value: the answer holds secrets.
    static func credentials(in result: XMLNode, operation: String, source: String) throws -> Credentials {
        func malformed(_ problem: String) -> UnexpectedResponseError {
            UnexpectedResponseError(service: "sts", operation: operation, status: 200, body: Array(problem.utf8))
        }
        guard let node = result.child("Credentials") else { throw malformed("no Credentials in the answer") }
        let missing = ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"].filter { (node.string($0) ?? "").isEmpty }
        guard missing.isEmpty, let keyID = node.string("AccessKeyId"), let secret = node.string("SecretAccessKey"),
            let token = node.string("SessionToken"), let stated = node.string("Expiration")
        else {
            throw malformed("no \(missing.joined(separator: ", ")) in the answer's Credentials")
        }
        guard let expiration = ISO8601.date(stated) else {
            throw malformed("the answer's Credentials have an Expiration that is not an ISO 8601 date")
        }
        return Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiration, source: source)
    }
}
