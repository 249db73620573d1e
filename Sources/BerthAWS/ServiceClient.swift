import Foundation

/// What every AWS client shares: region, endpoints, credentials, transport, retries, logging.
public struct AWSConfiguration: Sendable {
    public var region: String
    public var endpoints: EndpointResolver
    public var credentials: any CredentialProvider
    public var http: HTTPClient
    public var retry: RetryPolicy
    public var wireLog: WireLog?
    /// Waits between attempts; replaceable in tests.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        region: String, endpoints: EndpointResolver, credentials: any CredentialProvider, http: HTTPClient,
        retry: RetryPolicy = RetryPolicy(), wireLog: WireLog? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.region = region
        self.endpoints = endpoints
        self.credentials = credentials
        self.http = http
        self.retry = retry
        self.wireLog = wireLog
        self.sleep = sleep
    }
}

/// Sends one service's calls: signs them, retries what the policy allows, and turns error
/// answers into `AWSServiceError`s.
struct ServiceClient: Sendable {
    let service: AWSService
    let configuration: AWSConfiguration

    /// Whether `operation` only reads (or, as STS's, hands out credentials): one a cancelled
    /// command may stop waiting for. Any other is let finish (`HTTPRequest.stopsWhenCancelled`).
    static func changesNothing(_ operation: String) -> Bool {
        ["Describe", "List", "Get", "BatchGet", "Filter", "AssumeRole"].contains { operation.hasPrefix($0) }
    }

    /// Sends the request `makeRequest` builds for the service's endpoint, with retries; returns a
    /// 2xx answer, and what takes the request's secrets (and `secrets`, a token the request
    /// carries) out of it. With `withholdingBody`, an error answer that is no AWS error document
    /// is reported by its shape, never its body (a proxy could echo the request's token in it);
    /// any other is scrubbed of the request's secrets.
    func send(
        operation: String, signed: Bool = true, withholdingBody: Bool = false, secrets: [String] = [], makeRequest: (Endpoint) -> HTTPRequest
    ) async throws -> (response: HTTPResponse, scrubber: SecretScrubber) {
        let endpoint = try configuration.endpoints.endpoint(for: service)
        var attempt = 0
        while true {
            attempt += 1
            var request = makeRequest(endpoint)
            request.stopsWhenCancelled = Self.changesNothing(operation)
            var scrubber = SecretScrubber(secrets)
            if signed {
                let credentials = try await configuration.credentials.credentials()
                SigV4Signer(credentials: credentials, region: configuration.region, service: service.signingName)
                    .sign(&request)
                scrubber = SecretScrubber(signed: request, credentials: credentials, more: secrets)
            }
            configuration.wireLog?.request(request, operation: operation, attempt: attempt)
            let started = ContinuousClock.now
            let failure: any Error
            var retryAfter: Duration?
            do {
                let response = try await configuration.http.send(request)
                configuration.wireLog?.response(response, operation: operation, elapsed: ContinuousClock.now - started, scrubbing: scrubber)
                if (200..<300).contains(response.status) { return (response, scrubber) }
                failure = errorFromAnswer(response, operation: operation, withholdingBody: withholdingBody, scrubbing: scrubber)
                retryAfter = response.headers["retry-after"].flatMap(Int.init).map { Duration.seconds($0) }
            } catch {
                configuration.wireLog?.failure(error, operation: operation)
                if error.kind == .stopped { throw CancellationError() }
                var error = error
                // Named as an error answer is: which call of a deploy's many could not be made.
                error.call = "\(service.rawValue) \(operation)"
                failure = error
            }
            guard attempt < configuration.retry.maxAttempts, configuration.retry.isRetryable(failure) else {
                throw failure
            }
            try await configuration.sleep(configuration.retry.delay(afterAttempt: attempt, retryAfter: retryAfter))
        }
    }

