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

    /// A session token as STS gives them: `/`, `+` and `=` are what the encodings change.
    private static let token = "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+PART/abc=="

    /// A copy of a secret is taken out whichever way each of its characters is written: as
    /// sent, percent-encoded as a query request's form body or a URI carries it (upper- or
    /// lowercase hex, `=` left or encoded, encoded twice), escaped as JSON or XML escape it.
    @Test func aSecretIsTakenOutInEveryEncoding() {
        let scrubber = SecretScrubber([Self.token])
        let form = String(decoding: URIEncoding.formBody([.init("T", Self.token)]).dropFirst(2), as: UTF8.self)
        let forms = [
            Self.token,
            // What the probe's proxy echoed: `/` and `+` encoded, `=` not.
            "IQoJb3JpZ2luX2VjEXAMPLE%2FTOKEN%2BPART%2Fabc==",
            form, URIEncoding.encode(Self.token),
            "IQoJb3JpZ2luX2VjEXAMPLE%2fTOKEN%2bPART%2fabc%3d%3d",
            "IQoJb3JpZ2luX2VjEXAMPLE%252FTOKEN%252BPART%252Fabc%253D%253D",
            #"IQoJb3JpZ2luX2VjEXAMPLE\/TOKEN\u002BPART\u002fabc\u003d="#,
            "IQoJb3JpZ2luX2VjEXAMPLE&#x2F;TOKEN&#43;PART&#x002f;abc&#61;=",
        ]
        #expect(form == "IQoJb3JpZ2luX2VjEXAMPLE%2FTOKEN%2BPART%2Fabc%3D%3D")
        for copy in forms {
            #expect(scrubber.scrub("before \(copy) after") == "before <redacted> after", "\(copy)")
            #expect(scrubber.scrub(Array("[\(copy)]".utf8)) == Array("[<redacted>]".utf8), "\(copy)")
        }
        // Two copies, side by side and apart; a secret inside another goes with it.
        #expect(scrubber.scrub(Self.token + forms[1] + " x " + forms[5]) == "<redacted><redacted> x <redacted>")
        #expect(SecretScrubber([Self.token, "EXAMPLE/TOKEN"]).scrub("a \(forms[1]) b") == "a <redacted> b")
        // What is not the whole secret stays: a part of it, an escape of another character.
        for text in ["IQoJb3JpZ2luX2VjEXAMPLE%2FTOKEN", "IQoJb3JpZ2luX2VjEXAMPLE%2ETOKEN+PART/abc==", "100% sure, a\\/b &amp; c%"] {
            #expect(scrubber.scrub(text) == text)
        }
    }

    /// An ECR error answer (the JSON 1.1 error document: `__type` and `message`, the request ID
    /// in `x-amzn-RequestId`) that echoes the request's session token percent-encoded has it
    /// taken out of the error printed and of the `--debug` log, as its JSON-escaped copy is.
    @Test func aPercentEncodedEchoOfTheSessionTokenIsNeverPrinted() async throws {
        let echoed = "IQoJb3JpZ2luX2VjEXAMPLE%2FTOKEN%2BPART%2Fabc=="
        let server = try TestHTTPServer { _ in
            .respond(
                status: 400, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "req-\(echoed)")],
                body: #"{"__type":"InvalidParameterException","message":"bad token \#(echoed) or IQoJb3JpZ2luX2VjEXAMPLE\/TOKEN+PART\/abc== sent"}"#)
        }
        let log = CapturedLog()
        let credentials = Credentials(accessKeyID: "AKIDECHOECHOECHO", secretAccessKey: "SECRETSECRET123/abc+def", sessionToken: Self.token, source: "test")
        let configuration = try testConfiguration(
            endpoint: try #require(Endpoint(url: server.url)), credentials: credentials, retry: RetryPolicy(maxAttempts: 1), wireLog: log.wireLog)
        do {
            _ = try await ECRClient(configuration: configuration).describeImages(repository: "shop/web").collect()
            Issue.record("an error answer was taken for images")
        } catch {
            #expect("\(error)" == "ecr DescribeImages failed: InvalidParameterException: bad token <redacted> or <redacted> sent (HTTP 400, request req-<redacted>)", "\(error)")
        }
        #expect(log.contents.contains("bad token <redacted> or <redacted> sent"), "\(log.contents)")
        #expect(!log.contents.contains("EXAMPLE"), "\(log.contents)")
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
