import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// The retry policy through a fault-injecting proxy in front of moto.
@Suite struct RetryTests {
    /// A proxy that plays `faults` for the first requests, then forwards to moto.
    private func proxy(_ faults: [TestHTTPServer.Reply]) async throws -> TestHTTPServer {
        let moto = try await MotoServer.open.endpoint()
        let script = Script(faults)
        return try TestHTTPServer { _ in script.next() ?? .forward(port: moto.port ?? 0) }
    }

    private final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var replies: [TestHTTPServer.Reply]
        init(_ replies: [TestHTTPServer.Reply]) { self.replies = replies }
        func next() -> TestHTTPServer.Reply? { lock.withLock { replies.isEmpty ? nil : replies.removeFirst() } }
    }

    private static let throttled = TestHTTPServer.Reply.respond(
        status: 400, headers: [("Content-Type", "text/xml")],
        body: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>")

    private func sts(_ server: TestHTTPServer, sleeps: RecordedSleeps, attempts: Int = 3, log: CapturedLog? = nil) throws -> STSClient {
        let endpoint = try #require(Endpoint(url: server.url))
        return STSClient(
            configuration: try testConfiguration(
                endpoint: endpoint, region: "us-east-1", retry: RetryPolicy(maxAttempts: attempts, random: { 0.5 }),
                wireLog: log?.wireLog, sleeps: sleeps, timeouts: .init(connect: .seconds(2), request: .milliseconds(800))))
    }

    @Test func throttlingAndUnavailableAnswersAreRetriedWithinTheBudget() async throws {
        let server = try await proxy([Self.throttled, .respond(status: 503, body: "<html>busy</html>")])
        let sleeps = RecordedSleeps()
        let identity = try await sts(server, sleeps: sleeps).getCallerIdentity()
        #expect(identity.account == "123456789012")
        #expect(server.requests.count == 3)
        // Full jitter with the random share fixed at 0.5: half of 1 s, then half of 2 s.
        #expect(sleeps.durations == [.milliseconds(500), .seconds(1)])
    }

    @Test func droppedConnectionsAndSlowAnswersAreRetried() async throws {
        let server = try await proxy([.drop, .delay(.seconds(2), Self.throttled)])
        let sleeps = RecordedSleeps()
        #expect(try await sts(server, sleeps: sleeps).getCallerIdentity().account == "123456789012")
        #expect(server.requests.count == 3)
        #expect(sleeps.durations.count == 2)
    }

    @Test func givingUpSaysWhatFailedLast() async throws {
        let server = try await proxy([Self.throttled, Self.throttled, Self.throttled, Self.throttled])
        let sleeps = RecordedSleeps()
        await #expect {
            try await sts(server, sleeps: sleeps).getCallerIdentity()
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.code == "Throttling" && error.message == "Rate exceeded" && error.requestID == "r1"
                && error.description == "sts GetCallerIdentity failed: Throttling: Rate exceeded (HTTP 400, request r1)"
        }
        #expect(server.requests.count == 3)
    }

    @Test func otherClientErrorsAreNeverRetried() async throws {
        let server = try await proxy([
            .respond(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>bad</Message></Error></ErrorResponse>")
        ])
        let sleeps = RecordedSleeps()
        await #expect(throws: AWSServiceError.self) { try await sts(server, sleeps: sleeps).getCallerIdentity() }
        #expect(server.requests.count == 1)
        #expect(sleeps.durations.isEmpty)
    }

    @Test func retryAfterIsHonouredUpToTheCap() async throws {
        let server = try await proxy([
            .respond(status: 503, headers: [("Retry-After", "7")], body: ""),
            .respond(status: 503, headers: [("Retry-After", "600")], body: ""),
        ])
        let sleeps = RecordedSleeps()
        _ = try await sts(server, sleeps: sleeps).getCallerIdentity()
        #expect(sleeps.durations == [.seconds(7), .seconds(20)])
    }

    @Test func anHTMLPageIsAClearErrorWithItsStart() async throws {
        let server = try await proxy([.respond(status: 502, headers: [("Content-Type", "text/html")], body: "<html><body>Bad gateway from the corporate proxy</body></html>")])
        await #expect {
            try await sts(server, sleeps: RecordedSleeps(), attempts: 1).getCallerIdentity()
        } throws: { error in
            "\(error)" == "sts GetCallerIdentity: unexpected answer (HTTP 502): an HTML page \"Bad gateway from the corporate proxy\" of 62 bytes, not an AWS answer"
        }
    }

    /// An HTML error page (moto's 500 page, a proxy's) is summarized in one line by its title or
    /// heading, never printed whole; other bodies lose their line breaks and control characters.
    @Test func htmlPagesAreSummarizedInOneLine() {
        let moto = """
            <!doctype html>
            <html lang=en>
            <title>500 Internal Server Error</title>
            <h1>Internal Server Error</h1>
            <p>The server encountered an internal error and was unable to complete your request.</p>
            """
        let pages: [(String, String)] = [
            (moto, "an HTML page \"500 Internal Server Error\" of \(moto.utf8.count) bytes"),
            ("\n  <HTML><HEAD><TITLE>\n Access\tDenied \n</TITLE></HEAD><BODY>secret</BODY></HTML>", "an HTML page \"Access Denied\" of"),
            ("<!DOCTYPE html><html><body><h1 class=\"x\">Gateway <b>Timeout</b></h1></body></html>", "an HTML page \"Gateway Timeout\" of"),
            ("<html><head><style>p {}</style><script>var x = '<p>';</script></head><body><!-- c -->Busy</body></html>", "an HTML page \"Busy\" of"),
            ("<html><title>" + String(repeating: "long ", count: 100) + "</title></html>", "an HTML page \"long long"),
        ]
        for (page, expected) in pages {
            let text = UnexpectedResponseError(service: "cloudformation", operation: "UpdateTerminationProtection", status: 500, body: Array(page.utf8))
                .description
            #expect(text.hasPrefix("cloudformation UpdateTerminationProtection: unexpected answer (HTTP 500): \(expected)"), "\(text)")
            #expect(!text.contains("\n") && !text.contains("<") && !text.contains("secret") && text.count < 250, "\(text)")
        }
        let plain = UnexpectedResponseError(service: "ecr", operation: "DescribeImages", status: 500, body: Array("a\nb\u{1B}[31mc\td".utf8))
        #expect(plain.description == "ecr DescribeImages: unexpected answer (HTTP 500): a b [31mc d")
        let xml = UnexpectedResponseError(service: "sts", operation: "X", status: 200, body: Array("<?xml version=\"1.0\"?><title>t</title>".utf8))
        #expect(xml.htmlTitle == nil)
        // A withheld body is said by its shape: a malformed answer, or an error that is no AWS error document.
        let token = Array("echo of token=AQoDYXdzEJr".utf8)
        let malformed = UnexpectedResponseError(service: "sts", operation: "AssumeRole", status: 200, body: token, withholdingBody: true).description
        let proxied = UnexpectedResponseError(service: "sts", operation: "AssumeRole", status: 403, body: token, withholdingBody: true).description
        #expect(malformed == "sts AssumeRole: unexpected answer (HTTP 200, 25 bytes, not the AssumeRoleResponse document; not shown, as it may hold secrets)")
        #expect(proxied == "sts AssumeRole: unexpected answer (HTTP 403, 25 bytes, not an AWS error document; not shown, as it may hold secrets)")
        let multiLine = AWSServiceError(service: "ecs", operation: "Y", status: 400, code: "E", message: "one\ntwo\r\n\tthree", requestID: nil)
        #expect(multiLine.description == "ecs Y failed: E: one two three (HTTP 400)")
    }

    @Test func aConnectionRefusedIsATransportError() async throws {
        // A port bound but not listening refuses connections, and stays reserved while the test
        // runs: no other test's server can take it in between.
        let reserved = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(reserved) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(reserved, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(reserved, $0, &length) }
        }
        let endpoint = try #require(Endpoint(url: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"))
        let client = STSClient(configuration: try testConfiguration(endpoint: endpoint, retry: RetryPolicy(maxAttempts: 2, random: { 0 })))
        await #expect {
            try await client.getCallerIdentity()
        } throws: { error in
            (error as? TransportError)?.kind == .connection
        }
    }

    @Test func backoffGrowsExponentiallyUpToTwentySeconds() {
        let policy = RetryPolicy(maxAttempts: 10, random: { 0.999_999 })
        let delays = (1...7).map { policy.delay(afterAttempt: $0) }
        #expect(delays.map { Int($0.components.seconds) } == [0, 1, 3, 7, 15, 19, 19])
        let zero = RetryPolicy(random: { 0 })
        #expect(zero.delay(afterAttempt: 3) == .zero)
        // A Retry-After below zero asks for nothing a server may ask: the backoff stands.
        #expect(policy.delay(afterAttempt: 2, retryAfter: .seconds(-9_000_000_000)) == policy.delay(afterAttempt: 2))
        #expect(policy.delay(afterAttempt: 2, retryAfter: .seconds(3)) == .seconds(3))
    }
}
