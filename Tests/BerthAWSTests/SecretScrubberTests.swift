import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS

/// A server (a proxy, a fake) that echoes the request in its error answer does not have Berth
/// print the request's secrets: the secret key, the session token and the signature are taken
/// out of the error and of the --debug log, as sent and percent-encoded.
@Suite struct SecretScrubberTests {
    private static let credentials = Credentials(
        accessKeyID: "AKIDECHOECHOECHO", secretAccessKey: "SECRETSECRET123/abc+def", sessionToken: "TOKENTOKEN456/xyz=", source: "test")

    /// An echo of the request's headers and body, as an XML error, a JSON error or plain text.
    private static func echo(_ request: TestHTTPServer.Request, as form: String) -> TestHTTPServer.Reply {
        let echoed = request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ") + " " + request.text
        switch form {
        case "xml":
            let message = TestHTTPServer.Reply.xmlEscaped(echoed)
            return .respond(status: 400, body: "<ErrorResponse><Error><Code>Bad</Code><Message>\(message)</Message></Error></ErrorResponse>")
        case "json":
            let message = (try? JSONEncoder().encode(echoed)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
            return .respond(status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")], body: #"{"__type":"Bad","message":\#(message)}"#)
        default: return .respond(status: 500, headers: [("Content-Type", "text/plain")], body: echoed)
        }
    }

    @Test(arguments: ["xml", "json", "text"])
    func anEchoedRequestsSecretsAreNeverPrinted(form: String) async throws {
        let server = try TestHTTPServer { Self.echo($0, as: form) }
        let log = CapturedLog()
        let configuration = try testConfiguration(
            endpoint: try #require(Endpoint(url: server.url)), credentials: Self.credentials, retry: RetryPolicy(maxAttempts: 1), wireLog: log.wireLog)
        var printed: [String] = []
        do {
            _ = try await STSClient(configuration: configuration).getCallerIdentity()
        } catch {
            printed.append("\(error)")
        }
        do {
            _ = try await ECRClient(configuration: configuration).describeRepositories(names: ["shop/web"]).collect()
        } catch {
            printed.append("\(error)")
        }
        #expect(printed.count == 2)
        // The echo is there (its access key ID is no secret), its secrets are not.
        #expect(printed.allSatisfy { $0.contains("AKIDECHOECHOECHO") || $0.contains("HTTP 500") }, "\(printed)")
        for text in printed + [log.contents] {
            for secret in ["SECRETSECRET123", "TOKENTOKEN456"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
            #expect(text.range(of: "Signature=[0-9a-f]{64}", options: .regularExpression) == nil, "\(text)")
        }
    }

    /// AssumeRoleWithWebIdentity is not signed: the token it carries is its secret.
    @Test func anEchoedWebIdentityTokenIsNeverPrinted() async throws {
        let server = try TestHTTPServer { Self.echo($0, as: "xml") }
        let log = CapturedLog()
        let configuration = try testConfiguration(
            endpoint: try #require(Endpoint(url: server.url)), retry: RetryPolicy(maxAttempts: 1), wireLog: log.wireLog)
        do {
            _ = try await STSClient(configuration: configuration).assumeRoleWithWebIdentity(
                roleArn: "arn:aws:iam::123456789012:role/deploy", sessionName: "berth", token: "WEBIDTOKEN777abc.def")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("content-type") && !"\(error)".contains("WEBIDTOKEN777"), "\(error)")
        }
        #expect(!log.contents.contains("WEBIDTOKEN777"), "\(log.contents)")
    }
}
