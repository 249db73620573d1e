/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialSource: CredentialSource {
    public let environment: [String: String]
    public init(environment: [String: String]) { self.environment = environment }

    public var name: String { "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" }

    public func resolve() async throws -> Credentials? {
        let keyID = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyID, secret) {
        case (nil, nil): return nil
        case (let keyID?, let secret?):
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, source: "environment")
        case (nil, _): throw CredentialsError("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil): throw CredentialsError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }
}
