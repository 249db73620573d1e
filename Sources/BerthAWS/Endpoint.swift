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
    /// Anything else is `nil`: another scheme, user information (`user:pass@`), whitespace,
    /// control or non-ASCII characters before the path, a host that is not a DNS name, an IPv4 address or a bracketed IPv6
    /// address, a port that is not 1 to 65535 in plain digits, or text after the host that is not
    /// a port, path, query or fragment.
    public init?(url text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var authority = text[separator.upperBound...]
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { authority = authority[..<end] }
        guard !authority.contains("@"), !authority.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }) else { return nil }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
            let address = host.dropFirst().dropLast()
            guard address.contains(":"), address.allSatisfy({ ($0.isASCII && $0.isHexDigit) || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
            guard Self.isHostName(host) else { return nil }
        }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(portText), (1...65_535).contains(value)
            else { return nil }
            port = value
        }
        self.init(scheme: scheme, host: host.lowercased(), port: port)
    }

    /// Parses the URL of a service's endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL`): as
    /// `init(url:)` does, and with nothing after the host and port but a final `/`. Every call
    /// goes to the endpoint's root, so a path, query or fragment given would be dropped unseen.
    public init?(serviceURL text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        let afterScheme = text[separator.upperBound...]
        if let start = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            guard afterScheme[start...] == "/" else { return nil }
        }
        self.init(url: text)
    }

    /// A DNS name or IPv4 address: dot-separated labels of letters, digits, hyphens and
    /// underscores (container names), none empty or starting or ending with a hyphen; a final dot
    /// is allowed.
    private static func isHostName(_ host: Substring) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        let name = host.hasSuffix(".") ? host.dropLast() : host
        return !name.isEmpty && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    private var isDefaultPort: Bool {
        guard let port else { return true }
        return (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
    }

    /// The `Host` header's value.
    public var hostHeader: String { isDefaultPort ? host : "\(host):\(port ?? 0)" }

    /// `scheme://host[:port]`.
    public var origin: String { "\(scheme)://\(hostHeader)" }

    /// Whether the host is this machine (127.0.0.0/8 written as four numbers, localhost, ::1);
    /// a name such as `127.example.com` is not, whatever it resolves to.
    public var isLoopback: Bool {
        host == "localhost" || host == "[::1]" || Self.isLoopbackAddress(host)
    }

    private static func isLoopbackAddress(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { octet in
                octet.count <= 3 && octet.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                    && (Int(octet).map { $0 <= 255 } ?? false)
            }
    }

    public var description: String { origin }
}
