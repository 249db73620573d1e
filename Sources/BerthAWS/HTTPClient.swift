import CBerthShims
import Foundation

/// Sends HTTP requests through the system's libcurl.
///
/// libcurl calls block, so each runs on a thread of its own: never on Swift's cooperative thread
/// pool, nor on libdispatch's, which on Linux is the same threads (as many as the machine has
/// cores): calls blocked there stalled every task, a command's deadline among them, and queued
/// the calls after them. Easy handles are pooled so that requests reuse connections. `AWS_CA_BUNDLE`-style
/// CA files and proxies (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, see `ProxySettings`) are honoured.
public final class HTTPClient: @unchecked Sendable {
    /// How long to wait for a connection and for a whole answer.
    public struct Timeouts: Sendable, Hashable {
        public var connect: Duration
        public var request: Duration

        public init(connect: Duration = .seconds(5), request: Duration = .seconds(60)) {
            self.connect = connect
            self.request = request
        }
    }

    public let timeouts: Timeouts
    /// A CA bundle to trust instead of the system's.
    public let caBundle: String?
    public let proxies: ProxySettings
    /// The most bytes of answer body read for a request that sets no bound of its own
    /// (`HTTPRequest.maximumBodyBytes`): `defaultMaximumBodyBytes` unless a test asks for less.
    public let maximumBodyBytes: Int
    /// The client's bound on an answer's body: 64 MiB, past anything an AWS answer Berth reads holds.
    public static let defaultMaximumBodyBytes = 64 << 20
    /// How many requests of this client are in flight at most (`defaultMaximumConcurrentRequests`
    /// unless a test asks for fewer); the others wait their turn.
    public let maximumConcurrentRequests: Int
    /// 32: what `--concurrency` allows at most, each stack's deploy making one call at a time.
    public static let defaultMaximumConcurrentRequests = 32
    private let turns: RequestLimit
    private let lock = NSLock()
    private var idleHandles: [UnsafeMutableRawPointer] = []

    /// Loads libcurl, and libcrypto for signing; throws when the system lacks either.
    public init(
        timeouts: Timeouts = Timeouts(), caBundle: String? = nil, proxies: ProxySettings = ProxySettings(),
        maximumBodyBytes: Int = HTTPClient.defaultMaximumBodyBytes, maximumConcurrentRequests: Int = HTTPClient.defaultMaximumConcurrentRequests
    ) throws(SystemLibraryError) {
        try SystemLibraryError.load { berth_curl_load($0, $1) }
        try Crypto.load()
        self.timeouts = timeouts
        self.caBundle = caBundle
        self.proxies = proxies
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumConcurrentRequests = max(1, maximumConcurrentRequests)
        self.turns = RequestLimit(maximumConcurrentRequests)
    }

    deinit {
        for handle in idleHandles { berth_http_handle_free(handle) }
    }

    /// Sends `request` and returns the answer, whatever its status, once fewer than
    /// `maximumConcurrentRequests` are in flight. Cancelling the task stops the transfer within
    /// about a second (a `.stopped` error) when the request `stopsWhenCancelled`, so that an
    /// interrupted or timed-out command does not wait for a slow answer to a read.
    public func send(_ request: HTTPRequest, timeouts: Timeouts? = nil) async throws(TransportError) -> HTTPResponse {
        let timeouts = timeouts ?? self.timeouts
        await turns.enter()
        let result: Result<HTTPResponse, TransportError>
        if request.stopsWhenCancelled {
            let stop = StopFlag()
            result = await withTaskCancellationHandler {
                await performOnThreadOfItsOwn(request, timeouts: timeouts, stop: stop)
            } onCancel: {
                stop.raise()
            }
        } else {
            result = await performOnThreadOfItsOwn(request, timeouts: timeouts, stop: nil)
        }
        await turns.leave()
        return try result.get()
    }

    /// `perform`, on a thread started for it; a thread that cannot be started (the process is
    /// at its limit of threads) is the call's failure, never a wait: a connection failure, as
    /// nothing was sent, and retried as one.
    private func performOnThreadOfItsOwn(_ request: HTTPRequest, timeouts: Timeouts, stop: StopFlag?) async -> Result<HTTPResponse, TransportError> {
        await withCheckedContinuation { continuation in
            let status = Self.onThreadOfItsOwn { continuation.resume(returning: self.perform(request, timeouts: timeouts, stop: stop)) }
            guard status != 0 else { return }
            continuation.resume(
                returning: .failure(
                    TransportError(
                        kind: .connection, endpoint: request.endpoint.origin,
                        message: "could not start a thread for the call: \(String(cString: strerror(status))) (the process may be at its limit of threads)")))
        }
    }

