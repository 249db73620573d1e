import Foundation

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: it answers with a handler's scripted replies,
/// and can drop connections, answer slowly, or forward to another local server (a
/// fault-injecting proxy in front of moto). It listens on loopback only.
public final class TestHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public let method: String
        public let target: String
        public let headers: [String: String]
        public let body: [UInt8]

        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body's `application/x-www-form-urlencoded` fields (a query-protocol call).
        public var form: [String: String] {
            Dictionary(
                text.split(separator: "&").map { pair -> (String, String) in
                    let parts = pair.split(separator: "=", maxSplits: 1).map {
                        String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                    }
                    return (parts[0], parts.count > 1 ? parts[1] : "")
                }, uniquingKeysWith: { first, _ in first })
        }
    }

    public indirect enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: String = "")
        /// Closes the connection without answering.
        case drop
        /// Waits, then replies.
        case delay(Duration, Reply)
        /// Relays the request to a server on 127.0.0.1 and its answer back.
        case forward(port: Int)
        /// Answers with `chunk` written `count` times, one write at a time (a body of any size
        /// without holding it); stops writing when the client closes the connection.
        case stream(status: Int, headers: [(String, String)] = [], chunk: String, count: Int)
    }

    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var finished: [Request] = []
    private var stopped = false

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw TestServerError("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far.
    public var requests: [Request] { lock.withLock { recorded } }

    /// Every request handled so far, in the order their handling ended: its reply written (a
    /// forwarded one: the other server's answer relayed), or its connection dropped. What a
    /// test waits for when it must act after the client has its answer, not merely asked.
    public var answered: [Request] { lock.withLock { finished } }

    /// Stops listening. Safe to call twice: the socket is closed once, so that a later server
    /// that got the same descriptor number is never closed by mistake.
    public func stop() {
        let wasStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            #if canImport(Darwin)
            // Darwin has no MSG_NOSIGNAL: a write to a peer that closed fails instead of raising
            // SIGPIPE only with this set on the socket.
            var on: Int32 = 1
            setsockopt(connection, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        guard let request = Self.readRequest(connection) else { return }
        lock.withLock { recorded.append(request) }
        perform(handler(request), for: request, on: connection)
        lock.withLock { finished.append(request) }
    }

    private func perform(_ reply: Reply, for request: Request, on connection: Int32) {
        switch reply {
        case .drop:
            return
        case .delay(let duration, let next):
            let (seconds, attoseconds) = duration.components
            usleep(UInt32(seconds) * 1_000_000 + UInt32(attoseconds / 1_000_000_000_000))
            perform(next, for: request, on: connection)
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            Self.writeAll(connection, Array((head + "\r\n" + body).utf8))
        case .forward(let port):
            Self.writeAll(connection, Self.relay(request, toPort: port))
        case .stream(let status, let headers, let chunk, let count):
            var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(chunk.utf8.count * count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            guard Self.writeAll(connection, Array((head + "\r\n").utf8)) else { return }
            let bytes = Array(chunk.utf8)
            for _ in 0..<count where !Self.writeAll(connection, bytes) { return }
        }
    }

    static func readRequest(_ connection: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        while headerEnd == nil {
            let count = read(connection, &chunk, chunk.count)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            headerEnd = find([13, 10, 13, 10], in: buffer)
        }
        guard let end = headerEnd else { return nil }
        let head = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(buffer[(end + 4)...])
        while body.count < length {
            let count = read(connection, &chunk, chunk.count)
            guard count > 0 else { break }
            body += chunk[0..<count]
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    static func relay(_ request: Request, toPort port: Int) -> [UInt8] {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8) }
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for (name, value) in request.headers where name != "connection" { head += "\(name): \(value)\r\n" }
        head += "connection: close\r\n\r\n"
        writeAll(upstream, Array(head.utf8) + request.body)
        var answer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(upstream, &chunk, chunk.count)
            guard count > 0 else { break }
            answer += chunk[0..<count]
        }
        return answer
    }

    /// Writes `bytes` whole; false when the connection took no more (the peer closed it: no
    /// SIGPIPE, the write fails: MSG_NOSIGNAL here, SO_NOSIGPIPE on Darwin's accepted sockets).
    @discardableResult
    static func writeAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        #if canImport(Darwin)
        let flags: Int32 = 0
        #else
        let flags = Int32(MSG_NOSIGNAL)
        #endif
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, flags) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where Array(haystack[index..<(index + needle.count)]) == needle {
            return index
        }
        return nil
    }
}

public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
