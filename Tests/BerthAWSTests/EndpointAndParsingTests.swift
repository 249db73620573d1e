import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

@Suite struct EndpointAndParsingTests {
    @Test func queryBodiesAreEncodedAsBotocoreEncodesThem() {
        // Expected bytes from Python's urllib.parse.urlencode, which botocore uses for query bodies.
        let body = URIEncoding.formBody([
            .init("Action", "CreateChangeSet"), .init("TemplateBody", "{\"Description\": \"a b+c&d=e/f~g*h'i(j)!é😀\"}"),
            .init("Tags.member.1.Key", "berth:app"),
        ])
        #expect(String(decoding: body, as: UTF8.self)
            == "Action=CreateChangeSet&TemplateBody=%7B%22Description%22%3A+%22a+b%2Bc%26d%3De%2Ff~g%2Ah%27i%28j%29%21%C3%A9%F0%9F%98%80%22%7D&Tags.member.1.Key=berth%3Aapp")
    }

    @Test func endpointsFollowTheSDKsPrecedence() throws {
        let environment = [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:5000",
        ]
        let resolver = EndpointResolver(region: "eu-west-1", environment: environment)
        #expect(try resolver.endpoint(for: .ecr).origin == "http://127.0.0.1:5000")
        #expect(try resolver.endpoint(for: .cloudformation).origin == "http://127.0.0.1:4566")
        let flag = EndpointResolver(region: "eu-west-1", override: Endpoint(url: "http://127.0.0.1:9"), environment: environment)
        #expect(try flag.endpoint(for: .ecr).origin == "http://127.0.0.1:9")
        let aws = EndpointResolver(region: "eu-west-1", environment: [:])
        #expect(try aws.endpoint(for: .ecr).origin == "https://api.ecr.eu-west-1.amazonaws.com")
        #expect(try aws.endpoint(for: .sts).origin == "https://sts.eu-west-1.amazonaws.com")
        #expect(try EndpointResolver(region: "cn-north-1", environment: [:]).endpoint(for: .ecs).origin == "https://ecs.cn-north-1.amazonaws.com.cn")
        #expect(throws: ConfigurationProblem.self) {
            try EndpointResolver(region: "eu-west-1", environment: ["AWS_ENDPOINT_URL_STS": "sts.local"]).endpoint(for: .sts)
        }
    }

    @Test func regionsFollowTheCLIsPrecedence() {
        let environment = ["AWS_REGION": "eu-west-2", "AWS_DEFAULT_REGION": "eu-west-3"]
        #expect(RegionResolver.resolve(given: "us-east-2", environment: environment, profileRegion: "ap-south-1") == "us-east-2")
        #expect(RegionResolver.resolve(given: nil, environment: environment, profileRegion: "ap-south-1") == "eu-west-2")
        #expect(RegionResolver.resolve(given: nil, environment: ["AWS_DEFAULT_REGION": "eu-west-3"], profileRegion: "ap-south-1") == "eu-west-3")
        #expect(RegionResolver.resolve(given: nil, environment: [:], profileRegion: "ap-south-1") == "ap-south-1")
        #expect(RegionResolver.resolve(given: nil, environment: [:], profileRegion: nil) == nil)
    }

    @Test func regionsMustMatchAWSsRegionPattern() {
        for valid in ["eu-west-1", "us-east-1", "ap-southeast-2", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1",
            "cn-north-1", "eusc-de-east-1", "il-central-1", "mx-central-1"]
        {
            #expect(RegionName.isValid(valid), "\(valid)")
        }
        for invalid in ["", "europe", "eu-west", "eu-west-", "eu-west-+1", "eu-west-01", "eu-west-10", "EU-WEST-1", "e-west-1", "eur-west-1",
            "a-b-c-d-1", "eu--1", "eu-west-1 ", " eu-west-1", "eu-west-1\n", "eu-wést-1", "eu-west-\u{0661}", "eu-goo-west-1",
            "us-isoab-east-1", "eu_west-1", "eu-west-1; rm -rf /", String(repeating: "a", count: 5000) + "-b-1"]
        {
            #expect(!RegionName.isValid(invalid), "\(invalid)")
        }
    }

    @Test func aRegionFromTheEnvironmentOrAProfileIsCheckedAndItsSourceNamed() throws {
        #expect(try RegionResolver.resolveChecked(given: nil, environment: ["AWS_REGION": "eu-west-2"], profileRegion: nil, profileName: "default") == "eu-west-2")
        #expect {
            try RegionResolver.resolveChecked(given: "eu-west", environment: ["AWS_REGION": "eu-west-2"], profileRegion: nil, profileName: "default")
        } throws: { error in
            (error as? ConfigurationProblem)?.description == "the region given is \"eu-west\", not an AWS region such as eu-west-1"
        }
        for (environment, profile, source) in [
            (["AWS_REGION": "eu-west-+1"], nil, "AWS_REGION is \"eu-west-+1\""),
            (["AWS_DEFAULT_REGION": "localhost"], nil, "AWS_DEFAULT_REGION is \"localhost\""),
            ([:], "eu-west-1.evil.example", "the region of the profile ci is \"eu-west-1.evil.example\""),
        ] as [([String: String], String?, String)] {
            #expect {
                try RegionResolver.resolveChecked(given: nil, environment: environment, profileRegion: profile, profileName: "ci")
            } throws: { error in
                (error as? ConfigurationProblem)?.description.hasPrefix(source) == true
            }
        }
    }

    @Test func malformedEndpointURLsAreRefused() {
        for valid in ["http://127.0.0.1:5000", "https://example.com", "http://[::1]:80/", "http://moto_server:5000/x?y#z", "HTTP://LOCALHOST",
            "https://vpce-1.ecr.eu-west-1.vpce.amazonaws.com."]
        {
            #expect(Endpoint(url: valid) != nil, "\(valid)")
        }
        for invalid in ["", "127.0.0.1:5000", "ftp://127.0.0.1", "http://", "http://:80", "http://a b", "http://127.0.0.1:1:2", "http://127.0.0.1:+80",
            "http://127.0.0.1:", "http://127.0.0.1:0", "http://127.0.0.1:65536", "http://127.0.0.1:99999999999999999999", "http://ex..com",
            "http://-x.com", "http://[::1]junk", "http://[::1", "http://[zz]", "http://user:pw@127.0.0.1", "http://127.0.0.1\n",
            "http://ex\u{00e4}mple.com", "http://127.0.0.1\t:80", "http://%31%32%37.0.0.1"]
        {
            #expect(Endpoint(url: invalid) == nil, "\(invalid)")
        }
        // A service's endpoint is its root: what would follow the host would be dropped unseen.
        #expect(Endpoint(serviceURL: "http://[::1]:80/") == Endpoint(scheme: "http", host: "[::1]", port: 80))
        #expect(Endpoint(serviceURL: "https://example.com") == Endpoint(host: "example.com"))
        for dropped in ["http://moto_server:5000/x", "http://127.0.0.1:5000?y", "http://127.0.0.1:5000/#z", "http://127.0.0.1//", "not a url"] {
            #expect(Endpoint(serviceURL: dropped) == nil, "\(dropped)")
        }
    }

    @Test func everyServicesEndpointVariableIsCheckedAtOnce() {
        // The SDKs' names: the service ID, upper case, spaces as underscores.
        let names = AWSService.allCases.map { $0 == .elasticloadbalancing ? "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2" : "AWS_ENDPOINT_URL_\($0.rawValue.uppercased())" }
        #expect(names.contains("AWS_ENDPOINT_URL_CLOUDFORMATION") && names.count == 8)
        for name in names {
            let resolver = EndpointResolver(
                region: "eu-west-1", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000", name: "http://user:secret@127.0.0.1:1:2"])
            #expect {
                try resolver.checkAll()
            } throws: { error in
                let text = (error as? ConfigurationProblem)?.description ?? ""
                return text.hasPrefix("\(name) is \"http://…@127.0.0.1:1:2\"") && !text.contains("secret")
            }
        }
        #expect(throws: Never.self) { try EndpointResolver(region: "eu-west-1", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000"]).checkAll() }
    }

    @Test func aRefusedURLIsQuotedWithoutItsUserInformation() {
        #expect(Endpoint.quotable("http://admin:pw@127.0.0.1:1:2/creds") == "http://…@127.0.0.1:1:2/creds")
        // The last @ counts: a password may hold one, and the scheme may be missing.
        #expect(Endpoint.quotable("http://admin:p@ss@127.0.0.1:x") == "http://…@127.0.0.1:x")
        #expect(Endpoint.quotable("admin:secret@127.0.0.1:8080") == "…@127.0.0.1:8080")
        #expect(Endpoint.quotable("admin:pa://ss@127.0.0.1:1") == "…@127.0.0.1:1")
        #expect(Endpoint.quotable("git+ssh://u:p@127.0.0.1") == "git+ssh://…@127.0.0.1")
        // A query or a fragment may carry a token: left out too.
        #expect(Endpoint.quotable("ftp://127.0.0.1/creds?token=CONTTOKbad") == "ftp://127.0.0.1/creds?…")
        #expect(Endpoint.quotable("http://a:b@127.0.0.1:99999/creds#token") == "http://…@127.0.0.1:99999/creds#…")
        #expect(Endpoint.quotable("http://127.0.0.1/creds?token=abc@tail") == "http://…")
        #expect(Endpoint.quotable("http://admin:s3cr?t@127.0.0.1") == "http://…")
        #expect(Endpoint.quotable("http://admin:s3cr#t@127.0.0.1") == "http://…")
        // A long password is left out before the text is cut, never cut into.
        let long = Endpoint.quotable("http://u:" + String(repeating: "s", count: 300) + "@127.0.0.1:1:2")
        #expect(long == "http://…@127.0.0.1:1:2")
        let cut = Endpoint.quotable("http://127.0.0.1/" + String(repeating: "p", count: 300))
        #expect(cut.count == 201 && cut.hasSuffix("p…"))
        #expect(Endpoint.quotable("http://127.0.0.1\n:80") == "http://127.0.0.1\\n:80")
        #expect(Endpoint.quotable("ftp://127.0.0.1") == "ftp://127.0.0.1")
    }

    @Test func aRetriedMutatingCallKeepsItsClientRequestToken() async throws {
        let moto = try await MotoServer.open.endpoint()
        let answeredOnce = Flag()
        let server = try TestHTTPServer { _ in
            answeredOnce.set() ? .forward(port: moto.port ?? 0) : .respond(status: 503, body: "")
        }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        // Deleting a stack that does not exist succeeds, in moto as in AWS.
        try await cloudFormation.deleteStack(stackName: "never-created-\(UUID().uuidString.prefix(6))")
        let tokens = server.requests.map { request in
            request.text.split(separator: "&").first { $0.hasPrefix("ClientRequestToken=") }.map(String.init)
        }
        #expect(tokens.count == 2)
        #expect(tokens[0] != nil && tokens[0] == tokens[1])
    }

    /// RunTask retried after an answer that was lost (a 500 here) sends the same clientToken,
    /// so that ECS starts one task, not two (RunTask's documented idempotency).
    @Test func aRetriedRunTaskKeepsItsClientToken() async throws {
        let answeredOnce = Flag()
        let server = try TestHTTPServer { _ in
            answeredOnce.set()
                ? .respond(status: 200, body: #"{"tasks":[{"taskArn":"arn:aws:ecs:ca-central-1:123456789012:task/c/1","lastStatus":"PROVISIONING"}],"failures":[]}"#)
                : .respond(status: 500, body: #"{"__type":"ServerException","message":"try again"}"#)
        }
        let ecs = ECSClient(configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        let request = ECSClient.RunTaskRequest(
            cluster: "c", taskDefinition: "job:1", subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED",
            startedBy: "berth", container: "job", command: nil)
        let started = try await ecs.runTask(request)
        #expect(started.task?.taskArn == "arn:aws:ecs:ca-central-1:123456789012:task/c/1")
        let tokens = try server.requests.map { request in
            try #require(try JSONSerialization.jsonObject(with: Data(request.text.utf8)) as? [String: Any])["clientToken"] as? String
        }
        #expect(tokens.count == 2)
        #expect(tokens[0] != nil && tokens[0] == tokens[1] && (tokens[0]?.count ?? 0) <= 64)
    }

    @Test func changeSetParametersCarryValuesAndUsePreviousValue() async throws {
        let server = try TestHTTPServer { _ in
            .respond(status: 200, body: "<CreateChangeSetResponse><CreateChangeSetResult><Id>cs</Id><StackId>st</StackId></CreateChangeSetResult></CreateChangeSetResponse>")
        }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        _ = try await cloudFormation.createChangeSet(
            ChangeSetRequest(
                stackName: "s", changeSetName: "c", kind: .update, templateBody: "{}", parameters: [("ImageTag", "dev-2")],
                keepPreviousParameters: ["DatabasePassword"]))
        let form = try #require(server.requests.first).form
        #expect(form["OnStackFailure"] == nil)
        _ = try await cloudFormation.createChangeSet(
            ChangeSetRequest(stackName: "s", changeSetName: "c", kind: .create, templateBody: "{}"))
        // A first create that fails deletes itself.
        #expect(server.requests.last?.form["OnStackFailure"] == "DELETE")
        #expect(form["Parameters.member.1.ParameterKey"] == "ImageTag")
        #expect(form["Parameters.member.1.ParameterValue"] == "dev-2")
        #expect(form["Parameters.member.2.ParameterKey"] == "DatabasePassword")
        #expect(form["Parameters.member.2.UsePreviousValue"] == "true")
        #expect(form["Parameters.member.2.ParameterValue"] == nil)
    }

    @Test func proxiesAreChosenByScheme() throws {
        let settings = ProxySettings(environment: ["https_proxy": "http://proxy:3128", "HTTP_PROXY": "http://plain:8080", "NO_PROXY": ""])
        #expect(settings.proxy(for: try #require(Endpoint(url: "https://cloudformation.eu-west-1.amazonaws.com"))) == "http://proxy:3128")
        #expect(settings.proxy(for: try #require(Endpoint(url: "http://127.0.0.1:5000"))) == "http://plain:8080")
        #expect(settings.proxy(for: try #require(Endpoint(url: "http://169.254.169.254"))) == nil)
        #expect(settings.noProxy == nil)
        #expect(ProxySettings(environment: [:]).proxy(for: try #require(Endpoint(url: "https://sts.amazonaws.com"))) == nil)
    }

    @Test func malformedXMLIsNotADocument() throws {
        #expect(try XMLNode.parse(Array("<a><b>text</b>".utf8)) == nil)
        #expect(try XMLNode.parse([]) == nil)
        #expect(try XMLNode.parse(Array("not xml at all".utf8)) == nil)
        let node = try #require(try XMLNode.parse(Array("<R><L><member><K>a &amp; b</K></member><member><K><![CDATA[<c>]]></K></member></L></R>".utf8)))
        #expect(node.members("L").map { $0.string("K") } == ["a & b", "<c>"])
    }

    @Test func timestampsParseInTheirAWSForms() {
        #expect(ISO8601.date("2026-11-22T09:30:15Z") == Date(timeIntervalSince1970: 1_795_339_815))
        #expect(ISO8601.date("2026-11-22T09:30:15.250Z") == Date(timeIntervalSince1970: 1_795_339_815.25))
        #expect(ISO8601.date("2026-11-22T10:30:15+01:00") == Date(timeIntervalSince1970: 1_795_339_815))
        #expect(ISO8601.date("yesterday") == nil)
    }

    @Test func responseHeadersAreLowercasedAndJoined() {
        let headers = HTTPClient.parseHeaders("HTTP/1.1 200 OK\r\nX-Amzn-RequestId: abc\r\nSet-Cookie: a\r\nset-cookie: b\r\n\r\n")
        #expect(headers == ["x-amzn-requestid": "abc", "set-cookie": "a,b"])
    }
}

/// True from the second call on.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    func set() -> Bool { lock.withLock { calls += 1; return calls > 1 } }
}
