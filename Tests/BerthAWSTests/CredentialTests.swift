import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// Writes `text` to a new temporary file and returns its path.
private func temporaryFile(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "berth-credentials-\(UUID().uuidString)"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite struct CredentialTests {
    /// An STS client on moto, signing with the given credentials.
    private func stsFactory() async throws -> @Sendable (any CredentialProvider) -> STSClient {
        let endpoint = try await MotoServer.open.endpoint()
        let base = try testConfiguration(endpoint: endpoint, region: "us-east-1")
        return { provider in
            var configuration = base
            configuration.credentials = provider
            return STSClient(configuration: configuration)
        }
    }

    private func chain(_ environment: [String: String], profile: String? = nil) async throws -> CredentialChain {
        CredentialChain.standard(environment: isolatedEnvironment(environment), profile: profile, http: try HTTPClient(), sts: try await stsFactory())
    }

    @Test func environmentVariablesComeFirst() async throws {
        let credentials = try await chain([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
            "AWS_SHARED_CREDENTIALS_FILE": try temporaryFile("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"),
        ]).credentials()
        #expect(credentials.accessKeyID == "AKIDENV")
        #expect(credentials.sessionToken == "env-token")
        #expect(credentials.source == "environment")
    }

    @Test func halfSetEnvironmentVariablesAreAnError() async throws {
        await #expect {
            try await chain(["AWS_ACCESS_KEY_ID": "AKIDENV"]).credentials()
        } throws: { "\($0)" == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not" }
    }

    @Test func sharedFilesGiveTheNamedProfile() async throws {
        let credentialsFile = try temporaryFile("""
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = default-secret
            [ci]
            aws_access_key_id=AKIDCI
            aws_secret_access_key=ci-secret
            """)
        let configFile = try temporaryFile("""
            [profile ci]
            region = eu-north-1
            aws_access_key_id = AKIDIGNORED
            [sso-session corp]
            sso_region = us-east-1
            """)
        let files = ["AWS_SHARED_CREDENTIALS_FILE": credentialsFile, "AWS_CONFIG_FILE": configFile]
        #expect(try await chain(files).credentials().accessKeyID == "AKIDDEFAULT")
        let ci = try await chain(files.merging(["AWS_PROFILE": "ci"]) { $1 }).credentials()
        #expect(ci.accessKeyID == "AKIDCI")
        #expect(ci.source == "profile ci")
        let parsed = SharedConfigFiles(environment: isolatedEnvironment(files))
        #expect(parsed.profiles["ci"]?["region"] == "eu-north-1")
        #expect(parsed.profiles["corp"] == nil)
    }

    @Test func anExplicitProfileWinsOverEnvironmentVariables() async throws {
        let credentials = try await chain(
            [
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                "AWS_SHARED_CREDENTIALS_FILE": try temporaryFile("[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = ops-secret\n"),
            ], profile: "ops"
        ).credentials()
        #expect(credentials.accessKeyID == "AKIDOPS")
    }

    @Test func aMissingNamedProfileIsAnError() async throws {
        await #expect {
            try await chain(["AWS_SHARED_CREDENTIALS_FILE": try temporaryFile("")], profile: "nope").credentials()
        } throws: { "\($0)".hasPrefix("profile nope is not in ") }
    }

    /// A profile with half of a key pair names the half it lacks, and never the value it has.
    @Test func aProfileWithHalfAKeyPairNamesTheOtherHalf() async throws {
        let credentialsFile = try temporaryFile("[default]\naws_access_key_id = AKIDHALF\n[secretonly]\naws_secret_access_key = half-secret\n")
        await #expect {
            try await chain(["AWS_SHARED_CREDENTIALS_FILE": credentialsFile]).credentials()
        } throws: { "\($0)" == "profile default has no aws_secret_access_key to go with its aws_access_key_id" }
        await #expect {
            try await chain(["AWS_SHARED_CREDENTIALS_FILE": credentialsFile], profile: "secretonly").credentials()
        } throws: { "\($0)" == "profile secretonly has no aws_access_key_id to go with its aws_secret_access_key" }
    }

    @Test func roleProfilesAssumeTheRoleWithTheSourceProfile() async throws {
        let configFile = try temporaryFile("""
            [profile base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = base-secret
            [profile deployer]
            role_arn = arn:aws:iam::123456789012:role/deployer
            source_profile = base
            role_session_name = berth-test
            [profile loop-a]
            role_arn = arn:aws:iam::123456789012:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::123456789012:role/b
            source_profile = loop-a
            """)
        let credentials = try await chain(["AWS_CONFIG_FILE": configFile], profile: "deployer").credentials()
        #expect(credentials.source == "role arn:aws:iam::123456789012:role/deployer")
        #expect(credentials.sessionToken != nil)
        #expect(credentials.accessKeyID != "AKIDBASE")
        await #expect {
            try await chain(["AWS_CONFIG_FILE": configFile], profile: "loop-a").credentials()
        } throws: { "\($0)".contains("form a source_profile loop") }
    }

    @Test func webIdentityExchangesTheTokenFile() async throws {
        let credentials = try await chain([
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/github-actions",
            "AWS_WEB_IDENTITY_TOKEN_FILE": try temporaryFile("eyJhbGciOi.header.signature\n"),
        ]).credentials()
        #expect(credentials.source == "web identity for arn:aws:iam::123456789012:role/github-actions")
        #expect(credentials.expiration != nil)
        await #expect {
            try await chain(["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/x", "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token"]).credentials()
        } throws: { "\($0)" == "cannot read the web identity token file /nonexistent/token: it does not exist" }
        // A FIFO is refused as what it is, never waited on.
        let fifo = NSTemporaryDirectory() + "berth-token-fifo-" + UUID().uuidString
        #expect(mkfifo(fifo, 0o600) == 0)
        await #expect {
            try await chain(["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/x", "AWS_WEB_IDENTITY_TOKEN_FILE": fifo]).credentials()
        } throws: { "\($0)" == "cannot read the web identity token file \(fifo): it is a named pipe (FIFO), not a file" }
    }

    /// A fake credential endpoint (ECS agent or IMDS) on loopback.
    private static let credentialAnswer = #"{"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2099-01-01T00:00:00Z"}"#

    @Test func containerCredentialsFromARelativeURI() async throws {
        let server = try TestHTTPServer { request in
            request.path == "/v2/credentials/abc" ? .respond(status: 200, body: Self.credentialAnswer) : .respond(status: 404)
        }
        let source = ContainerCredentialSource(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"], http: try HTTPClient(),
            agent: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port))
        let credentials = try #require(try await source.resolve())
        #expect(credentials.accessKeyID == "AKIDCONTAINER")
        #expect(credentials.sessionToken == "container-token")
        #expect(credentials.expiration == ISO8601.date("2099-01-01T00:00:00Z"))
    }

    /// Temporary credentials whose answer says no readable expiration are not kept for ever: they
    /// count as expiring in 15 minutes, so that the provider fetches them again.
    @Test func temporaryCredentialsWithoutAnExpirationAreFetchedAgain() async throws {
        let server = try TestHTTPServer { _ in
            .respond(status: 200, body: #"{"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":"s","Token":"container-token","Expiration":"soon"}"#)
        }
        let source = ContainerCredentialSource(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"], http: try HTTPClient(),
            agent: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port))
        let before = Date()
        let credentials = try #require(try await source.resolve())
        let expiration = try #require(credentials.expiration)
        #expect(expiration >= before.addingTimeInterval(899) && expiration <= Date().addingTimeInterval(901))
        // Refreshed 5 minutes before that, as any temporary credentials are.
        #expect(credentials.expires(within: 300, of: expiration.addingTimeInterval(-299)))
        #expect(!credentials.expires(within: 300, of: expiration.addingTimeInterval(-301)))
    }

    @Test func containerCredentialsFromAFullURIWithAnAuthorizationToken() async throws {
        let server = try TestHTTPServer { request in
            request.headers["authorization"] == "token-from-file" ? .respond(status: 200, body: Self.credentialAnswer) : .respond(status: 401)
        }
        let credentials = try await chain([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": try temporaryFile("token-from-file\n"),
        ]).credentials()
        #expect(credentials.accessKeyID == "AKIDCONTAINER")
        await #expect {
            try await chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.1.2.3/creds"]).credentials()
        } throws: { "\($0)".contains("must use https or a loopback") }
    }

    @Test func instanceMetadataUsesAnIMDSv2Token() async throws {
        let server = try TestHTTPServer { request in
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                return request.headers["x-aws-ec2-metadata-token-ttl-seconds"] != nil ? .respond(status: 200, body: "imds-token") : .respond(status: 400)
            case (_, _) where request.headers["x-aws-ec2-metadata-token"] != "imds-token":
                return .respond(status: 401)
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return .respond(status: 200, body: "berth-instance-role\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/berth-instance-role"):
                return .respond(status: 200, body: Self.credentialAnswer)
            default:
                return .respond(status: 404)
            }
        }
        let source = InstanceMetadataCredentialSource(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url], http: try HTTPClient(),
            timeouts: .init(connect: .seconds(5), request: .seconds(10)))
        let credentials = try #require(try await source.resolve())
        #expect(credentials.source == "EC2 instance role berth-instance-role")
        #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])
    }

    @Test func switchedOffInstanceMetadataIsNeverAsked() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 500) }
        let source = InstanceMetadataCredentialSource(
            environment: ["AWS_EC2_METADATA_DISABLED": "true", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url], http: try HTTPClient())
        #expect(try await source.resolve() == nil)
        #expect(server.requests.isEmpty)
    }

    @Test func noCredentialsListsEveryPlaceTried() async throws {
        await #expect {
            try await chain([:]).credentials()
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("no AWS credentials found; tried, in order:")
                && text.contains("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
                && text.contains("web identity") && text.contains("profile default in /nonexistent-berth-home/.aws/credentials")
                && text.contains("container credentials") && text.contains("EC2 instance metadata")
        }
    }

    @Test func temporaryCredentialsAreRefreshedBeforeTheyExpire() async throws {
        let counter = CountingSource()
        let clock = TestClock()
        let chain = CredentialChain(sources: [counter], refreshMargin: 300, now: { clock.now })
        _ = try await chain.credentials()
        _ = try await chain.credentials()
        #expect(counter.calls == 1)
        clock.now = clock.now.addingTimeInterval(3600 - 200)  // within five minutes of expiry
        let refreshed = try await chain.credentials()
        #expect(counter.calls == 2)
        #expect(refreshed.accessKeyID == "AKIDTEMP2")
    }

    /// A refresh that fails while the cached credentials still hold keeps them (a long deploy
    /// goes on), and is tried again after the retry delay, not on every call; once they are
    /// about to expire, the failure is the caller's.
    @Test func aFailedRefreshKeepsCredentialsThatStillHold() async throws {
        let source = FlakySource()
        let clock = TestClock()
        let chain = CredentialChain(sources: [source], refreshMargin: 300, now: { clock.now })  // retries after 30 s
        #expect(try await chain.credentials().accessKeyID == "AKIDFLAKY1")
        source.failing = true
        clock.now = clock.now.addingTimeInterval(3600 - 250)  // inside the refresh margin
        #expect(try await chain.credentials().accessKeyID == "AKIDFLAKY1")
        #expect(try await chain.credentials().accessKeyID == "AKIDFLAKY1")
        #expect(source.calls == 2)  // one failed refresh, then the retry delay
        clock.now = clock.now.addingTimeInterval(31)
        _ = try await chain.credentials()
        #expect(source.calls == 3)
        clock.now = Date(timeIntervalSince1970: 1_000_000 + 3600 - 20)  // 20 s left: too close to sign with
        await #expect(throws: CredentialsError.self) { try await chain.credentials() }
        source.failing = false
        #expect(try await chain.credentials().accessKeyID == "AKIDFLAKY5")
    }

    /// Callers that arrive while a refresh is under way share its outcome: when it fails while
    /// the cached credentials still hold, every one of them gets those, not the error.
    @Test func callersWaitingOnAFailedRefreshGetTheCachedCredentials() async throws {
        let source = FlakySource()
        let clock = TestClock()
        let chain = CredentialChain(sources: [source], refreshMargin: 300, now: { clock.now })
        _ = try await chain.credentials()
        source.failing = true
        source.delay = .milliseconds(200)
        clock.now = clock.now.addingTimeInterval(3600 - 250)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 1...5 { group.addTask { try await chain.credentials().accessKeyID } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(keys == Array(repeating: "AKIDFLAKY1", count: 5))
        #expect(source.calls == 2)
    }

    /// Credentials that come already inside the refresh margin (a short session, a fast clock)
    /// are fetched again halfway through what is left of them, not on every signed call.
    @Test func credentialsThatComeCloseToTheirExpiryAreNotFetchedOnEveryCall() async throws {
        let counter = CountingSource()
        let clock = TestClock()
        clock.now = Date(timeIntervalSince1970: 1_000_000 + 3600 - 120)  // two minutes left
        let chain = CredentialChain(sources: [counter], refreshMargin: 300, now: { clock.now })
        for _ in 1...10 { _ = try await chain.credentials() }
        #expect(counter.calls == 1)
        clock.now = clock.now.addingTimeInterval(61)
        _ = try await chain.credentials()
        #expect(counter.calls == 2)
    }

    /// The container agent is asked again when it refuses or answers 5xx or 429, three tries
    /// in all; a fourth failure is not waited for.
    @Test func containerCredentialsAreTriedThreeTimes() async throws {
        let answers = Answers([.respond(status: 503), .drop, .respond(status: 200, body: Self.credentialAnswer)])
        let server = try TestHTTPServer { _ in answers.next() }
        defer { server.stop() }
        let source = ContainerCredentialSource(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"], http: try HTTPClient(),
            agent: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port))
        #expect(try await source.resolve()?.accessKeyID == "AKIDCONTAINER")
        #expect(server.requests.count == 3)
        let failing = try TestHTTPServer { _ in .respond(status: 500) }
        defer { failing.stop() }
        let refused = ContainerCredentialSource(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"], http: try HTTPClient(),
            agent: Endpoint(scheme: "http", host: "127.0.0.1", port: failing.port))
        await #expect { try await refused.resolve() } throws: { "\($0)".hasSuffix("answered HTTP 500") }
        #expect(failing.requests.count == 3)
    }

    /// Instance metadata never goes through a proxy, whatever HTTP_PROXY says: the proxy would
    /// see the session token and the role's credentials.
    @Test func instanceMetadataNeverGoesThroughAProxy() async throws {
        let proxy = try TestHTTPServer { _ in .respond(status: 502) }
        defer { proxy.stop() }
        let imds = try TestHTTPServer { request in
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"): .respond(status: 200, body: "imds-token")
            case ("GET", "/latest/meta-data/iam/security-credentials/"): .respond(status: 200, body: "role\n")
            case ("GET", "/latest/meta-data/iam/security-credentials/role"): .respond(status: 200, body: Self.credentialAnswer)
            default: .respond(status: 404)
            }
        }
        defer { imds.stop() }
        let http = try HTTPClient(proxies: ProxySettings(environment: ["HTTP_PROXY": proxy.url, "NO_PROXY": ""]))
        let source = InstanceMetadataCredentialSource(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url], http: http, timeouts: .init(connect: .seconds(5), request: .seconds(10)))
        #expect(try await source.resolve()?.accessKeyID == "AKIDCONTAINER")
        #expect(proxy.requests.isEmpty)
        #expect(imds.requests.count == 3)
    }

    @Test func descriptionsNeverShowSecrets() {
        let credentials = Credentials(accessKeyID: "AKIDSHOWN", secretAccessKey: "s3cr3t-value", sessionToken: "t0ken-value", source: "test")
        #expect("\(credentials)" == "credentials AKIDSHOWN from test (temporary)")
        #expect(!"\(credentials)".contains("s3cr3t") && !"\(credentials)".contains("t0ken"))
    }
}

