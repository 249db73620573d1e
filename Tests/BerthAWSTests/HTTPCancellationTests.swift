import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// A cancelled task stops its request at once, instead of waiting out the request's time-out
/// (a minute, or the command's `--timeout`): an interrupted or timed-out command ends promptly.
@Suite struct HTTPCancellationTests {
    /// Waits (up to 10 s) until `server` has received a request.
    private func untilReceived(_ server: TestHTTPServer) async throws {
        for _ in 0..<1000 where server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try #require(!server.requests.isEmpty, "the request never arrived")
    }

    @Test func aCancelledRequestStopsWithoutWaitingForItsAnswer() async throws {
        let server = try TestHTTPServer { _ in .delay(.seconds(120), .respond(status: 200)) }
        defer { server.stop() }
        let http = try HTTPClient(timeouts: .init(connect: .seconds(5), request: .seconds(120)))
        let request = HTTPRequest(method: "GET", endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), path: "/slow")
        let sending = Task { () -> TransportError? in
            do {
                _ = try await http.send(request)
                return nil
            } catch let error as TransportError {
                return error
            } catch {
                return nil
            }
        }
        try await untilReceived(server)
        sending.cancel()
        let error = await sending.value
        #expect(error?.kind == .stopped, "\(String(describing: error))")
        #expect(error?.description == "request to \(server.url) stopped: the command was interrupted or ran out of time")
    }

    /// Calls that wait on a slow server hold no thread Swift's tasks need: many more calls than
    /// the machine has cores are all under way at once, and cancelling them stops every one. On
    /// Linux, libdispatch's threads are the tasks' too (as many as the cores): run there, the
    /// calls after the first few queued, and the deadline that cancels them waited behind them.
    @Test func callsWaitingOnASlowServerDoNotHoldTheTasksThreads() async throws {
        // When each call arrived, by the server's clock: the test's own task may be held too.
        let arrivals = Arrivals()
        let server = try TestHTTPServer { _ in
            arrivals.note()
            return .delay(.seconds(120), .respond(status: 200))
        }
        defer { server.stop() }
        let http = try HTTPClient(timeouts: .init(connect: .seconds(5), request: .seconds(120)))
        let request = HTTPRequest(method: "GET", endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), path: "/slow")
        let calls = 4 * ProcessInfo.processInfo.activeProcessorCount + 4
        let sending = sendingAtOnce(calls, of: request, with: http)
        for _ in 0..<3000 where server.requests.count < calls { try await Task.sleep(for: .milliseconds(10)) }
        // Each call is a thread's start away (milliseconds); queued, they came about one a second,
        // as libdispatch added threads.
        let spread = arrivals.spread
        #expect(server.requests.count == calls && spread < .seconds(3), "\(server.requests.count) of \(calls) calls, over \(spread)")
        sending.cancel()
        let kinds = await sending.value
        #expect(kinds.count == calls && kinds.allSatisfy { $0 == .stopped }, "\(kinds)")
    }

    /// At most `maximumConcurrentRequests` calls of a client are in flight: the others wait
    /// their turn (an app of hundreds of services read side by side opens no thread and no
    /// connection for each at once), and every one is answered. The server holds each call
    /// until the test lets it go, so no clock decides.
    @Test func callsPastTheClientsLimitWaitTheirTurn() async throws {
        let gate = Gate()
        let server = try TestHTTPServer { _ in
            gate.pass()
            return .respond(status: 200, body: "ok")
        }
        defer { server.stop() }
        let http = try HTTPClient(timeouts: .init(connect: .seconds(5), request: .seconds(30)), maximumConcurrentRequests: 3)
        let request = HTTPRequest(method: "GET", endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), path: "/held")
        let sending = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<7 { group.addTask { try await http.send(request).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        try await waitUntil("three calls to arrive") { server.requests.count >= 3 }
        // Held at the server, the three keep every turn: no fourth is sent meanwhile.
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.requests.count == 3, "\(server.requests.count) calls in flight")
        gate.open()
        let statuses = try await sending.value
        #expect(statuses == Array(repeating: 200, count: 7))
        #expect(server.requests.count == 7)
    }

    /// A read cancelled while it waits its turn is not sent at all: its stop flag is up before
    /// its transfer starts.
    @Test func aReadCancelledWhileItWaitsIsNotSent() async throws {
        let gate = Gate()
        let server = try TestHTTPServer { _ in
            gate.pass()
            return .respond(status: 200, body: "ok")
        }
        defer {
            gate.open()
            server.stop()
        }
        let http = try HTTPClient(timeouts: .init(connect: .seconds(5), request: .seconds(30)), maximumConcurrentRequests: 2)
        let request = HTTPRequest(method: "GET", endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), path: "/held")
        let sending = sendingAtOnce(3, of: request, with: http)
        try await waitUntil("two calls to arrive") { server.requests.count >= 2 }
        sending.cancel()
        let kinds = await sending.value
        #expect(kinds.count == 3 && kinds.allSatisfy { $0 == .stopped }, "\(kinds)")
        #expect(server.requests.count == 2, "the third read was sent")
    }

    /// `count` sends of `request` at once, in a task: how each ended, a transport error's kind
    /// or `nil` (answered, or another error).
    private func sendingAtOnce(_ count: Int, of request: HTTPRequest, with http: HTTPClient) -> Task<[TransportError.Kind?], Never> {
        Task {
            await withTaskGroup(of: TransportError.Kind?.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        do {
                            _ = try await http.send(request)
                            return nil
                        } catch let error as TransportError {
                            return error.kind
                        } catch {
                            return nil
                        }
                    }
                }
                return await group.reduce(into: [TransportError.Kind?]()) { $0.append($1) }
            }
        }
    }

    /// Holds the server's answers until opened.
    private final class Gate: @unchecked Sendable {
        private let condition = NSCondition()
        private var isOpen = false
        func pass() {
            condition.lock()
            while !isOpen { condition.wait() }
            condition.unlock()
        }
        func open() {
            condition.lock()
            isOpen = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The times requests arrived at a server.
    private final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [ContinuousClock.Instant] = []
        func note() { lock.withLock { times.append(.now) } }
        /// From the first arrival to the last.
        var spread: Duration {
            lock.withLock {
                guard let first = times.min(), let last = times.max() else { return .zero }
                return last - first
            }
        }
    }

    /// Credentials fetched for several callers are fetched in a task of their own: a caller
    /// cancelled meanwhile stops waiting at once, and one that is not (a clean-up's) still gets
    /// them.
    @Test func aCancelledCallerStopsWaitingForSharedCredentials() async throws {
        let answer = #"{"AccessKeyId":"ASIASHARED","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#
        let server = try TestHTTPServer { _ in .delay(.seconds(2), .respond(status: 200, body: answer)) }
        defer { server.stop() }
        let chain = CredentialChain(sources: [
            ContainerCredentialSource(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/creds"], http: try HTTPClient())
        ])
        let cancelled = Task { try await chain.credentials() }
        try await untilReceived(server)
        let patient = Task { try await chain.credentials() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(try await patient.value.accessKeyID == "ASIASHARED")
        #expect(server.requests.count == 1, "one fetch, shared")
    }
}
