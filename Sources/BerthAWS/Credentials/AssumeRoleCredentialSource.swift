/// Credentials of an IAM role, assumed with STS AssumeRole signed by other credentials (the
/// caller's). Put it in a `CredentialChain` to keep them and assume the role again a few minutes
/// before they expire.
public struct AssumeRoleCredentialSource: CredentialSource {
    public let roleArn: String
    public let sessionName: String
    public let externalID: String?
    /// STS, signing with the credentials that assume the role.
    public let sts: STSClient
    /// Where the role is asked for (`prod.yaml:4:10`), to start a refusal's message with.
    public let location: String?

    public init(roleArn: String, sessionName: String, externalID: String?, sts: STSClient, location: String? = nil) {
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalID = externalID
        self.sts = sts
        self.location = location
    }

    public var name: String { "role \(roleArn) (session \(sessionName))" }

    public func resolve() async throws -> Credentials? {
        do {
            return try await sts.assumeRole(roleArn: roleArn, sessionName: sessionName, externalID: externalID)
        } catch let error as AWSServiceError {
            throw Self.refusal(
                error, roleArn: roleArn, by: location, externalIDSetting: externalID == nil ? nil : "externalId"
            ) ?? error
        }
    }

    /// STS's refusal to let `roleArn` be assumed (an answer of HTTP 4xx, a problem of input:
    /// the role's trust, the caller's credentials, the request) worded as what to fix; `nil` for
    /// an answer that may pass (throttling, a server error), which stays as it is. `by` names
    /// what asked for the role (`profile ops (~/.aws/config)`); `externalIDSetting` the setting
    /// that gave an external ID; `callerAdvice` what to check when the caller's side is refused.
    public static func refusal(
        _ error: AWSServiceError, roleArn: String, by asker: String?, externalIDSetting: String?, callerAdvice: String? = nil
    ) -> CredentialsError? {
        // IDPCommunicationError: the identity provider did not answer STS, which may pass.
        guard (400..<500).contains(error.status), !RetryPolicy.throttlingCodes.contains(error.code), error.code != "IDPCommunicationError"
        else { return nil }
        let start = "\(asker.map { "\($0): " } ?? "")cannot assume \(roleArn): \(error.summary)"
        switch error.code {
        case "AccessDenied":
            return CredentialsError(
                "\(start); its trust policy must let the current credentials assume it"
                    + (externalIDSetting.map { ", with the condition sts:ExternalId equal to \($0)" } ?? ""))
        case "RegionDisabledException":
            return CredentialsError(
                "\(start); STS is asked in the region of the calls, which the current credentials' account has not enabled: "
                    + "enable the region for that account")
        default:
            // A credentials problem of the caller's own (InvalidClientTokenId, an expired token),
            // or the request's (a malformed ARN): not the role's trust.
            return CredentialsError("\(start); \(callerAdvice ?? "check the current credentials")")
        }
    }

    /// A session name that says Berth, the app and the environment (`berth-shop-prod`), within
    /// STS's 64 characters of letters, digits and `+=,.@_-`.
    public static func sessionName(app: String, environment: String) -> String {
        let allowed = Set("+=,.@_-".utf8)
        let name = "berth-\(app)-\(environment)".utf8.filter { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || allowed.contains(byte)
        }
        return String(decoding: name.prefix(64), as: UTF8.self)
    }
}
