/// An HTTP request as the AWS layer builds, signs and sends it.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var endpoint: Endpoint
    /// The path, not yet percent-encoded: `/`, `/latest/api/token`.
    public var path: String
    /// Query parameters, not yet percent-encoded, in the order given.
    public var query: [QueryItem]
    /// Header names as given; values as sent.
    public var headers: [Header]
    public var body: [UInt8]
    /// A URL to send exactly as given instead of one built from the endpoint, path and query: a
    /// pre-signed URL, whose query must not be re-encoded. It must be on `endpoint`.
    public var verbatimURL: String?
    /// The most bytes of answer body read before the transfer stops with an error; `nil` for the
    /// client's bound (`HTTPClient.maximumBodyBytes`, 64 MiB). A download whose size the caller bounds stops there, not after.
    public var maximumBodyBytes: Int?
    /// Whether the request goes directly, whatever the proxy settings: a credentials endpoint's
    /// (its request carries an authorization token, its answer credentials).
    public var bypassesProxy = false
    /// Whether cancelling the task that sends it stops it: true for a request that changes
    /// nothing. One that changes something is let finish, so that what it did is known (a change
    /// set made, a task started) and whoever follows up (a clean-up, the next run) can rely on it.
    public var stopsWhenCancelled = true

    /// One query parameter.
    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One header.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }

        /// Whether `text` can be sent in a header as it is: no control characters (a line
        /// break would end the header and start another).
        public static func isSendable(_ text: String) -> Bool {
            !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }
    }

    public init(
        method: String, endpoint: Endpoint, path: String = "/", query: [QueryItem] = [], headers: [Header] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.endpoint = endpoint
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name`, compared without case.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Sets `name` to `value`, replacing any header of that name.
    public mutating func setHeader(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
        headers.append(Header(name, value))
    }

    /// The `Host` header's value: the host, with the port when it is not the scheme's default.
    public var hostHeader: String { endpoint.hostHeader }

    /// The full URL, path and query percent-encoded as SigV4 encodes them.
    public var url: String {
        if let verbatimURL { return verbatimURL }
        var text = endpoint.origin + URIEncoding.encodePath(path)
        if !query.isEmpty {
            text += "?" + query.map { URIEncoding.encode($0.name) + "=" + URIEncoding.encode($0.value) }.joined(separator: "&")
        }
        return text
    }
}

/// An HTTP response.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names in lowercase.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
