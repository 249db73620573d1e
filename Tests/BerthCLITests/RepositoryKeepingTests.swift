import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// What Berth's phase-1 template does not declare of a repository (its own tags, and a policy set
/// by hand or kept when the repository was adopted) outlives every update of the stack.
/// CloudFormation's update of an `AWS::ECR::Repository` removes such a policy and such tags
/// (AWS's ECR resource provider, `UpdateHandler`); moto 5.2.1 does neither, so a proxy in front of
/// moto deletes the policy and the tags in moto when the change set executes, as CloudFormation
/// would. Everything else is moto's, with signature checking on.
@Suite(.serialized) struct RepositoryKeepingTests {
    private static let region = "us-west-2"
    private static let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"ci","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:BatchGetImage"]}]}"#

    private static func environmentFile(app: String, keepImages: Int) -> String {
        """
        app: \(app)
        region: us-west-2
        network:
          vpc: new
          cidr: 10.61.0.0/16
        lifecycle:
          keepImages: \(keepImages)
        services:
          web:
            cpu: 256
            memory: 512
            containerPort: 3000

        """
    }

    /// The ECR operation of a request through the proxy, if it is one.
    private static func ecrOperation(_ request: TestHTTPServer.Request) -> String? {
        request.headers["x-amz-target"]?.split(separator: ".").last.map(String.init)
    }

    /// What a test needs after the update: moto, its keys, the proxy and the deploy's arguments.
    private struct Setup {
        let moto: Endpoint
        let keys: Credentials
        let proxy: TestHTTPServer
        let environment: [String: String]
        let deploy: [String]
        let updated: CommandResult
    }

    /// How the proxy in front of moto answers, besides removing what CloudFormation's update removes.
    private struct Answers: Sendable {
        /// SetRepositoryPolicy is refused (AccessDenied).
        var refusingPolicyWrites = false
        /// Once the change set of the update runs, the stack stays UPDATE_IN_PROGRESS.
        var stallingTheUpdate = false
        /// ListTagsForResource is refused (AccessDenied).
        var refusingTagReads = false
        /// How ExecuteChangeSet of the update is answered.
        var execute = ExecuteAnswer.moto
        /// The second deploy is refused before its change set runs.
        var expectingNoUpdate = false
    }

    /// How the proxy answers the update's ExecuteChangeSet.
    private enum ExecuteAnswer {
        /// As moto answers it.
        case moto
        /// The change set runs in moto and the call answers HTTP 500, an answer lost after the
        /// update began; every retry is refused (HTTP 400, InvalidChangeSetStatus), as
        /// CloudFormation refuses to run a change set again.
        case lostAfterRunning
        /// The call, and every retry, answers HTTP 500 and the change set has not run yet
        /// (it still reads AVAILABLE): the call may yet be applied.
        case lostBeforeRunning
        /// The change set runs in moto, the call and every retry answer HTTP 500, and
        /// DescribeChangeSet answers HTTP 500 after them.
        case lostAndUnreadable
        /// HTTP 400, InvalidChangeSetStatus, and nothing runs.
        case refused
    }

    /// App `app`'s repository made by a first deploy of `first` (`environmentFile` with two kept
    /// images when `nil`), a policy and tags set on it by hand, then a deploy of `second` (five
    /// kept images when `nil`), whose update modifies the repository.
    private static func update(
        app: String, first: String? = nil, second: String? = nil, answers: Answers = Answers(), timeout: String? = nil
    ) async throws -> Setup {
        let (moto, keys, environment) = try await signedMoto()
        let stack = "\(app)-web-ecr"
        let executed = ExecutedFlag()
        let proxy = try TestHTTPServer { request in
            // CloudFormation's update of the repository removes the undeclared policy and tags.
            let failure = { (status: Int, code: String) -> TestHTTPServer.Reply in
                .respond(status: status, body: "<ErrorResponse><Error><Code>\(code)</Code><Message>\(code)</Message></Error></ErrorResponse>")
            }
            if request.form["Action"] == "ExecuteChangeSet", request.form["StackName"] == stack {
                // Call 1 runs the first create's change set, call 2 the update's; later ones retry it.
                let call = executed.call()
                if call >= 2 && answers.execute == .refused { return failure(400, "InvalidChangeSetStatus") }
                if call >= 3 && answers.execute == .lostAfterRunning { return failure(400, "InvalidChangeSetStatus") }
                if call >= 3 && answers.execute != .moto { return failure(500, "InternalFailure") }
                let answeredHere = call == 2 && answers.execute != .moto
                let done = DispatchSemaphore(value: 0)
                Task {
                    try? await MotoHelpers.deleteRepositoryPolicy(moto, region: Self.region, repository: "\(app)/web", credentials: keys)
                    try? await MotoHelpers.untagRepository(moto, region: Self.region, repository: "\(app)/web", keys: ["team", "cost-center"], credentials: keys)
                    if answeredHere, answers.execute != .lostBeforeRunning, let changeSet = request.form["ChangeSetName"],
                        let configuration = try? MotoHelpers.configuration(moto, region: Self.region, credentials: keys)
                    {
                        try? await CloudFormationClient(configuration: configuration).executeChangeSet(stackName: stack, changeSetName: changeSet)
                    }
                    done.signal()
                }
                done.wait()
                executed.ran()
                if answeredHere { return failure(500, "InternalFailure") }
            }
            if answers.execute == .lostAndUnreadable, executed.times == 2, request.form["Action"] == "DescribeChangeSet" {
                return failure(500, "InternalFailure")
            }
            // The stack asked for by its name or by its ID (as the deploy follows a change set's stack).
            let asksForStack = request.form["StackName"] == stack || request.form["StackName"]?.contains(":stack/\(stack)/") == true
            if answers.stallingTheUpdate, executed.times == 2, request.form["Action"] == "DescribeStacks", asksForStack {
                let asked = request.form["StackName"] ?? stack
                let stackID = asked.contains(":stack/") ? asked : "arn:aws:cloudformation:\(Self.region):123456789012:stack/\(stack)/1"
                return .queryResult(
                    "DescribeStacks",
                    "<Stacks><member><StackName>\(stack)</StackName><StackId>\(stackID)</StackId>"
                        + "<StackStatus>UPDATE_IN_PROGRESS</StackStatus><CreationTime>2026-12-01T10:00:00Z</CreationTime>"
                        + TestHTTPServer.Reply.stackTags(["berth:app": app]) + "</member></Stacks>")
            }
            if answers.refusingPolicyWrites && ecrOperation(request) == "SetRepositoryPolicy"
                || answers.refusingTagReads && ecrOperation(request) == "ListTagsForResource"
            {
                return .respond(
                    status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"__type":"AccessDeniedException","message":"not authorized to perform: ecr:\#(ecrOperation(request) ?? "")"}"#)
            }
            return .forward(port: moto.port ?? 0)
        }
        let directory = try configuration(["dev.yaml": first ?? environmentFile(app: app, keepImages: 2)])
        let deploy = ["deploy", "--config", directory, "--endpoint-url", proxy.url, "--phase", "ecr"]

        // The first create: the repository is new and has nothing of its own to keep.
        let created = await runBerth(deploy + ["--out", try temporaryDirectory()], environment: environment)
        #expect(created.status == 0, "\(created.out)\n\(created.err)")
        #expect(!created.out.contains("put it back") && !created.out.contains("put them back"))

        try await MotoHelpers.setRepositoryPolicy(moto, region: region, repository: "\(app)/web", policy: policy, credentials: keys)
        try await MotoHelpers.tagRepository(moto, region: region, repository: "\(app)/web", tags: ["team": "payments", "cost-center": "4711"], credentials: keys)
        try (second ?? environmentFile(app: app, keepImages: 5)).write(
            toFile: (directory as NSString).appendingPathComponent("dev.yaml"), atomically: true, encoding: .utf8)
        let updated = await runBerth(
            deploy + ["--out", try temporaryDirectory()] + (timeout.map { ["--timeout", $0] } ?? []), environment: environment)
        let updates = answers.refusingTagReads || answers.expectingNoUpdate || answers.execute == .refused ? 0 : 1
        // A failed ExecuteChangeSet is judged by the change set, read after it.
        let actions = proxy.requests.filter { $0.form["StackName"] == stack }.compactMap { $0.form["Action"] }
        let lastExecute = actions.lastIndex(of: "ExecuteChangeSet") ?? actions.endIndex
        #expect(
            answers.execute == .moto
                || actions[lastExecute...].contains("DescribeChangeSet"),
            "\(actions)")
        #expect(executed.times == 1 + updates, "the update did not run through the proxy as expected")
        return Setup(moto: moto, keys: keys, proxy: proxy, environment: environment, deploy: deploy, updated: updated)
    }

    private static func ecr(_ setup: Setup) throws -> ECRClient {
        ECRClient(configuration: try MotoHelpers.configuration(setup.moto, region: region, credentials: setup.keys))
    }

    @Test func aPolicyAndTagsTheTemplateDoesNotDeclareArePutBackAfterAnUpdateRemovesThem() async throws {
        let setup = try await Self.update(app: "wharf")
        #expect(setup.updated.status == 0, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(
            setup.updated.out.contains(
                "wharf-web-ecr: the update removed the tags cost-center, team of repository wharf/web, which the template does not declare; Berth put them back as they were"),
            "\(setup.updated.out)")
        #expect(
            setup.updated.out.contains("wharf-web-ecr: the update removed the repository policy of wharf/web, which the template does not declare; Berth put it back as it was"),
            "\(setup.updated.out)")
        let ecr = try Self.ecr(setup)
        let kept = try #require(try await ecr.getRepositoryPolicy(repository: "wharf/web"))
        #expect(try JSONValue.parseJSON(kept, file: "kept") == JSONValue.parseJSON(Self.policy, file: "set"))
        let arn = try #require(try await ecr.describeRepositories(names: ["wharf/web"]).collect().first?.repositoryArn)
        let tags = try await ecr.listTags(resourceArn: arn)
        #expect(tags["team"] == "payments" && tags["cost-center"] == "4711", "\(tags)")
    }

    /// The pull policy Berth declared for an environment in another account is Berth's: once no
    /// environment needs it, the update removes it and it stays removed. (moto 5.2.1 does not
    /// apply a template's RepositoryPolicyText, so the policy the first template declares is set
    /// as CloudFormation would have set it; the tags are the repository's own and go back.)
    @Test func thePullPolicyBerthDeclaredIsRemovedWhenNoLongerDeclared() async throws {
        let crossAccount = Self.environmentFile(app: "marina", keepImages: 2) + "account: \"210987654321\"\n"
        let setup = try await Self.update(app: "marina", first: crossAccount, second: Self.environmentFile(app: "marina", keepImages: 2))
        #expect(setup.updated.status == 0, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(setup.updated.out.contains("the update removed the tags cost-center, team of repository marina/web"), "\(setup.updated.out)")
        #expect(!setup.updated.out.contains("put it back"), "\(setup.updated.out)")
        #expect(try await Self.ecr(setup).getRepositoryPolicy(repository: "marina/web") == nil)
    }

    /// A policy set by hand that the pull policy Berth now declares (an environment in another
    /// account) would replace: refused, nothing changed, the policy printed, as adoption refuses it.
    @Test func aPolicyThePullPolicyWouldReplaceIsRefused() async throws {
        let crossAccount = Self.environmentFile(app: "mooring", keepImages: 2) + "account: \"210987654321\"\n"
        let setup = try await Self.update(app: "mooring", second: crossAccount, answers: Answers(refusingTagReads: false, expectingNoUpdate: true))
        #expect(setup.updated.status == 2, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(
            setup.updated.err.contains(
                "mooring-web-ecr: repository mooring/web has a policy that Berth's template does not hold, and the update would replace it"),
            "\(setup.updated.err)")
        #expect(setup.updated.err.contains("nothing was changed") && setup.updated.err.contains(#""Sid":"ci""#), "\(setup.updated.err)")
        #expect(
            setup.updated.err.contains("aws ecr delete-repository-policy --region us-west-2 --registry-id 123456789012 --repository-name mooring/web"),
            "\(setup.updated.err)")
        // Refused before any change set of the update: the one change set is the first create's.
        #expect(setup.proxy.requests.filter { $0.form["Action"] == "CreateChangeSet" && $0.form["StackName"] == "mooring-web-ecr" }.count == 1)
        let kept = try #require(try await Self.ecr(setup).getRepositoryPolicy(repository: "mooring/web"))
        #expect(try JSONValue.parseJSON(kept, file: "kept") == JSONValue.parseJSON(Self.policy, file: "set"))
    }

    @Test func whatCannotBePutBackIsPrintedWithTheCommandThatSetsIt() async throws {
        let setup = try await Self.update(app: "jetty", answers: Answers(refusingPolicyWrites: true))
        #expect(setup.updated.status == 1)
        // The tags went back; the policy is named with the command that sets it.
        #expect(setup.updated.out.contains("the update removed the tags cost-center, team of repository jetty/web"), "\(setup.updated.out)")
        #expect(
            setup.updated.err.contains(
                "jetty-web-ecr: the update removed the repository policy of repository jetty/web, which the templates do not declare, and putting them back failed"),
            "\(setup.updated.err)")
        #expect(setup.updated.err.contains("AccessDeniedException"))
        #expect(!setup.updated.err.contains("aws ecr tag-resource"), "\(setup.updated.err)")
        #expect(setup.updated.err.contains("aws ecr set-repository-policy --region us-west-2 --registry-id 123456789012 --repository-name jetty/web --policy-text '\(Self.policy)'"), "\(setup.updated.err)")
    }

    /// What the update could remove cannot be read first: the change set is deleted, not run.
    @Test func aRepositoryThatCannotBeReadFirstIsNotUpdated() async throws {
        let setup = try await Self.update(app: "slipway", answers: Answers(refusingTagReads: true))
        #expect(setup.updated.status == 1)
        #expect(
            setup.updated.err.contains(
                "slipway-web-ecr: could not read the tags and policy of repository slipway/web, which the update would remove where the templates do not declare them"),
            "\(setup.updated.err)")
        #expect(setup.updated.err.contains("nothing was changed: the change set was deleted"))
        #expect(setup.proxy.requests.contains { $0.form["Action"] == "DeleteChangeSet" && $0.form["StackName"] == "slipway-web-ecr" })
        let ecr = try Self.ecr(setup)
        #expect(try await ecr.getRepositoryPolicy(repository: "slipway/web") != nil)
    }

    /// An ExecuteChangeSet whose answer was lost, and whose retries were refused, after the
    /// change set ran: the change set's execution status says it ran, so the update is followed
    /// and what it removed put back.
    @Test func anExecuteWhoseAnswerWasLostIsFollowedAndWhatItRemovedPutBack() async throws {
        let setup = try await Self.update(app: "boathouse", answers: Answers(execute: .lostAfterRunning))
        #expect(setup.updated.status == 0, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(setup.updated.out.contains("boathouse-web-ecr: ExecuteChangeSet failed (cloudformation ExecuteChangeSet failed: InvalidChangeSetStatus"), "\(setup.updated.out)")
        #expect(setup.updated.out.contains("but the change set ran; following the stack"), "\(setup.updated.out)")
        #expect(setup.updated.out.contains("the update removed the repository policy of boathouse/web, which the template does not declare; Berth put it back as it was"))
        let ecr = try Self.ecr(setup)
        #expect(try await ecr.getRepositoryPolicy(repository: "boathouse/web") != nil)
        let arn = try #require(try await ecr.describeRepositories(names: ["boathouse/web"]).collect().first?.repositoryArn)
        #expect(try await ecr.listTags(resourceArn: arn)["team"] == "payments")
    }

    /// An ExecuteChangeSet without a good answer, whose change set cannot be read after it, may
    /// have started the update: nothing is put back, and the commands are printed.
    @Test func anExecuteWithoutAnAnswerLeavesTheCommandsThatPutThemBack() async throws {
        let setup = try await Self.update(app: "drydock", answers: Answers(execute: .lostAndUnreadable))
        #expect(setup.updated.status == 1, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(setup.updated.err.contains("drydock-web-ecr had not settled, and its update may remove the tags and repository policy of"), "\(setup.updated.err)")
        #expect(setup.updated.err.contains("aws ecr set-repository-policy --region us-west-2 --registry-id 123456789012 --repository-name drydock/web"))
        #expect(!setup.proxy.requests.contains { Self.ecrOperation($0) == "SetRepositoryPolicy" || Self.ecrOperation($0) == "TagResource" })
    }

    /// An ExecuteChangeSet refused before anything ran changes nothing: its error, and no
    /// commands to put back what was never removed.
    @Test func aRefusedExecuteChangesNothing() async throws {
        let setup = try await Self.update(app: "lighthouse", answers: Answers(execute: .refused))
        #expect(setup.updated.status == 1, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(setup.updated.err.contains("InvalidChangeSetStatus"), "\(setup.updated.err)")
        #expect(!setup.updated.err.contains("had not settled") && !setup.updated.err.contains("aws ecr"), "\(setup.updated.err)")
        #expect(setup.proxy.requests.contains { $0.form["Action"] == "DeleteChangeSet" && $0.form["StackName"] == "lighthouse-web-ecr" })
    }

    /// An ExecuteChangeSet without an answer whose change set has not run yet may still be
    /// applied: nothing is put back, and the commands are printed.
    @Test func anExecuteWithoutAnAnswerBeforeItRunsLeavesTheCommands() async throws {
        let setup = try await Self.update(app: "breakwater", answers: Answers(execute: .lostBeforeRunning))
        #expect(setup.updated.status == 1, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(setup.updated.err.contains("breakwater-web-ecr had not settled, and its update may remove the tags and repository policy of"), "\(setup.updated.err)")
        #expect(setup.updated.err.contains("aws ecr set-repository-policy --region us-west-2 --registry-id 123456789012 --repository-name breakwater/web"))
    }

    /// A deploy that stops before the update settles puts nothing back (the update may remove
    /// it yet), and says what to set again once it has.
    @Test func anUpdateThatHasNotSettledLeavesTheCommandsThatPutThemBack() async throws {
        let setup = try await Self.update(app: "quayside", answers: Answers(stallingTheUpdate: true), timeout: "3s")
        #expect(setup.updated.status == 4, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(setup.updated.err.contains("quayside-web-ecr had not settled, and its update may remove the tags and repository policy of"), "\(setup.updated.err)")
        #expect(setup.updated.err.contains("aws ecr tag-resource --region us-west-2 --resource-arn arn:aws:ecr:us-west-2:123456789012:repository/quayside/web --tags 'Key=cost-center,Value=4711' 'Key=team,Value=payments'"), "\(setup.updated.err)")
        #expect(setup.updated.err.contains("aws ecr set-repository-policy --region us-west-2 --registry-id 123456789012 --repository-name quayside/web --policy-text '\(Self.policy)'"))
        #expect(!setup.proxy.requests.contains { Self.ecrOperation($0) == "SetRepositoryPolicy" || Self.ecrOperation($0) == "TagResource" })
        // Stopped by the deadline, the update is no failure of the stack's: CloudFormation carries on.
        #expect(setup.updated.err.contains("carries on"), "\(setup.updated.err)")
        #expect(!setup.updated.err.contains("failed: "), "\(setup.updated.err)")
    }
}

/// How many times the proxy was asked to run a change set of the stack, and how many ran.
private final class ExecutedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    private var executions = 0
    /// Counts a call; returns its number, from 1.
    func call() -> Int {
        lock.withLock {
            calls += 1
            return calls
        }
    }
    func ran() { lock.withLock { executions += 1 } }
    var times: Int { lock.withLock { executions } }
}
