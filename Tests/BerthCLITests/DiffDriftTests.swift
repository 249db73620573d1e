import Foundation
import BerthTestSupport
import Testing

/// `berth diff --drift` against a scripted CloudFormation: moto 5.2.1 does not implement drift
/// detection (DetectStackDrift answers 500), so DetectStackDrift,
/// DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts answer as the CloudFormation
/// API reference documents them (query protocol, XML).
@Suite struct DiffDriftTests {
    /// A thread-safe count of calls.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
    }

    private static let credentials = ["AWS_ACCESS_KEY_ID": "AKIDDR", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true"]

    /// How the scripted detection ends.
    enum Detection {
        case drifted
        case inSync
        case failed
    }

    /// FixtureApp's phase-1 template, as deployed: no template differences.
    private func deployedTemplate() async throws -> String {
        let out = try temporaryDirectory()
        let synth = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--stack", "shop-api-ecr"])
        #expect(synth.status == 0)
        return try readFile(out + "/shop-api-ecr.template.json")
    }

    private func server(template: String, detection: Detection) throws -> TestHTTPServer {
        let polls = Counter()
        return try TestHTTPServer { request in
            let action = request.form["Action"] ?? ""
            func xml(_ result: String) -> TestHTTPServer.Reply { .queryResult(action, result) }
            switch action {
            case "DescribeStacks":
                return xml("<Stacks><member><StackName>shop-api-ecr</StackName><StackId>arn:stack/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>\(TestHTTPServer.Reply.stackTags(["berth:app": "shop"]))</member></Stacks>")
            case "GetTemplate":
                return xml("<TemplateBody>\(TestHTTPServer.Reply.xmlEscaped(template))</TemplateBody>")
            case "DetectStackDrift":
                return xml("<StackDriftDetectionId>b78ac9b0-dec1-11e7-a451-503a3e8b7e6e</StackDriftDetectionId>")
            case "DescribeStackDriftDetectionStatus":
                guard request.form["StackDriftDetectionId"] == "b78ac9b0-dec1-11e7-a451-503a3e8b7e6e" else {
                    return .respond(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>no such detection</Message></Error></ErrorResponse>")
                }
                if polls.next() == 0 {
                    return xml("<StackId>arn:stack/1</StackId><StackDriftDetectionId>b78ac9b0</StackDriftDetectionId><DetectionStatus>DETECTION_IN_PROGRESS</DetectionStatus>")
                }
                switch detection {
                case .drifted:
                    return xml("""
                        <StackId>arn:stack/1</StackId><StackDriftStatus>DRIFTED</StackDriftStatus><DetectionStatus>DETECTION_COMPLETE</DetectionStatus>\
                        <DriftedStackResourceCount>1</DriftedStackResourceCount><Timestamp>2026-11-22T10:00:00.000Z</Timestamp>
                        """)
                case .inSync:
                    return xml("<StackDriftStatus>IN_SYNC</StackDriftStatus><DetectionStatus>DETECTION_COMPLETE</DetectionStatus><DriftedStackResourceCount>0</DriftedStackResourceCount>")
                case .failed:
                    return xml("<DetectionStatus>DETECTION_FAILED</DetectionStatus><DetectionStatusReason>Stack is in an invalid state</DetectionStatusReason>")
                }
            case "DescribeStackResourceDrifts":
                guard detection == .drifted else { return xml("<StackResourceDrifts></StackResourceDrifts>") }
                return xml("""
                    <StackResourceDrifts><member><StackId>arn:stack/1</StackId><LogicalResourceId>Repository</LogicalResourceId>\
                    <PhysicalResourceId>shop/api</PhysicalResourceId><ResourceType>AWS::ECR::Repository</ResourceType>\
                    <StackResourceDriftStatus>MODIFIED</StackResourceDriftStatus><PropertyDifferences><member>\
                    <PropertyPath>/ImageTagMutability</PropertyPath><ExpectedValue>IMMUTABLE</ExpectedValue><ActualValue>MUTABLE</ActualValue>\
                    <DifferenceType>NOT_EQUAL</DifferenceType></member></PropertyDifferences>\
                    <Timestamp>2026-11-22T10:00:00.000Z</Timestamp></member></StackResourceDrifts>
                    """)
            default:
                return .respond(status: 400, body: "<ErrorResponse><Error><Code>InvalidAction</Code><Message>unexpected \(action)</Message></Error></ErrorResponse>")
            }
        }
    }

    private func actions(_ server: TestHTTPServer) -> [String] { server.requests.compactMap { $0.form["Action"] } }

    @Test func eachDriftedPropertyIsShownWithItsExpectedAndActualValue() async throws {
        let server = try server(template: try await deployedTemplate(), detection: .drifted)
        let arguments = ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "template", "--drift"]
        let result = await runBerth(arguments, environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Stack shop-api-ecr (eu-west-1): no differences"), "\(result.out)")
        #expect(result.out.contains("Drift: 1 resource drifted\n[~] AWS::ECR::Repository Repository\n └─ /ImageTagMutability: expected IMMUTABLE, actual MUTABLE\n"), "\(result.out)")
        #expect(result.out.hasSuffix("1 stack compared, 0 with differences, 1 drifted\n"))
        // Detection records its result; nothing else is changed.
        #expect(actions(server) == ["DescribeStacks", "GetTemplate", "DetectStackDrift", "DescribeStackDriftDetectionStatus", "DescribeStackDriftDetectionStatus", "DescribeStackResourceDrifts"])
        let drifts = try #require(server.requests.first { $0.form["Action"] == "DescribeStackResourceDrifts" })
        #expect(drifts.form["StackResourceDriftStatusFilters.member.1"] == "MODIFIED")
        #expect(drifts.form["StackResourceDriftStatusFilters.member.2"] == "DELETED")

        #expect(await runBerth(arguments + ["--fail"], environment: Self.credentials).status == 1)

        // The step summary has the drift table.
        let summary = try temporaryDirectory() + "/summary.md"
        var environment = Self.credentials
        environment["GITHUB_STEP_SUMMARY"] = summary
        #expect(await runBerth(arguments, environment: environment).status == 0)
        let markdown = try readFile(summary)
        #expect(markdown.contains("drift: 1 resource drifted\n\n| Resource | Type | Property | Expected | Actual |"), "\(markdown)")
        #expect(markdown.contains("| Repository | AWS::ECR::Repository | /ImageTagMutability | IMMUTABLE | MUTABLE |"))

        let json = await runBerth(arguments + ["--json"], environment: Self.credentials)
        #expect(json.status == 0)
        #expect(json.out.contains(#""hasDrift": true"#), "\(json.out)")
        #expect(json.out.contains(#""drift": {"#))
        #expect(json.out.contains(#""path": "/ImageTagMutability""#))
        #expect(json.out.contains(#""expected": "IMMUTABLE""#) && json.out.contains(#""actual": "MUTABLE""#))
        #expect(json.out.contains(#""type": "NOT_EQUAL""#))
    }

    @Test func aStackInSyncPassesFail() async throws {
        let server = try server(template: try await deployedTemplate(), detection: .inSync)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "template", "--drift", "--fail"],
            environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Drift: in sync"), "\(result.out)")
    }

    @Test func withoutDriftTheJSONHasNoDriftFields() async throws {
        let server = try server(template: try await deployedTemplate(), detection: .drifted)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "template", "--json"],
            environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        #expect(!result.out.contains("hasDrift") && !result.out.contains(#""drift""#))
        #expect(!actions(server).contains("DetectStackDrift"))
    }

    @Test func aFailedDetectionIsExitStatusFive() async throws {
        let server = try server(template: try await deployedTemplate(), detection: .failed)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "template", "--drift"],
            environment: Self.credentials)
        #expect(result.status == 5)
        #expect(result.err.contains("shop-api-ecr: drift detection failed: Stack is in an invalid state"), "\(result.err)")
    }

    @Test func driftNeedsTheDeployedStack() async {
        let result = await runBerth(["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--template", "x.json", "--drift"])
        #expect(result.status == 2)
        #expect(result.err.contains("--drift needs the deployed stacks"))
    }
}
