import BerthAWS
import BerthModel
import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// Rollback's choice of tags, from a history: the last tag that completed before the current
/// one, or the one named; a tag the repository no longer holds is refused, by name.
struct RollbackChoiceTests {
    private func record(_ tag: String, _ outcome: DeployOutcome, at minute: Int, commit: String? = nil, digest: String? = nil) -> DeployRecord {
        var record = DeployRecord(environment: "prod", service: "api", id: "\(minute)", outcome: outcome)
        record.imageTag = tag
        record.imageDigest = digest
        record.startedAt = Date(timeIntervalSince1970: Double(minute * 60))
        record.commit = commit
        return record
    }

    private func history(current: String?, _ records: [DeployRecord]) -> DeployHistory {
        var service = DeployHistory.Service(environment: "prod", service: "api", stack: "shop-api-prod", repository: "shop/api")
        service.isDeployed = current != nil
        service.deployedTag = current
        service.records = records
        return DeployHistory(services: [service])
    }

    @Test func theLastCompletedTagBeforeTheCurrentOneIsChosen() throws {
        let history = history(current: "t4", [
            record("t4", .completed, at: 40), record("t3", .rolledBackByCircuitBreaker, at: 30), record("t2", .completed, at: 20),
            record("t1", .completed, at: 10),
        ])
        let choice = try RollbackChoice(history: history, requested: try ImageSelection([], allowMutable: false))
        #expect(choice.tags == ["api": "t2"])
        #expect(choice.imageTagArguments == ["api=t2"])
    }

