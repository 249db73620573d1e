import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// Answers no real AWS endpoint gives, which a broken proxy or a hostile server could: each is
/// refused or shown within bounds, never followed for ever and never a trap.
@Suite struct BogusAnswerTests {
    /// DescribeChangeSet pages through its changes as the other listings do; a server that
    /// repeats its NextToken is refused after the repeat.
    @Test func aChangeSetWhoseNextTokenRepeatsIsRefused() async throws {
        let server = try repeatingPages(
            "<DescribeChangeSetResponse><DescribeChangeSetResult><Status>CREATE_COMPLETE</Status><Changes></Changes>"
                + "<NextToken>same-token</NextToken></DescribeChangeSetResult></DescribeChangeSetResponse>")
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        await #expect(throws: PaginationError(operation: "DescribeChangeSet", pages: 2, repeatedToken: true)) {
            try await cloudFormation.describeChangeSet(stackName: "s", changeSetName: "c")
        }
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.form["NextToken"] == "same-token")
    }

    /// A task definition answer that does not decode is not repeated in the error: it holds the
    /// containers' environment values, which may be a hand-made task definition's secrets.
    @Test func aMalformedTaskAnswerIsNotShown() async throws {
        let server = try TestHTTPServer { _ in
            .respond(
                status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                body: #"{"taskDefinition":{"containerDefinitions":[{"name":"w","environment":[{"name":"DB_PASSWORD","value":"SECRET-MARK"}],"cpu":"x"}]},"tasks":7}"#)
        }
        defer { server.stop() }
        let ecs = ECSClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "eu-west-1"))
        var texts: [String] = []
        do { _ = try await ecs.describeTaskDefinition("w:1") } catch { texts.append("\(error)") }
        do { _ = try await ecs.describeTasks(cluster: "c", tasks: ["t"]) } catch { texts.append("\(error)") }
        #expect(texts.count == 2)
        for text in texts {
            #expect(!text.contains("SECRET-MARK") && text.contains("not shown, as it may hold secrets"), "\(text)")
        }
    }

    /// An AWS error's code and request ID are shown on one line without control characters, as
    /// its message is, and a long message is cut: a hostile server cannot start a line of its
    /// own (`::error::` on GitHub Actions), drive the terminal or print megabytes.
    @Test func anErrorsCodeAndRequestIDAreShownOnOneLine() async throws {
        let long = String(repeating: "m", count: 100_000)
        let server = try TestHTTPServer { _ in
            .respond(
                status: 400,
                body: "<ErrorResponse><Error><Code>X&#10;::error::pwn&#x85;[2J</Code><Message>\(long)</Message></Error>"
                    + "<RequestId>r&#10;::warning::x</RequestId></ErrorResponse>")
        }
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        do {
            _ = try await cloudFormation.describeStack("s")
            Issue.record("an error answer was taken for a stack")
        } catch {
            let text = "\(error)"
            #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(text.prefix(200))")
            #expect(text.hasPrefix("cloudformation DescribeStacks failed: X ::error::pwn [2J: mmm"), "\(text.prefix(120))")
            #expect(text.contains("… (cut) (HTTP 400, request r ::warning::x)") && text.count < 1400)
        }
    }

    /// AssumeRole refused says what to fix by why it was refused: the role's trust policy for
    /// AccessDenied, the region for RegionDisabledException (STS is asked in the environment's
    /// region), the caller's own credentials otherwise; STS's text on one line.
    @Test func aRefusedAssumeRoleSaysWhatToFixByItsCode() async throws {
        var texts: [String: String] = [:]
        for code in ["AccessDenied", "RegionDisabledException", "InvalidClientTokenId"] {
            let server = try TestHTTPServer { _ in
                .respond(status: 403, body: "<ErrorResponse><Error><Code>\(code)</Code><Message>refused&#10;::error::x</Message></Error></ErrorResponse>")
            }
            defer { server.stop() }
            let sts = STSClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ap-east-1"))
            let source = AssumeRoleCredentialSource(
                roleArn: "arn:aws:iam::210987654321:role/berth-deploy", sessionName: "berth-shop-prod", externalID: "x1", sts: sts)
            do {
                _ = try await source.resolve()
                Issue.record("\(code) was taken for credentials")
            } catch {
                texts[code] = "\(error)"
            }
        }
        #expect(texts["AccessDenied"]?.contains("its trust policy must let the current credentials assume it, with the condition sts:ExternalId") == true)
        #expect(texts["RegionDisabledException"]?.contains("which the current credentials' account has not enabled") == true)
        #expect(texts["InvalidClientTokenId"]?.hasSuffix("; check the current credentials") == true)
        for (code, text) in texts {
            #expect(code == "AccessDenied" || !text.contains("trust policy"), "\(code): \(text)")
            #expect(!text.contains("\n") && text.contains("refused ::error::x"), "\(text)")
        }
    }

    /// AssumeRole and AssumeRoleWithWebIdentity always answer (STS API reference) with
    /// credentials of four members: AccessKeyId, SecretAccessKey, SessionToken and an ISO 8601
    /// Expiration. An answer without the token (the calls after it would be signed without one)
    /// or without a readable expiration (Berth would choose one) is refused as malformed,
    /// naming the call and what is missing, never a value of the answer.
    @Test func assumedRoleCredentialsWithoutTheirTokenOrExpirationAreRefused() async throws {
        let key = "<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
        let token = "<SessionToken>IQoJb3JpZ2luX2VjEXAMPLETOKEN</SessionToken>"
        let expiration = "<Expiration>2099-11-09T13:34:41Z</Expiration>"
        let user = "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/deploy/berth</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:berth</AssumedRoleId></AssumedRoleUser>"
        let cases: [(credentials: String, problem: String?)] = [
            (key + token + expiration, nil),
            (key + expiration, "no SessionToken in the answer's Credentials"),
            (key + "<SessionToken></SessionToken>" + expiration, "no SessionToken in the answer's Credentials"),
            (key + token, "no Expiration in the answer's Credentials"),
            ("<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>", "no SecretAccessKey, SessionToken, Expiration in the answer's Credentials"),
            (key + token + "<Expiration>soon</Expiration>", "the answer's Credentials have an Expiration that is not an ISO 8601 date"),
            (key + token + "<Expiration>2099-11-09</Expiration>", "the answer's Credentials have an Expiration that is not an ISO 8601 date"),
        ]
        for (operation, credentials, problem) in cases.flatMap({ [("AssumeRole", $0.credentials, $0.problem), ("AssumeRoleWithWebIdentity", $0.credentials, $0.problem)] }) {
            let server = try TestHTTPServer { _ in .queryResult(operation, user + "<Credentials>\(credentials)</Credentials><PackedPolicySize>6</PackedPolicySize>") }
            defer { server.stop() }
            let sts = STSClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url))))
            do {
                let assumed = operation == "AssumeRole"
                    ? try await sts.assumeRole(roleArn: "arn:aws:iam::123456789012:role/deploy", sessionName: "berth")
                    : try await sts.assumeRoleWithWebIdentity(roleArn: "arn:aws:iam::123456789012:role/deploy", sessionName: "berth", token: "web-identity-token")
                #expect(problem == nil, "\(operation) took \(credentials)")
                #expect(assumed.sessionToken == "IQoJb3JpZ2luX2VjEXAMPLETOKEN" && assumed.expiration == ISO8601.date("2099-11-09T13:34:41Z"))
            } catch {
                #expect("\(error)" == "sts \(operation): unexpected answer (HTTP 200): \(problem ?? "none")", "\(credentials)")
                #expect(error is UnexpectedResponseError)
            }
        }
    }

    /// A moment no clock shows (an `imagePushedAt` of 1e300 seconds, say) prints as the nearest
    /// end of the years 0 to 9999 instead of trapping in the conversion to time_t.
    @Test func aMomentBeyondAnyCalendarIsShownAtTheEndOfTheRange() {
        #expect(UTCDateComponents(Date(timeIntervalSince1970: 1e300)).readable == "9999-12-31 23:59:59")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: -1e300)).readable == "0000-01-01 00:00:00")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: .infinity)).readable == "9999-12-31 23:59:59")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: .nan)).readable == "1970-01-01 00:00:00")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: 1_795_341_600)).readable == "2026-11-22 10:00:00")
    }

    /// An answer of more elements than any AWS answer has is no document: its tree would take
    /// about 19 times its size.
    @Test func anAnswerOfTooManyElementsIsNoDocument() throws {
        let most = "<r>" + String(repeating: "<a/>", count: XMLNode.maximumElements - 1) + "</r>"
        #expect(try XMLNode.parse(Array(most.utf8))?.children("a").count == XMLNode.maximumElements - 1)
        let over = "<r>" + String(repeating: "<a/>", count: XMLNode.maximumElements) + "</r>"
        #expect(try XMLNode.parse(Array(over.utf8)) == nil)
    }

    /// A JSON error document is an error whatever the status, and an answer without what the
    /// operation always returns is no answer: neither passes for "no policy" or "no tags",
    /// which would let an update lose a repository's own policy and tags.
    @Test func anEmptyOrErrorAnswerWithStatus200IsNoAnswer() async throws {
        let answers: [String: String] = [
            "GetRepositoryPolicy": "{}",
            "ListTagsForResource": #"{"__type":"AccessDeniedException","message":"not authorized"}"#,
        ]
        let server = try TestHTTPServer { request in
            let operation = request.headers["x-amz-target"]?.split(separator: ".").last.map(String.init) ?? ""
            return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: answers[operation] ?? "{}")
        }
        defer { server.stop() }
        let ecr = ECRClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "eu-west-1"))
        await #expect(throws: UnexpectedResponseError.self) { try await ecr.getRepositoryPolicy(repository: "shop/web") }
        do {
            _ = try await ecr.listTags(resourceArn: "arn:aws:ecr:eu-west-1:123456789012:repository/shop/web")
            Issue.record("an error document read as no tags")
        } catch let error as AWSServiceError {
            #expect(error.code == "AccessDeniedException" && error.status == 200)
        }
        // ListTagsForResource without its list of tags.
        let bare = try TestHTTPServer { _ in .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: "{}") }
        defer { bare.stop() }
        let bareECR = ECRClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: bare.url)), region: "eu-west-1"))
        await #expect(throws: UnexpectedResponseError.self) {
            try await bareECR.listTags(resourceArn: "arn:aws:ecr:eu-west-1:123456789012:repository/shop/web")
        }
    }

    /// DescribeStacks of one stack that lists none, or another, is not "the stack is gone":
    /// destroy would report a stack deleted that is still there.
    @Test func aStackDescriptionThatListsNoneOrAnotherIsNoAnswer() async throws {
        let server = try TestHTTPServer { request in
            request.form["StackName"] == "shop-dev"
                ? .queryResult("DescribeStacks", "<Stacks/>")
                : .queryResult(
                    "DescribeStacks",
                    "<Stacks><member><StackName>other</StackName><StackId>arn:stack/other</StackId><StackStatus>UPDATE_COMPLETE</StackStatus></member></Stacks>")
        }
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "eu-west-1"))
        await #expect(throws: UnexpectedResponseError.self) { try await cloudFormation.describeStack("shop-dev") }
        await #expect(throws: UnexpectedResponseError.self) { try await cloudFormation.describeStack("shop-web-dev") }
        #expect(try await cloudFormation.describeStack("arn:stack/other")?.name == "other")
    }

    /// A reason can carry a line break (`&#10;`, `&#133;`), and JSON an escape (`\u001b`): it is read on one line,
    /// without control characters, so that printed it cannot start a line of its own
    /// (`::error::` in GitHub Actions) or drive the terminal.
    @Test func aReasonIsReadOnOneLineWithoutControlCharacters() async throws {
        let server = try TestHTTPServer { _ in
            .queryResult(
                "DescribeStackEvents",
                "<StackEvents><member><EventId>e1</EventId><StackName>s</StackName><LogicalResourceId>Service</LogicalResourceId>"
                    + "<ResourceType>AWS::ECS::Service</ResourceType><ResourceStatus>CREATE_FAILED</ResourceStatus>"
                    + "<ResourceStatusReason>bad&#10;::error::forged&#133;x&#13;\u{2028}end</ResourceStatusReason>"
                    + "<Timestamp>2026-12-06T10:00:00Z</Timestamp></member></StackEvents>")
        }
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "eu-west-1"))
        let events = try await cloudFormation.describeStackEvents(stackName: "s").collect()
        #expect(events.first?.statusReason == "bad ::error::forged x end")
        #expect(ServerText.line("a\n\tb\u{1B}c\u{85}d") == "a b c d")
    }

    /// An answer past the client's bound on its size is refused naming the call, as any other
    /// bad answer is, and not tried again; the body is streamed, and the bound made small.
    @Test func anAnswerLargerThanTheBoundNamesTheCall() async throws {
        let server = try TestHTTPServer { _ in
            .stream(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], chunk: String(repeating: " ", count: 65_536), count: 40)
        }
        defer { server.stop() }
        let ecr = ECRClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), maximumBodyBytes: 1 << 20))
        do {
            _ = try await ecr.describeImages(repository: "shop/web").collect()
            Issue.record("an answer past the bound was read")
        } catch {
            #expect(
                "\(error)" == "ecr DescribeImages: request to \(server.url) failed: the answer is larger than 1 MiB; stopped reading it", "\(error)")
            #expect((error as? TransportError)?.kind == .tooLarge)
        }
        #expect(server.requests.count == 1)
    }

    /// A call that got no answer at all (the connection dropped, on every attempt) names the
    /// call too: which of a deploy's many could not be made.
    @Test func aCallThatGotNoAnswerNamesTheCall() async throws {
        let server = try TestHTTPServer { _ in .drop }
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), retry: RetryPolicy(maxAttempts: 2, random: { 0 })))
        do {
            _ = try await cloudFormation.describeStack("shop-web-dev")
            Issue.record("a dropped connection was an answer")
        } catch let error as TransportError {
            #expect("\(error)".hasPrefix("cloudformation DescribeStacks: "), "\(error)")
            #expect("\(error)".contains(server.url), "\(error)")
        }
        #expect(server.requests.count == 2, "retried once, as a dropped connection is")
    }

    /// A layer download stops at its bound: a registry that answers with more is refused with
    /// the layer's error, not read whole first.
    @Test func aLayerLargerThanItsBoundIsRefused() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, body: String(repeating: "x", count: 3 << 20)) }
        defer { server.stop() }
        let ecr = ECRClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "eu-west-1"))
        do {
            _ = try await ecr.download(url: server.url + "/blob?X-Amz-Signature=abc", limit: 1 << 20)
            Issue.record("a 3 MiB layer was read")
        } catch let error as AWSServiceError {
            #expect(error.code == "LayerTooLarge", "\(error)")
        }
        #expect(try await ecr.download(url: server.url + "/blob?X-Amz-Signature=abc", limit: 4 << 20).count == 3 << 20)
        // The transfer itself stops at the bound: the client reports it, not a body read whole.
        var request = HTTPRequest(method: "GET", endpoint: try #require(Endpoint(url: server.url)))
        request.maximumBodyBytes = 1 << 20
        do {
            _ = try await HTTPClient().send(request)
            Issue.record("a body past the bound was read")
        } catch let error as TransportError {
            #expect(error.kind == .tooLarge, "\(error)")
        }
    }
}
