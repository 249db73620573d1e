import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// A first deploy whose CREATE change set is given up on, against moto with signatures checked:
/// the stack the change set made (`REVIEW_IN_PROGRESS`, no resource) goes with it, and no other.
/// moto never fails a change set, so its DescribeChangeSet is answered `FAILED` here, as the API
/// reference shows one CloudFormation refused; every other call is moto's own.
@Suite struct ChangeSetGivenUpTests {
    static let region = "il-central-1"
    static let template = #"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#

    /// A proxy to moto that fails this deploy's change sets (`berth-…`), and answers
    /// ListChangeSets with `otherChangeSet` of the stack when one is given (another pipeline's,
    /// made while the deploy waited).
    static func proxy(
        to moto: Endpoint, otherChangeSet: String? = nil, stackName: String, failsChangeSet: Bool = true, refusesExecute: Bool = false,
        refusesListing: Bool = false
    ) throws -> TestHTTPServer {
        try TestHTTPServer { request in
            if refusesExecute, request.form["Action"] == "ExecuteChangeSet" {
                return .respond(
                    status: 400, headers: [("Content-Type", "text/xml")],
                    body: "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>scripted refusal</Message></Error><RequestId>r</RequestId></ErrorResponse>")
            }
            if refusesListing, request.form["Action"] == "ListChangeSets" {
                return .respond(
                    status: 403, headers: [("Content-Type", "text/xml")],
                    body: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/berth-deploy/s is not authorized to perform: cloudformation:ListChangeSets</Message></Error><RequestId>r</RequestId></ErrorResponse>")
            }
            if failsChangeSet, request.form["Action"] == "DescribeChangeSet", request.form["ChangeSetName"]?.hasPrefix("berth-") == true {
                return .respond(
                    status: 200, headers: [("Content-Type", "text/xml")],
                    body: """
                        <DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetName>\(request.form["ChangeSetName"] ?? "")</ChangeSetName>\
                        <StackName>\(stackName)</StackName><Status>FAILED</Status><ExecutionStatus>UNAVAILABLE</ExecutionStatus>\
                        <StatusReason>Template format error: Unrecognized resource types: [AWS::Nope::Thing]</StatusReason><Changes/>\
                        </DescribeChangeSetResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeChangeSetResponse>
                        """)
            }
            if request.form["Action"] == "ListChangeSets", let otherChangeSet {
                return .respond(
                    status: 200, headers: [("Content-Type", "text/xml")],
                    body: """
                        <ListChangeSetsResponse><ListChangeSetsResult><Summaries><member>\
                        <StackId>arn:aws:cloudformation:\(region):123456789012:stack/\(stackName)/1</StackId><StackName>\(stackName)</StackName>\
                        <ChangeSetId>arn:aws:cloudformation:\(region):123456789012:changeSet/\(otherChangeSet)/2</ChangeSetId>\
                        <ChangeSetName>\(otherChangeSet)</ChangeSetName><ExecutionStatus>AVAILABLE</ExecutionStatus><Status>CREATE_COMPLETE</Status>\
                        </member></Summaries></ListChangeSetsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListChangeSetsResponse>
                        """)
            }
            return .forward(port: moto.port ?? 0)
        }
    }

    /// What the deploy said, as it said it.
    final class Messages: @unchecked Sendable {
        private let lock = NSLock()
        private var said: [String] = []
        var all: [String] { lock.withLock { said } }
        func add(_ message: String) { lock.withLock { said.append(message) } }
    }

    static func deploy(_ stackName: String, through proxy: TestHTTPServer, keys: Credentials, messages: Messages = Messages()) async throws -> (any Error)? {
        let configuration = try MotoHelpers.configuration(
            Endpoint(scheme: "http", host: "127.0.0.1", port: proxy.port), region: region, credentials: keys)
        let deployer = StackDeployer(
            cloudFormation: CloudFormationClient(configuration: configuration), ecs: nil,
            reporter: DeployReporter(message: { messages.add($0) }, plannedChanges: { _, _ in }, event: { _, _, _ in }),
            timeout: .seconds(30), schedule: PollSchedule(random: { 0 }))
        do {
            _ = try await deployer.deploy(StackDeployment(stackName: stackName, templateBody: template, resourceCount: 1))
            return nil
        } catch {
            return error
        }
    }

    /// The refused change set's stack is deleted; a stack of another app left
    /// `REVIEW_IN_PROGRESS` in the same region (which moto's ListChangeSets lists alongside)
    /// stays, with its change set.
    @Test func aRefusedFirstChangeSetTakesTheEmptyStackItMade() async throws {
        let server = MotoServer.authenticating
        let moto = try await server.endpoint()
        let keys = try await server.iamUserCredentials()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        _ = try await cloudFormation.createChangeSet(
            ChangeSetRequest(stackName: "quay-other-dev", changeSetName: "pending-review", kind: .create, templateBody: Self.template))
        let proxy = try Self.proxy(to: moto, stackName: "quay-api-dev")
        defer { proxy.stop() }

        let error = try await Self.deploy("quay-api-dev", through: proxy, keys: keys)
        #expect("\(error.map { "\($0)" } ?? "no error")".contains("Unrecognized resource types"), "\(String(describing: error))")
        let actions = proxy.requests.compactMap { $0.form["Action"] }
        #expect(actions.suffix(3) == ["DescribeStacks", "ListChangeSets", "DeleteStack"], "\(actions)")
        #expect(!actions.contains("ExecuteChangeSet"))
        #expect(try await cloudFormation.describeStack("quay-api-dev") == nil)
        #expect(try await cloudFormation.describeStack("quay-other-dev")?.status == .reviewInProgress)
        #expect(try await cloudFormation.listChangeSets(stackName: "quay-other-dev").collect() == ["pending-review"])
    }

    /// Another change set on the stack by the time this one is given up on (another pipeline's
    /// first deploy of the same stack): the stack is kept for it, and only this deploy's change
    /// set is deleted.
    @Test func aStackThatHoldsAnotherChangeSetByThenIsKept() async throws {
        let server = MotoServer.authenticating
        let moto = try await server.endpoint()
        let keys = try await server.iamUserCredentials()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let proxy = try Self.proxy(to: moto, otherChangeSet: "other-pipeline", stackName: "quay-web-dev")
        defer { proxy.stop() }

        let error = try await Self.deploy("quay-web-dev", through: proxy, keys: keys)
        #expect(error != nil)
        let actions = proxy.requests.compactMap { $0.form["Action"] }
        #expect(actions.suffix(3) == ["DescribeStacks", "ListChangeSets", "DeleteChangeSet"], "\(actions)")
        #expect(try await cloudFormation.describeStack("quay-web-dev")?.status == .reviewInProgress)
    }

    /// A change set made and refused at its execute (an ExecuteChangeSet answered HTTP 400, the
    /// change set still AVAILABLE in moto, so never run) takes the stack its CREATE made too.
    @Test func aFirstChangeSetRefusedAtItsExecuteTakesTheEmptyStackItMade() async throws {
        let server = MotoServer.authenticating
        let moto = try await server.endpoint()
        let keys = try await server.iamUserCredentials()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let proxy = try Self.proxy(to: moto, stackName: "quay-jobs-dev", failsChangeSet: false, refusesExecute: true)
        defer { proxy.stop() }

        let error = try await Self.deploy("quay-jobs-dev", through: proxy, keys: keys)
        #expect("\(error.map { "\($0)" } ?? "no error")".contains("scripted refusal"), "\(String(describing: error))")
        let actions = proxy.requests.compactMap { $0.form["Action"] }
        #expect(actions.suffix(4) == ["DescribeChangeSet", "DescribeStacks", "ListChangeSets", "DeleteStack"], "\(actions)")
        #expect(try await cloudFormation.describeStack("quay-jobs-dev") == nil)
    }

    /// Credentials that may not list change sets (a deploy role bootstrapped before Berth read
    /// them): the empty stack is kept, and the deploy says so, with the command that deletes it.
    @Test func aStackWhoseChangeSetsCannotBeListedIsKeptAndSaid() async throws {
        let server = MotoServer.authenticating
        let moto = try await server.endpoint()
        let keys = try await server.iamUserCredentials()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let proxy = try Self.proxy(to: moto, stackName: "quay-cron-dev", refusesListing: true)
        defer { proxy.stop() }

        let messages = Messages()
        let error = try await Self.deploy("quay-cron-dev", through: proxy, keys: keys, messages: messages)
        #expect(error != nil)
        #expect(
            messages.all.contains {
                $0.hasPrefix("quay-cron-dev: the stack this deploy made for its change set is kept: whether it still holds nothing and no other change set could not be read (")
                    && $0.contains("AccessDenied")
                    && $0.hasSuffix("; once it is REVIEW_IN_PROGRESS with no change set on it, aws cloudformation delete-stack --stack-name quay-cron-dev removes it")
            }, "\(messages.all)")
        let actions = proxy.requests.compactMap { $0.form["Action"] }
        #expect(actions.suffix(2) == ["ListChangeSets", "DeleteChangeSet"], "\(actions)")
        #expect(try await cloudFormation.describeStack("quay-cron-dev")?.status == .reviewInProgress)
    }
}