    /// After t1, t2 and a rollback to t1, a second rollback goes back past t1 (to t0), not to
    /// t2, the version just left; with nothing before t1, there is nothing earlier.
    @Test func aSecondRollbackGoesFurtherBackNotToTheTagJustLeft() throws {
        let back = history(current: "t1", [
            record("t1", .completed, at: 30), record("t2", .completed, at: 20), record("t1", .completed, at: 10), record("t0", .completed, at: 5),
        ])
        #expect(try RollbackChoice(history: back, requested: try ImageSelection([], allowMutable: false)).tags == ["api": "t0"])
        // A failed deploy of the current tag is not where it first ran: t2 failed, z came back,
        // a hotfix t1 completed, then t2 completed; the rollback goes to t1.
        let failedBefore = history(current: "t2", [
            record("t2", .completed, at: 50), record("t1", .completed, at: 40), record("z", .completed, at: 30),
            record("t2", .rolledBackByCircuitBreaker, at: 20), record("z", .completed, at: 10),
        ])
        #expect(try RollbackChoice(history: failedBefore, requested: try ImageSelection([], allowMutable: false)).tags == ["api": "t1"])
        let nothing = history(current: "t1", [record("t1", .completed, at: 30), record("t2", .completed, at: 20), record("t1", .completed, at: 10)])
        #expect(throws: RollbackError.nothingEarlier(service: "api", current: "t1")) {
            try RollbackChoice(history: nothing, requested: try ImageSelection([], allowMutable: false))
        }
    }

    /// A deploy of a status ECS's API does not list is not gone back to as completed, nor
    /// counted as a failure of its tag.
    @Test func aDeployOfAnUnknownStatusIsNotTakenForCompleted() throws {
        let unknown = DeployOutcome(try JSONDecoder().decode(ECSClient.ServiceDeployment.self, from: Data(#"{"status":"BRAND_NEW_STATUS"}"#.utf8)))
        let history = history(current: "t3", [record("t3", .completed, at: 30), record("t2", unknown, at: 20), record("t1", .completed, at: 10)])
        #expect(try RollbackChoice(history: history, requested: try ImageSelection([], allowMutable: false)).tags == ["api": "t1"])
        #expect(try RollbackChoice(history: history, requested: try ImageSelection(["t2"], allowMutable: false)).tags == ["api": "t2"])
    }

    @Test func aServiceWithoutARepositoryOfTheAppIsLeftOut() throws {
        var history = history(current: "t2", [record("t2", .completed, at: 20), record("t1", .completed, at: 10)])
        history.services.append(DeployHistory.Service(environment: "prod", service: "proxy", stack: "shop-proxy-prod", repository: nil))
        #expect(try RollbackChoice(history: history, requested: try ImageSelection([], allowMutable: false)).tags == ["api": "t1"])
    }

    @Test func aNamedTagWinsAndAnUnknownServiceIsRefused() throws {
        let history = history(current: "t2", [record("t2", .completed, at: 20), record("t1", .completed, at: 10)])
        #expect(try RollbackChoice(history: history, requested: try ImageSelection(["api=t0"], allowMutable: false)).tags == ["api": "t0"])
        #expect(throws: RollbackError.unknownService("web", known: ["api"])) {
            try RollbackChoice(history: history, requested: try ImageSelection(["web=t0"], allowMutable: false))
        }
    }

    /// A tag named whose every recorded deploy failed is refused; one that also completed, or
    /// was only superseded or stopped (nothing against its image), is taken.
    @Test func aNamedTagWhoseEveryDeployFailedIsRefused() throws {
        let history = history(current: "t3", [
            record("t3", .completed, at: 50), record("t2", .rolledBackByAlarm(["api-5xx"]), at: 40),
            record("t2", .rolledBackByCircuitBreaker, at: 30), record("t1", .failed, at: 20), record("t1", .completed, at: 15),
            record("t0", .rolledBack, at: 10), record("s", .stopped, at: 5),
        ])
        #expect(throws: RollbackError.onlyFailed(service: "api", tag: "t2", deploys: 2, newest: .rolledBackByAlarm(["api-5xx"]))) {
            try RollbackChoice(history: history, requested: try ImageSelection(["t2"], allowMutable: false))
        }
        for tag in ["t1", "t0", "s", "never-deployed"] {
            #expect(try RollbackChoice(history: history, requested: try ImageSelection([tag], allowMutable: false)).tags == ["api": tag])
        }
        let error = RollbackError.onlyFailed(service: "api", tag: "t2", deploys: 2, newest: .rolledBackByAlarm(["api-5xx"]))
        #expect(error.description.contains("every one of the 2 deploys of t2 in the history failed (the newest was rolled back by alarm api-5xx)"))
    }

    @Test func nothingEarlierAndNotDeployedAreRefused() throws {
        #expect(throws: RollbackError.nothingEarlier(service: "api", current: "t1")) {
            try RollbackChoice(history: history(current: "t1", [record("t1", .completed, at: 10)]), requested: try ImageSelection([], allowMutable: false))
        }
        #expect(throws: RollbackError.notDeployed(service: "api", stack: "shop-api-prod")) {
            try RollbackChoice(history: history(current: nil, []), requested: try ImageSelection([], allowMutable: false))
        }
        // A tag named goes back on a deployed service only: rollback makes no stack.
        #expect(throws: RollbackError.notDeployed(service: "api", stack: "shop-api-prod")) {
            try RollbackChoice(history: history(current: nil, [record("t1", .completed, at: 10)]), requested: try ImageSelection(["t1"], allowMutable: false))
        }
    }

    @Test func anExpiredTagIsRefusedByName() async throws {
        let history = history(current: "t2", [record("t2", .completed, at: 20), record("t1", .completed, at: 10)])
        let choice = try RollbackChoice(history: history, requested: try ImageSelection([], allowMutable: false))
        await #expect(throws: RollbackError.expired(service: "api", tag: "t1", repository: "shop/api")) {
            try await choice.checkStillThere(history) { _, tag in tag != "t1" ? ("sha256:1", false) : nil }
        }
        #expect("\(RollbackError.expired(service: "api", tag: "t1", repository: "shop/api"))".contains("lifecycle policy has expired it"))
    }

    /// A tag named that no deploy ran, and that the repository does not hold, is not said to
    /// have expired: it may never have been pushed (a typo).
    @Test func aTagThatNeverRanAndIsNotThereIsNotCalledExpired() async throws {
        let history = history(current: "t2", [record("t2", .completed, at: 20), record("t1", .completed, at: 10)])
        let choice = try RollbackChoice(history: history, requested: try ImageSelection(["t9"], allowMutable: false))
        await #expect(throws: RollbackError.notInRepository(service: "api", tag: "t9", repository: "shop/api")) {
            try await choice.checkStillThere(history) { _, tag in tag != "t9" ? ("sha256:1", false) : nil }
        }
        #expect("\(RollbackError.notInRepository(service: "api", tag: "t9", repository: "shop/api"))".contains("never pushed (mistyped?)"))
    }

    /// A tag that can move, which ran as one image and names another now, is refused, not
    /// deployed: the rollback would start an image that never ran. An immutable tag is not
    /// compared (ECS may record a platform's digest of a multi-platform image).
    @Test func aTagThatNamesAnotherImageThanTheOneThatRanIsRefused() async throws {
        let history = history(current: "latest", [
            record("latest", .completed, at: 30, digest: "sha256:3"), record("latest", .completed, at: 20, digest: "sha256:2"),
            record("v1", .completed, at: 10, digest: "sha256:1"),
        ])
        let back = try RollbackChoice(history: history, requested: try ImageSelection([], allowMutable: false))
        #expect(back.tags == ["api": "v1"] && back.ran == ["api": .init(digest: "sha256:1", isPinned: false)])
        // What was checked is what the deploy's gate must find.
        #expect(try await back.checkStillThere(history) { _, _ in ("sha256:1", true) } == ["api": "sha256:1"])
        await #expect(throws: RollbackError.moved(service: "api", tag: "v1", ran: "sha256:1", now: "sha256:9")) {
            try await back.checkStillThere(history) { _, _ in ("sha256:9", true) }
        }
        #expect(try await back.checkStillThere(history) { _, _ in ("sha256:9", false) } == ["api": "sha256:9"])
        // A pinned digest (ECR's, as the gate read it) is compared whatever the tag: an immutable
        // tag pushed again after its image was deleted names another image.
        var pinnedRecord = record("v1", .completed, at: 10, digest: "sha256:1")
        pinnedRecord.imageDigestIsPinned = true
        let pinnedHistory = self.history(current: "v2", [record("v2", .completed, at: 20, digest: "sha256:2"), pinnedRecord])
        let pinned = try RollbackChoice(history: pinnedHistory, requested: try ImageSelection([], allowMutable: false))
        #expect(pinned.ran == ["api": .init(digest: "sha256:1", isPinned: true)])
        await #expect(throws: RollbackError.moved(service: "api", tag: "v1", ran: "sha256:1", now: "sha256:9")) {
            try await pinned.checkStillThere(pinnedHistory) { _, _ in ("sha256:9", false) }
        }
        // A tag named with --to is held to what it named when it last ran, too.
        let named = try RollbackChoice(history: history, requested: try ImageSelection(["api=v1"], allowMutable: false))
        #expect(named.ran == ["api": .init(digest: "sha256:1", isPinned: false)])
        await #expect(throws: RollbackError.moved(service: "api", tag: "v1", ran: "sha256:1", now: "sha256:4")) {
            try await named.checkStillThere(history) { _, _ in ("sha256:4", true) }
        }
        // A tag the history has no digest for is checked for being there when it cannot move;
        // one that can move is refused: which image it named when it ran, if it ever did, is unknown.
        let unknown = try RollbackChoice(history: history, requested: try ImageSelection(["api=v0"], allowMutable: false))
        #expect(unknown.ran.isEmpty)
        #expect(try await unknown.checkStillThere(history) { _, _ in ("sha256:0", false) } == ["api": "sha256:0"])
        await #expect(throws: RollbackError.movableTagNeverRan(service: "api", tag: "v0", repository: "shop/api")) {
            try await unknown.checkStillThere(history) { _, _ in ("sha256:0", true) }
        }
        #expect("\(RollbackError.moved(service: "api", tag: "v1", ran: "sha256:1", now: "sha256:9"))".contains("v1 now names sha256:9, not sha256:1"))
    }

    /// A tag that moved (`latest` at d1, later at d2): the rollback goes back to the deploy it
    /// chose, so the image to check is that deploy's (d1), not the tag's newest (d2, the
    /// image just left), and a tag that names d2 now is refused as moved.
    @Test func theImageCheckedIsTheChosenDeploysNotTheTagsNewest() async throws {
        let d1 = "sha256:" + String(repeating: "1", count: 64), d2 = "sha256:" + String(repeating: "2", count: 64)
        let moved = history(current: "c", [
            record("c", .completed, at: 40), record("latest", .completed, at: 30, digest: d2), record("c", .completed, at: 20),
            record("latest", .completed, at: 10, digest: d1),
        ])
        let choice = try RollbackChoice(history: moved, requested: try ImageSelection([], allowMutable: true))
        #expect(choice.tags == ["api": "latest"])
        #expect(choice.ran["api"]?.digest == d1)
        await #expect(throws: RollbackError.self) {
            _ = try await choice.checkStillThere(moved) { _, _ in (digest: d2, tagCanMove: true) }
        }
        // Named with --to, the tag's newest completed deploy is the one meant.
        let named = try RollbackChoice(history: moved, requested: try ImageSelection(["latest"], allowMutable: true))
        #expect(named.ran["api"]?.digest == d2)
    }

    /// A tag whose image the lifecycle policy will expire at its next run (past the images its
    /// environment keeps) is refused: deployed, the service could not replace its tasks a day later.
    @Test func aTagTheLifecyclePolicyWillExpireIsRefused() async throws {
        let d1 = "sha256:" + String(repeating: "1", count: 64)
        let back = history(current: "t2", [record("t2", .completed, at: 20), record("t1", .completed, at: 10, digest: d1)])
        let choice = try RollbackChoice(history: back, requested: try ImageSelection([], allowMutable: false))
        do {
            _ = try await choice.checkStillThere(back) { _, _ in (digest: d1, tagCanMove: false) } expiring: { _ in [d1: 2] }
            Issue.record("the rollback was not refused")
        } catch let error as RollbackError {
            #expect(error == .expiring(service: "api", tag: "t1", repository: "shop/api", rule: 2))
            #expect(error.description.hasPrefix("api: t1 is still in shop/api, and its lifecycle policy (rule 2) will expire or archive it within a day"))
        }
        let kept = try await choice.checkStillThere(back) { _, _ in (digest: d1, tagCanMove: false) } expiring: { _ in ["sha256:other": 1] }
        #expect(kept == ["api": d1])
    }

    @Test func theFirstDeployOfATagGivesItsCommit() {
        let history = history(current: "t2", [
            record("t1", .completed, at: 30, commit: "cafe"), record("t2", .completed, at: 20), record("t1", .completed, at: 10, commit: "beef"),
        ])
        #expect(history.firstShipped("t1")?.commit == "beef")
        #expect(history.firstShipped("t2") == nil)
        // What is not a commit (an older Berth recorded --commit-sha as given) is not copied on.
        let recorded = self.history(current: "t3", [record("t3", .completed, at: 20, commit: "feed"), record("t3", .completed, at: 10, commit: "zz")])
        #expect(recorded.firstShipped("t3")?.commit == "feed")
    }

    /// The digest a deploy's task definition pins (ECR's for the tag, as the gate read it) is
    /// the one the history keeps, not the one ECS recorded for the revision (which may be a
    /// platform's digest of a multi-platform image); a tag reference keeps ECS's.
    @Test func theHistoryKeepsTheDigestTheTaskDefinitionPins() async throws {
        let deployments = ScriptedServiceDeployments(region: "eu-west-1")
        let definition = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api-prod"
        deployments.record(
            .init(
                cluster: "shop-prod", service: "api", taskDefinitionArn: definition + ":2", startedAt: 1_796_000_600,
                imageDigest: "sha256:" + String(repeating: "b", count: 64),
                container: ("api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api@sha256:" + String(repeating: "a", count: 64), ["IMAGE_TAG": "latest"])))
        deployments.record(
            .init(
                cluster: "shop-prod", service: "api", taskDefinitionArn: definition + ":1", startedAt: 1_796_000_000,
                imageDigest: "sha256:" + String(repeating: "c", count: 64),
                container: ("api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:prod-1", [:])))
        let stack = """
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>\
            <StackName>shop-api-prod</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-api-prod/1</StackId>\
            <StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-11-22T10:00:00Z</CreationTime>\
            <Parameters><member><ParameterKey>ClusterName</ParameterKey><ParameterValue>shop-prod</ParameterValue></member>\
            <member><ParameterKey>ImageTag</ParameterKey><ParameterValue>latest</ParameterValue></member></Parameters>\
            <Outputs><member><OutputKey>ServiceName</OutputKey><OutputValue>api</OutputValue></member></Outputs>\
            \(TestHTTPServer.Reply.stackTags(["berth:app": "shop-api"]))</member></Stacks></DescribeStacksResult>\
            <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>
            """
        let server = try TestHTTPServer { request in
            request.form["Action"] == "DescribeStacks"
                ? .respond(status: 200, headers: [("Content-Type", "text/xml")], body: stack)
                : deployments.answer(request) ?? .respond(status: 400, body: "{}")
        }
        defer { server.stop() }
        let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
        let clients = AppDeployer.Clients(
            cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration), kms: KMSClient(configuration: configuration))
        let planned = PlannedStack(
            name: "shop-api-prod", phase: .ecs, environment: "prod", service: "api", region: "eu-west-1", templateBody: "{}",
            resourceCount: 1, parameters: [], template: [:], imageRepository: "shop/api",
            tags: StackTags.tags(app: "shop-api", phase: .ecs, environment: "prod", service: "api"), capabilities: [], terminationProtection: false)
        let service = try await DeployHistory.read(planned, limit: nil, clients: clients)
        #expect(service.records.map(\.imageDigest) == ["sha256:" + String(repeating: "a", count: 64), "sha256:" + String(repeating: "c", count: 64)])
        #expect(service.records.map(\.imageDigestIsPinned) == [true, false])
    }
}