    /// What a new thread runs.
    private final class ThreadWork {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }

    /// Runs `work`, which blocks, on a new detached thread of 1 MiB of stack; returns
    /// `pthread_create`'s answer, 0 when the thread started (Foundation's `Thread` ignores it, and
    /// `work` would never run).
    private static func onThreadOfItsOwn(_ work: @escaping @Sendable () -> Void) -> Int32 {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, 1 << 20)
        let context = Unmanaged.passRetained(ThreadWork(work)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attributes, { argument in
            // Optional on Linux, not on Darwin: taken as optional on both.
            let raw: UnsafeMutableRawPointer? = argument
            guard let raw else { return nil }
            Unmanaged<ThreadWork>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, context)
        if status != 0 { Unmanaged<ThreadWork>.fromOpaque(context).release() }
        return status
    }

    /// A flag the transfer reads while it runs, raised from the cancelling thread.
    private final class StopFlag: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Int32>
        init() {
            pointer = .allocate(capacity: 1)
            pointer.initialize(to: 0)
        }
        func raise() { berth_flag_raise(pointer) }
        deinit { pointer.deallocate() }
    }

    private func checkOutHandle() -> UnsafeMutableRawPointer? {
        lock.withLock { idleHandles.popLast() } ?? berth_http_handle_new()
    }

    private func checkIn(_ handle: UnsafeMutableRawPointer) {
        lock.withLock { idleHandles.append(handle) }
    }

    private func perform(_ request: HTTPRequest, timeouts: Timeouts, stop: StopFlag?) -> Result<HTTPResponse, TransportError> {
        let endpoint = request.endpoint.origin
        guard let handle = checkOutHandle() else {
            return .failure(TransportError(kind: .other, endpoint: endpoint, message: "libcurl could not create a handle"))
        }
        defer { checkIn(handle) }
        // A line break in a header would end it and start another: never sent (the value is
        // not shown: it may be a token).
        if let header = request.headers.first(where: { !HTTPRequest.Header.isSendable($0.name + $0.value) }) {
            return .failure(TransportError(
                kind: .other, endpoint: endpoint, message: "the header \(ServerText.line(header.name).prefix(64)) holds a control character; not sent"))
        }
        var headerLines = request.headers.map { strdup("\($0.name): \($0.value)") }
        defer { headerLines.forEach { free($0) } }
        // C copies of the strings, so that one call sees them all without nested closures.
        let strings = [request.method, request.url, caBundle, (request.bypassesProxy ? nil : proxies.proxy(for: request.endpoint)) ?? "", proxies.noProxy]
            .map { $0.map { strdup($0) } ?? nil }
        defer { strings.forEach { free($0) } }
        var response = berth_http_response()
        request.body.withUnsafeBufferPointer { body in
            headerLines.withUnsafeMutableBufferPointer { lines in
                lines.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constLines in
                    var native = berth_http_request(
                        method: strings[0], url: strings[1], headers: constLines.baseAddress,
                        header_count: constLines.count, body: body.baseAddress, body_length: body.count,
                        connect_timeout_ms: Self.milliseconds(timeouts.connect), timeout_ms: Self.milliseconds(timeouts.request),
                        ca_bundle: strings[2], proxy: strings[3], no_proxy: strings[4],
                        body_limit: size_t(max(1, request.maximumBodyBytes ?? maximumBodyBytes)), stop: stop.map { UnsafePointer($0.pointer) })
                    berth_http_perform(handle, &native, &response)
                }
            }
        }
        defer { berth_http_response_free(&response) }
        if response.error_code != 0 {
            let message = withUnsafeBytes(of: response.error_message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let kind: TransportError.Kind = switch response.error_kind {
            case 1: .timeout
            case 2: .connection
            case 3: .tooLarge
            case 4: .stopped
            default: .other
            }
            return .failure(TransportError(kind: kind, endpoint: endpoint, message: message))
        }
        let body = response.body.map { Array(UnsafeBufferPointer(start: $0, count: response.body_length)) } ?? []
        let headerText = response.headers.map {
            String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: response.headers_length), as: UTF8.self)
        } ?? ""
        return .success(HTTPResponse(status: response.status, headers: Self.parseHeaders(headerText), body: body))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Header lines of one response, names lowercased; repeated names are joined with commas.
    static func parseHeaders(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }).dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0),\(value)" } ?? value
        }
        return headers
    }
}
