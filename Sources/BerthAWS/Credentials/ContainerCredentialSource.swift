import Foundation

/// ECS and EKS container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on the ECS
/// agent's address) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with an optional
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` or `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
public struct ContainerCredentialSource: CredentialSource {
    /// The ECS agent's credential endpoint, for relative URIs.
    public static let agentEndpoint = Endpoint(scheme: "http", host: "169.254.170.2")

    let environment: [String: String]
    let http: HTTPClient
    let agent: Endpoint

    public init(environment: [String: String], http: HTTPClient, agent: Endpoint = ContainerCredentialSource.agentEndpoint) {
        self.environment = environment
        self.http = http
        self.agent = agent
    }

    public var name: String { "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI)" }

    /// Tries of one fetch, and the pause between them.
    static let attempts = 3
    static let retryPause = Duration.milliseconds(250)

    public func resolve() async throws -> Credentials? {
        let request: HTTPRequest
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            // Put after the agent's address as it is: without its slash it would change the host.
            guard relative.hasPrefix("/") else {
                throw CredentialsError(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path that starts with /, got \"\(ServerText.line(String(relative.prefix(64))))\"")
            }
            let (path, query) = Self.split(relative)
            request = HTTPRequest(method: "GET", endpoint: agent, path: path, query: query)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            guard let endpoint = Endpoint(url: full) else {
                throw CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI is \"\(Endpoint.quotable(full))\", not an http(s) URL")
            }
            guard Self.mayServeCredentials(endpoint) else {
                throw CredentialsError("AWS_CONTAINER_CREDENTIALS_FULL_URI must use https or a loopback or ECS/EKS agent address, got \(endpoint.host)")
            }
            let afterAuthority = full.range(of: "://").map { full[$0.upperBound...] } ?? ""
            let pathAndQuery = afterAuthority.firstIndex(of: "/").map { String(afterAuthority[$0...]) } ?? "/"
            let (path, query) = Self.split(pathAndQuery)
            request = HTTPRequest(method: "GET", endpoint: endpoint, path: path, query: query)
        } else {
            return nil
        }
        var signedRequest = request
        // Never through a proxy, as the AWS SDKs fetch container credentials: the proxy would
        // see the token and the credentials (a loopback endpoint is no link-local address).
        signedRequest.bypassesProxy = true
        if let token = try authorizationToken() { signedRequest.setHeader("Authorization", token) }
        // The agent can be slow to answer while it starts or under load: a refused or timed-out
        // request and a 5xx or 429 are tried again, three tries in all, as the AWS SDKs do.
        var attempt = 1
        while true {
            let response: HTTPResponse
            do {
                response = try await http.send(signedRequest, timeouts: .init(connect: .seconds(2), request: .seconds(5)))
            } catch {
                if Task.isCancelled { throw CancellationError() }
                guard attempt < Self.attempts else { throw CredentialsError("container credentials: \(error)") }
                attempt += 1
                try await Task.sleep(for: Self.retryPause)
                continue
            }
            if response.status == 429 || (500...599).contains(response.status), attempt < Self.attempts {
                attempt += 1
                try await Task.sleep(for: Self.retryPause)
                continue
            }
            guard response.status == 200 else {
                throw CredentialsError("container credentials endpoint \(request.endpoint) answered HTTP \(response.status)")
            }
            return try Self.decode(response.body, source: "container credentials")
        }
    }

    private func authorizationToken() throws -> String? {
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            let data: [UInt8]
            do {
                data = try RegularFile.read(file, limit: 1 << 20)
            } catch {
                throw CredentialsError("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file): it \(error.problem)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard HTTPRequest.Header.isSendable(token) else {
                throw CredentialsError(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file) holds a line break or another control character inside its token; "
                        + "it must hold the token alone")
            }
            return token
        }
        guard let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty else { return nil }
        guard HTTPRequest.Header.isSendable(token) else {
            throw CredentialsError("AWS_CONTAINER_AUTHORIZATION_TOKEN holds a line break or another control character; it must hold the token alone")
        }
        return token
    }

    /// Whether a full URI may be asked for credentials: over https, or at a loopback address,
    /// the ECS agent's, or EKS Pod Identity's (IPv4 or IPv6), as the AWS SDKs allow.
    static func mayServeCredentials(_ endpoint: Endpoint) -> Bool {
        endpoint.scheme == "https" || endpoint.isLoopback || ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"].contains(endpoint.host)
    }

    static func split(_ pathAndQuery: String) -> (String, [HTTPRequest.QueryItem]) {
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = parts.count > 1
            ? parts[1].split(separator: "&").map { pair -> HTTPRequest.QueryItem in
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(halves[0]).removingPercentEncoding ?? String(halves[0])
                let value = halves.count > 1 ? (String(halves[1]).removingPercentEncoding ?? String(halves[1])) : ""
                return HTTPRequest.QueryItem(name, value)
            } : []
        return (String(parts[0]).removingPercentEncoding ?? String(parts[0]), query)
    }

    /// Reads `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`, as the container and IMDS endpoints answer.
    static func decode(_ body: [UInt8], source: String) throws -> Credentials {
        struct Answer: Decodable {
            let AccessKeyId: String?
            let SecretAccessKey: String?
            let Token: String?
            let Expiration: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(body)), let keyID = answer.AccessKeyId,
            let secret = answer.SecretAccessKey
        else {
            throw CredentialsError("\(source): the answer holds no AccessKeyId and SecretAccessKey")
        }
        let token = answer.Token.flatMap { $0.isEmpty ? nil : $0 }
        return Credentials(
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: token,
            expiration: answer.Expiration.flatMap(ISO8601.date) ?? (token == nil ? nil : Credentials.unstatedExpiration()), source: source)
    }
}