    /// A query-protocol call (CloudFormation, STS): form-encoded parameters, an XML answer.
    /// Returns the `<ActionResult>` element (or the root when the answer has none). When the
    /// answer `holdsCredentials`, a malformed one is reported by its shape, never its body.
    func query(
        action: String, version: String, parameters: [HTTPRequest.QueryItem], signed: Bool = true, holdsCredentials: Bool = false
    ) async throws -> XMLNode {
        let body = URIEncoding.formBody([.init("Action", action), .init("Version", version)] + parameters)
        // A token the request carries (AssumeRoleWithWebIdentity's) is a secret of its own.
        let tokens = parameters.filter { WireLog.secretNames.contains($0.name) }.map(\.value)
        let (response, scrubber) = try await send(operation: action, signed: signed, withholdingBody: holdsCredentials, secrets: tokens) { endpoint in
            HTTPRequest(
                method: "POST", endpoint: endpoint,
                headers: [.init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: body)
        }
        guard let root = try XMLNode.parse(response.body), root.name == "\(action)Response" else {
            throw UnexpectedResponseError(
                service: service.rawValue, operation: action, status: response.status, body: scrubber.scrub(response.body),
                withholdingBody: holdsCredentials)
        }
        return root.child("\(action)Result") ?? root
    }

    /// A JSON 1.1 call (ECR, ECS): `X-Amz-Target` names the operation. With `holdsSecrets`, a
    /// malformed answer's body is not repeated in the error (ExecuteCommand's session token, a
    /// pre-signed layer URL).
    func json<Request: Encodable, Response: Decodable>(
        targetPrefix: String, operation: String, request: Request, as: Response.Type, holdsSecrets: Bool = false
    ) async throws -> Response {
        // The answers that carry containers' environment values (a hand-made task definition's
        // secrets) are never repeated in an error either.
        let holdsSecrets = holdsSecrets || WireLog.environmentOperations.contains(operation)
        let body = try Array(JSONEncoder().encode(request))
        let (response, scrubber) = try await send(operation: operation, withholdingBody: holdsSecrets) { endpoint in
            HTTPRequest(
                method: "POST", endpoint: endpoint,
                headers: [
                    .init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "\(targetPrefix).\(operation)"),
                ],
                body: body)
        }
        // An error document is an error whatever the status: read as a success, its missing
        // fields would pass for an empty answer (no policy, no tags).
        if let type = (try? JSONDecoder().decode(ErrorTypeProbe.self, from: Data(response.body)))?.__type, !type.isEmpty {
            throw errorFromAnswer(response, operation: operation, withholdingBody: holdsSecrets, scrubbing: scrubber)
        }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(response.body))
        } catch {
            throw UnexpectedResponseError(
                service: service.rawValue, operation: operation, status: response.status, body: scrubber.scrub(response.body),
                withholdingBody: holdsSecrets)
        }
    }

    /// The one key of a JSON error document that no answer of a JSON 1.1 service has.
    private struct ErrorTypeProbe: Decodable {
        let __type: String?
    }

    /// The error an answer that is not 2xx carries: an AWS error when the body is one (XML or
    /// JSON), else an `UnexpectedResponseError` with the start of the body; what the server says
    /// with the request's secrets taken out (`scrubber`).
    func errorFromAnswer(_ response: HTTPResponse, operation: String, withholdingBody: Bool = false, scrubbing scrubber: SecretScrubber) -> any Error {
        let requestID = response.headers["x-amzn-requestid"] ?? response.headers["x-amz-request-id"]
        let trimmed = response.body.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        if trimmed.first == UInt8(ascii: "<"), let root = try? XMLNode.parse(Array(trimmed)),
            let code = Self.find("Code", in: root)?.text, !code.isEmpty
        {
            return AWSServiceError(
                service: service.rawValue, operation: operation, status: response.status, code: scrubber.scrub(code),
                message: scrubber.scrub(Self.find("Message", in: root)?.text ?? ""),
                requestID: (Self.find("RequestId", in: root)?.text ?? Self.find("RequestID", in: root)?.text ?? requestID).map(scrubber.scrub))
        }
        if trimmed.first == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(trimmed)) as? [String: Any]
        {
            let type = (object["__type"] as? String) ?? (object["code"] as? String) ?? response.headers["x-amzn-errortype"] ?? ""
            let code = String(type.split(separator: "#").last ?? "").split(separator: ":").first.map(String.init) ?? ""
            if !code.isEmpty {
                let message = scrubber.scrub((object["message"] as? String) ?? (object["Message"] as? String) ?? "")
                return AWSServiceError(
                    service: service.rawValue, operation: operation, status: response.status, code: scrubber.scrub(code), message: message,
                    requestID: requestID.map(scrubber.scrub))
            }
        }
        return UnexpectedResponseError(
            service: service.rawValue, operation: operation, status: response.status, body: scrubber.scrub(response.body), withholdingBody: withholdingBody)
    }

    /// The first element named `name` anywhere below `node`, depth first.
    static func find(_ name: String, in node: XMLNode) -> XMLNode? {
        if node.name == name { return node }
        for child in node.children {
            if let found = find(name, in: child) { return found }
        }
        return nil
    }
}
