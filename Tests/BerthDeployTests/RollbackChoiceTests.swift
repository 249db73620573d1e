import BerthAWS
import BerthModel
import Foundation
import Testing

@testable import BerthDeploy

/// Rollback's choice of tags, from a history: the last tag that completed before the current
/// one, or the one named; a tag the repository no longer holds is refused, by name.
struct RollbackChoiceTests {
    private func record(_ tag: String, _ outcome: DeployOutcome, at minute: Int, commit: String? = nil) -> DeployRecord {
        var record = DeployRecord(environment: "prod", service: "api", id: "\(minute)", outcome: outcome)
        record.imageTag = tag
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

    @Test func nothingEarlierAndNotDeployedAreRefused() throws {
        #expect(throws: RollbackError.nothingEarlier(service: "api", current: "t1")) {
            try RollbackChoice(history: history(current: "t1", [record("t1", .completed, at: 10)]), requested: try ImageSelection([], allowMutable: false))
        }
        #expect(throws: RollbackError.notDeployed(service: "api", stack: "shop-api-prod")) {
            try RollbackChoice(history: history(current: nil, []), requested: try ImageSelection([], allowMutable: false))
        }
    }

    @Test func anExpiredTagIsRefusedByName() async throws {
        let history = history(current: "t2", [record("t2", .completed, at: 20), record("t1", .completed, at: 10)])
        let choice = try RollbackChoice(history: history, requested: try ImageSelection([], allowMutable: false))
        await #expect(throws: RollbackError.expired(service: "api", tag: "t1", repository: "shop/api")) {
            try await choice.checkStillThere(history) { _, tag in tag != "t1" }
        }
        #expect("\(RollbackError.expired(service: "api", tag: "t1", repository: "shop/api"))".contains("lifecycle policy has expired it"))
    }

    @Test func theFirstDeployOfATagGivesItsCommit() {
        let history = history(current: "t2", [
            record("t1", .completed, at: 30, commit: "cafe"), record("t2", .completed, at: 20), record("t1", .completed, at: 10, commit: "beef"),
        ])
        #expect(history.firstShipped("t1")?.commit == "beef")
        #expect(history.firstShipped("t2") == nil)
    }
}
