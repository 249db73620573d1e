/// The proxies AWS calls go through, read as the AWS CLI reads them: `HTTPS_PROXY` for https
/// endpoints, `HTTP_PROXY` for http ones (either in lower case too), and `NO_PROXY` for hosts
/// that go direct. The instance metadata and container credential addresses never use a proxy.
public struct ProxySettings: Sendable, Hashable {
    public var https: String?
    public var http: String?
    /// Comma-separated hosts or domains (curl's NO_PROXY syntax; `*` for all).
    public var noProxy: String?

    /// No proxy at all.
    public init() {}

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            (environment[name] ?? environment[name.lowercased()]).flatMap { $0.isEmpty ? nil : $0 }
        }
        https = value("HTTPS_PROXY")
        http = value("HTTP_PROXY")
        noProxy = value("NO_PROXY")
    }

    /// Link-local addresses where credentials come from: always reached directly.
    static let directHosts: Set<String> = ["169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "[fd00:ec2::254]"]

    /// The proxy for a request to `endpoint`, or `nil` to go direct.
    public func proxy(for endpoint: Endpoint) -> String? {
        guard !Self.directHosts.contains(endpoint.host) else { return nil }
        return endpoint.scheme == "https" ? https : http
    }
}
