import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// Credentials from files, variables and endpoints that are wrong or hostile: each is refused
/// with its source named, or read as the AWS CLI reads it; nothing is sent that should not be.
/// STS's refusals are scripted from the STS API reference (the Query protocol's
/// `ErrorResponse`: `AccessDenied` is HTTP 403, `ExpiredToken` and `InvalidIdentityToken` 400):
/// moto assumes any role it is asked for.
@Suite struct CredentialInputTests {
    private static let containerAnswer =
        #"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2099-01-01T00:00:00Z"}"#

    private func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "berth-credential-input-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// An STS that refuses every call with `code` (HTTP `status`), as the API reference words it.
    private func refusingSTS(_ code: String, status: Int) throws -> (TestHTTPServer, @Sendable (any CredentialProvider) -> STSClient) {
        let server = try TestHTTPServer { _ in
            .respond(
                status: status,
                body: "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>\(code)</Code>"
                    + "<Message>refused by the script</Message></Error><RequestId>r-1</RequestId></ErrorResponse>")
        }
        let base = try testConfiguration(endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), retry: RetryPolicy(maxAttempts: 1))
        return (server, { provider in
            var configuration = base
            configuration.credentials = provider
            return STSClient(configuration: configuration)
        })
    }

    private func chain(_ environment: [String: String], profile: String? = nil, sts: (@Sendable (any CredentialProvider) -> STSClient)? = nil)
        throws -> CredentialChain
    {
        let unused = try testConfiguration(endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: 9))
        return CredentialChain.standard(
            environment: isolatedEnvironment(environment), profile: profile, http: try HTTPClient(),
            sts: sts ?? { provider in
                var configuration = unused
                configuration.credentials = provider
                return STSClient(configuration: configuration)
            })
    }

    /// A `[default]` profile with a region alone (what `aws configure set region` writes) gives
    /// no credentials: the chain goes on to the container's, as the AWS CLI's does.
    @Test func aProfileWithoutCredentialSettingsIsPassedOver() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, body: Self.containerAnswer) }
        let environment = [
            "AWS_CONFIG_FILE": try file("[default]\nregion = eu-west-1\n[profile regional]\nregion = eu-north-1\n"),
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/creds",
        ]
        #expect(try await chain(environment).credentials().accessKeyID == "ASIACONTAINER")
        #expect(try await chain(environment, profile: "regional").credentials().accessKeyID == "ASIACONTAINER")
    }

    @Test func aProfileOfAWayBerthDoesNotTakeSaysSo() async throws {
        let config = try file("[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n[profile process]\ncredential_process = /bin/false\n")
        await #expect {
            try await chain(["AWS_CONFIG_FILE": config], profile: "sso").credentials()
        } throws: {
            "\($0)".hasPrefix("profile sso (\(config)) gets its credentials from IAM Identity Center (sso_session), which Berth does not do; ")
                && "\($0)".contains("aws configure export-credentials --profile sso --format env")
        }
        await #expect {
            try await chain(["AWS_CONFIG_FILE": config], profile: "process").credentials()
        } throws: { "\($0)".contains("gets its credentials from an external process (credential_process)") }
    }

    /// Read as Python's configparser reads them: `key: value`, nested settings indented under
    /// their key, a section header followed by a comment; and past a byte-order mark, which
    /// some Windows editors write (configparser itself stops at one).
    @Test func theFilesAreReadAsTheCLIReadsThem() async throws {
        let config = try file("\u{FEFF}[default]\nregion: eu-west-3\ns3 =\n    region = us-east-1\n[profile ci]  # the CI user\naws_access_key_id:AKIDCOLON\n")
        let files = SharedConfigFiles(environment: isolatedEnvironment(["AWS_CONFIG_FILE": config]))
        #expect(files.problems.isEmpty, "\(files.problems)")
        #expect(files.profiles["default"] == ["region": "eu-west-3", "s3": ""])
        #expect(files.profiles["ci"]?["aws_access_key_id"] == "AKIDCOLON")
        // An empty session token (`aws_session_token =`, as some tools write it) is none.
        let keys = try file("[default]\naws_access_key_id = AKIDPLAIN\naws_secret_access_key = s\naws_session_token =\n")
        let plain = try await chain(["AWS_SHARED_CREDENTIALS_FILE": keys]).credentials()
        #expect(plain.accessKeyID == "AKIDPLAIN" && plain.sessionToken == nil)
        #expect(SharedConfigFiles.profileName(given: nil, environment: ["AWS_PROFILE": ""]) == "default")
        #expect(SharedConfigFiles.profileName(given: "", environment: ["AWS_PROFILE": "ci"]) == "ci")
    }

    /// A section or a key given twice (which the CLI refuses too), or a file that is there and
    /// cannot be read, stops the chain with the file and line: other credentials are never
    /// taken instead without a word.
    @Test func anUnusableFileIsNamedNotPassedOver() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, body: Self.containerAnswer) }
        let credentials = try file("[default]\naws_access_key_id = AKIDFIRST\naws_secret_access_key = first\n\n[default]\naws_access_key_id = AKIDSECOND\n")
        await #expect {
            try await chain(["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/creds"]).credentials()
        } throws: { "\($0)" == "\(credentials):5: section [default] is there twice (first on line 1); merge them into one" }
        let keys = try file("[default]\nregion = eu-west-1\nregion = us-east-1\n")
        #expect(SharedConfigFiles(environment: isolatedEnvironment(["AWS_CONFIG_FILE": keys])).problems
            == ["\(keys):3: region is set twice in its section (first on line 2); keep one"])
        let directory = NSTemporaryDirectory() + "berth-credentials-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        await #expect {
            try await chain(["AWS_SHARED_CREDENTIALS_FILE": directory, "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/creds"]).credentials()
        } throws: { "\($0)" == "the AWS credentials file \(directory) is a directory, not a file" }
        #expect(server.requests.isEmpty)
    }

    /// A line break in a key or token would end the header it is sent in and start another.
    @Test func credentialsWithControlCharactersAreRefusedByTheirSource() async throws {
        await #expect {
            try await chain(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok\r\nX-Injected: 1"]).credentials()
        } throws: {
            "\($0)" == "the credentials from environment have a session token with a space, a line break or another character AWS never puts in one; "
                + "check what sets it"
        }
        let server = try TestHTTPServer { _ in
            .respond(status: 200, body: #"{"AccessKeyId":"ASIA\r\nX-Injected: 1","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#)
        }
        await #expect {
            try await chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.url)/creds"]).credentials()
        } throws: { "\($0)".hasPrefix("the credentials from container credentials have an access key ID with a space, a line break") }
    }

    @Test func expiredOrEmptyCredentialsAreRefused() async throws {
        let expired = try TestHTTPServer { _ in
            .respond(status: 200, body: #"{"AccessKeyId":"ASIAOLD","SecretAccessKey":"s","Token":"t","Expiration":"2001-01-01T00:00:00Z"}"#)
        }
        await #expect {
            try await chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(expired.url)/creds"]).credentials()
        } throws: { "\($0)".hasPrefix("the credentials from container credentials expired at 2001-01-01 00:00:00 UTC (the time here is ") }
        let empty = try TestHTTPServer { _ in .respond(status: 200, body: #"{"AccessKeyId":"","SecretAccessKey":"","Token":"t"}"#) }
        await #expect {
            try await chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(empty.url)/creds"]).credentials()
        } throws: { "\($0)" == "the credentials from container credentials have an empty access key ID" }
    }

    /// The relative URI goes after the agent's address as it is: without its slash it would
    /// name another host. Neither it nor a token with a line break is ever sent.
    @Test func aRelativeURIWithoutItsSlashOrATokenWithALineBreakSendsNothing() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, body: Self.containerAnswer) }
        let agent = Endpoint(scheme: "http", host: "127.0.0.1", port: server.port)
        await #expect {
            try await ContainerCredentialSource(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": ".evil.test/v2/creds"], http: try HTTPClient(), agent: agent
            ).resolve()
        } throws: { "\($0)" == #"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path that starts with /, got ".evil.test/v2/creds""# }
        let tokenFile = try file("line1\r\nX-Evil: yes\n")
        await #expect {
            try await ContainerCredentialSource(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile],
                http: try HTTPClient(), agent: agent
            ).resolve()
        } throws: { "\($0)".hasPrefix("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile) holds a line break") }
        await #expect {
            try await ContainerCredentialSource(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "a\nb"],
                http: try HTTPClient(), agent: agent
            ).resolve()
        } throws: { "\($0)".hasPrefix("AWS_CONTAINER_AUTHORIZATION_TOKEN holds a line break") }
        #expect(server.requests.isEmpty)
        // EKS Pod Identity's IPv6 address is taken as its IPv4 one is (checked without asking it).
        for (uri, allowed) in [("http://[fd00:ec2::23]/v1/credentials", true), ("http://169.254.170.23/v1/credentials", true), ("http://[fd00:ec2::24]/", false)] {
            #expect(ContainerCredentialSource.mayServeCredentials(try #require(Endpoint(url: uri))) == allowed, "\(uri)")
        }
    }

    /// The last guard: whatever builds a request, a header with a line break is never sent.
    @Test func aHeaderWithALineBreakIsNeverSent() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, body: "") }
        var request = HTTPRequest(method: "GET", endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), path: "/")
        request.setHeader("X-Token", "ok\r\nX-Injected: 1")
        await #expect {
            try await HTTPClient().send(request)
        } throws: { "\($0)".hasSuffix("the header X-Token holds a control character; not sent") }
        #expect(server.requests.isEmpty)
    }

    /// A role STS will not give names what asked for it; a refusal that may pass (a server
    /// error) stays STS's own error.
    @Test func aRefusedRoleNamesTheProfileOrVariablesThatAskedForIt() async throws {
        let (denying, denyingSTS) = try refusingSTS("AccessDenied", status: 403)
        let config = try file("""
            [profile base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = base-secret
            [profile deployer]
            role_arn = arn:aws:iam::123456789012:role/deployer
            source_profile = base
            external_id = shop
            """)
        await #expect {
            try await chain(["AWS_CONFIG_FILE": config], profile: "deployer", sts: denyingSTS).credentials()
        } throws: { error in
            error is CredentialsError
                && "\(error)" == "profile deployer (\(config)): cannot assume arn:aws:iam::123456789012:role/deployer: AccessDenied: refused by the script; "
                    + "its trust policy must let the current credentials assume it, with the condition sts:ExternalId equal to external_id"
        }
        let (expiring, expiredSTS) = try refusingSTS("ExpiredToken", status: 400)
        let environmentRole = AssumeRoleCredentialSource(
            roleArn: "arn:aws:iam::123456789012:role/berth-deploy", sessionName: "berth-shop-prod", externalID: nil,
            sts: expiredSTS(StaticCredentialProvider(Credentials(accessKeyID: "AKIDBASE", secretAccessKey: "s", source: "environment"))),
            location: "prod.yaml:4:10")
        await #expect {
            try await environmentRole.resolve()
        } throws: { error in
            error is CredentialsError
                && "\(error)"
                    == "prod.yaml:4:10: cannot assume arn:aws:iam::123456789012:role/berth-deploy: ExpiredToken: refused by the script; check the current credentials"
        }
        let (invalid, invalidSTS) = try refusingSTS("InvalidIdentityToken", status: 400)
        let token = try file("eyJhbGciOi.header.signature\n")
        await #expect {
            try await chain(["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/gha", "AWS_WEB_IDENTITY_TOKEN_FILE": token], sts: invalidSTS).credentials()
        } throws: {
            "\($0)" == "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE: cannot assume arn:aws:iam::123456789012:role/gha: InvalidIdentityToken: "
                + "refused by the script; check the token in \(token) (its audience, issuer and expiry)"
        }
        let (failing, failingSTS) = try refusingSTS("InternalFailure", status: 500)
        await #expect {
            try await chain(["AWS_CONFIG_FILE": config], profile: "deployer", sts: failingSTS).credentials()
        } throws: { ($0 as? AWSServiceError)?.code == "InternalFailure" }
        #expect([denying, expiring, invalid, failing].allSatisfy { !$0.requests.isEmpty })
    }

    /// An identity without an account of 12 digits cannot be compared with one.
    @Test func anIdentityWithoutAnAccountIsAnUnexpectedAnswer() async throws {
        let server = try TestHTTPServer { _ in
            .respond(
                status: 200,
                body: "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/x</Arn><UserId>AIDA</UserId>"
                    + "</GetCallerIdentityResult></GetCallerIdentityResponse>")
        }
        let sts = STSClient(configuration: try testConfiguration(endpoint: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port)))
        await #expect {
            try await sts.getCallerIdentity()
        } throws: { ($0 as? UnexpectedResponseError)?.operation == "GetCallerIdentity" }
    }
}
