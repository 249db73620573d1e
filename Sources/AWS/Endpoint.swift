import Foundation

/// Where a service is reached: scheme, host and port.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int?

    public init(scheme: String = "https", host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Parses `https://host`, `http://127.0.0.1:5000` or `http://[::1]:80/`; a path is ignored.
    public init?(url text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = text[separator.upperBound...]
        if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let value = Int(rest.dropFirst()) else { return nil }
                port = value
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        }
        guard !host.isEmpty, (port.map { (1...65_535).contains($0) } ?? true) else { return nil }
        self.init(scheme: scheme, host: host.lowercased(), port: port)
    }

    private var isDefaultPort: Bool {
        guard let port else { return true }
        return (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
    }

    /// The `Host` header's value.
    public var hostHeader: String { isDefaultPort ? host : "\(host):\(port ?? 0)" }

    /// `scheme://host[:port]`.
    public var origin: String { "\(scheme)://\(hostHeader)" }

    /// Whether the host is this machine (127.0.0.0/8, localhost, ::1).
    public var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
    }

    public var description: String { origin }
}
