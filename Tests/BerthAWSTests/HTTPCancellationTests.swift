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