/// A source that hands out credentials valid for an hour from its clock's start, counting calls.
private final class CountingSource: CredentialSource, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }
    var name: String { "counting" }
    func resolve() async throws -> Credentials? {
        let call = lock.withLock { count += 1; return count }
        return Credentials(
            accessKeyID: "AKIDTEMP\(call)", secretAccessKey: "secret", sessionToken: "token",
            expiration: Date(timeIntervalSince1970: 1_000_000 + 3600), source: "counting")
    }
}

/// A source like `CountingSource` that fails while `failing` is set.
private final class FlakySource: CredentialSource, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var fails = false
    private var pause: Duration = .zero
    var calls: Int { lock.withLock { count } }
    /// How long each fetch takes.
    var delay: Duration {
        get { lock.withLock { pause } }
        set { lock.withLock { pause = newValue } }
    }
    var failing: Bool {
        get { lock.withLock { fails } }
        set { lock.withLock { fails = newValue } }
    }
    var name: String { "flaky" }
    func resolve() async throws -> Credentials? {
        let (call, fail, wait) = lock.withLock { count += 1; return (count, fails, pause) }
        if wait > .zero { try await Task.sleep(for: wait) }
        if fail { throw CredentialsError("flaky: unavailable") }
        return Credentials(
            accessKeyID: "AKIDFLAKY\(call)", secretAccessKey: "secret", sessionToken: "token",
            expiration: Date(timeIntervalSince1970: 1_000_000 + 3600), source: "flaky")
    }
}

/// Replies played in order, the last one repeated.
private final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [TestHTTPServer.Reply]
    init(_ replies: [TestHTTPServer.Reply]) { self.replies = replies }
    func next() -> TestHTTPServer.Reply {
        lock.withLock { replies.count > 1 ? replies.removeFirst() : replies[0] }
    }
}

private final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date(timeIntervalSince1970: 1_000_000)
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
