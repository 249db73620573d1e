/// EC2 instance metadata (IMDSv2): a session token, the instance role's name, then its
/// credentials. Switched off by `AWS_EC2_METADATA_DISABLED=true`; the endpoint can be moved with
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT`. Time-outs are short (1 s), so that a machine without
/// IMDS is hardly slowed down.
public struct InstanceMetadataCredentialSource: CredentialSource {
    public static let defaultEndpoint = Endpoint(scheme: "http", host: "169.254.169.254")

    let environment: [String: String]
    let http: HTTPClient
    let timeouts: HTTPClient.Timeouts

    public init(
        environment: [String: String], http: HTTPClient,
        timeouts: HTTPClient.Timeouts = .init(connect: .seconds(1), request: .seconds(1))
    ) {
        self.environment = environment
        self.http = http
        self.timeouts = timeouts
    }

    public var name: String {
        if isDisabled { return "EC2 instance metadata: switched off by AWS_EC2_METADATA_DISABLED=true, so not asked" }
        return "EC2 instance metadata at \(endpoint.map(\.description) ?? "?") (AWS_EC2_METADATA_DISABLED=true switches it off)"
    }

    public var isDisabled: Bool { environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" }

    var endpoint: Endpoint? {
        guard let value = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !value.isEmpty else {
            return Self.defaultEndpoint
        }
        return Endpoint(url: value)
    }

    public func resolve() async throws -> Credentials? {
        guard !isDisabled else { return nil }
        guard let endpoint else {
            throw CredentialsError("AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http(s) URL")
        }
        // The metadata service is this instance's own: its token and credentials never go
        // through a proxy, whatever HTTP_PROXY and NO_PROXY say.
        func direct(_ method: String, _ path: String, _ headers: [HTTPRequest.Header]) -> HTTPRequest {
            var request = HTTPRequest(method: method, endpoint: endpoint, path: path, headers: headers)
            request.bypassesProxy = true
            return request
        }
        let token: HTTPResponse
        do {
            token = try await http.send(direct("PUT", "/latest/api/token", [.init("X-aws-ec2-metadata-token-ttl-seconds", "21600")]), timeouts: timeouts)
        } catch {
            if error.kind == .stopped { throw CancellationError() }
            return nil  // no metadata service here
        }
        guard token.status == 200 else { return nil }
        let header = HTTPRequest.Header("X-aws-ec2-metadata-token", token.text)
        let rolePath = "/latest/meta-data/iam/security-credentials/"
        // A read stopped by the command's cancellation is a cancellation, as every other call's.
        func read(_ path: String) async throws -> HTTPResponse {
            do {
                return try await http.send(direct("GET", path, [header]), timeouts: timeouts)
            } catch {
                if error.kind == .stopped { throw CancellationError() }
                throw error
            }
        }
        let roles = try await read(rolePath)
        guard roles.status == 200, let role = roles.text.split(whereSeparator: \.isNewline).first else {
            throw CredentialsError("EC2 instance metadata: the instance has no IAM role (HTTP \(roles.status))")
        }
        let shownRole = ServerText.line(String(role)).prefix(128)
        let answer = try await read(rolePath + role)
        guard answer.status == 200 else {
            throw CredentialsError("EC2 instance metadata: credentials of role \(shownRole) answered HTTP \(answer.status)")
        }
        return try ContainerCredentialSource.decode(answer.body, source: "EC2 instance role \(shownRole)")
    }
}
