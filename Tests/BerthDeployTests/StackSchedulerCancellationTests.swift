import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// A cancelled run of stacks: a plain cancellation, unless a stack's work says what the
/// cancellation left (a repository's tags and policy that an unsettled update may remove).
@Suite struct StackSchedulerCancellationTests {
    private static let kept = RepositoryKeeper.Kept(
        arn: "arn:aws:ecr:eu-west-1:123456789012:repository/app/web", region: "eu-west-1", tags: ["team": "payments"], policy: nil)

    private func cancelledRun(throwing left: Bool) async throws -> any Error {
        let stacks = Array(samplePlan(app: "app").stacks.filter { $0.phase == .ecr }.prefix(2))
        try #require(stacks.count == 2)
        let started = Counter()
        let run = Task {
            try await StackScheduler(concurrency: 2).run(stacks, after: { _ in [] }) { stack -> Bool in
                await started.add(stack.name)
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch {
                    if left && stack.name == stacks[1].name {
                        throw DeployError.repositorySettingsAtRisk(stack: stack.name, kept: Self.kept, cause: error)
                    }
                    throw error
                }
                return true
            }
        }
        // Cancelled once both stacks' work is under way.
        try await waitUntil("both stacks to start") { await started.names.count == 2 }
        run.cancel()
        do {
            _ = try await run.value
            Issue.record("the run was not cancelled")
            return CancellationError()
        } catch {
            return error
        }
    }

    @Test func whatACancelledStackLeftIsReportedOverTheCancellation() async throws {
        let error = try await cancelledRun(throwing: true)
        let failure = try #require(error as? AppDeployError, "\(error)")
        guard case DeployError.repositorySettingsAtRisk(_, let kept, _) = failure.cause else {
            Issue.record("\(failure.cause)")
            return
        }
        #expect(kept == Self.kept)
        #expect(try await cancelledRun(throwing: false) is CancellationError)
    }
}

/// Stacks that wait for one another never start: the run says so instead of returning as if
/// they had been deployed.
@Suite struct StackSchedulerOrderTests {
    @Test func stacksThatWaitForOneAnotherAreAnErrorNotLeftOut() async throws {
        let stacks = samplePlan(app: "app").stacks.filter { $0.environment == "dev" }
        let names = stacks.map(\.name)
        try #require(names == ["app-dev", "app-web-dev", "app-api-dev"])
        let ran = Counter()
        do {
            _ = try await StackScheduler(concurrency: 2).run(stacks, after: { stack in
                switch stack.name {
                case "app-web-dev": ["app-api-dev"]
                case "app-api-dev": ["app-web-dev"]
                default: []
                }
            }) { stack in
                await ran.add(stack.name)
                return true
            }
            Issue.record("the run returned though two stacks never started")
        } catch let error as AppDeployError {
            #expect(error.completed == ["app-dev"])
            #expect(error.stack == "app-web-dev" && error.notStarted == ["app-api-dev"])
            #expect(error.cause is StackOrderError)
            #expect("\(error.cause)".contains("app-web-dev, app-api-dev wait for one another, so none was deployed"))
        }
        #expect(await ran.names == ["app-dev"])
    }

    /// Every stack that failed is said with why: the first as the cause, each of the others
    /// (which failed while it was waited out) with its own.
    @Test func everyStackThatFailedIsSaidWithWhy() async throws {
        struct Refused: Error, CustomStringConvertible { let description: String }
        let stacks = Array(samplePlan(app: "app").stacks.filter { $0.phase == .ecr }.prefix(2))
        try #require(stacks.count == 2)
        let started = Counter()
        do {
            _ = try await StackScheduler(concurrency: 2).run(stacks, after: { _ in [] }) { stack -> Bool in
                await started.add(stack.name)
                // Both are under way before either fails.
                try await waitUntil("both stacks to start") { await started.names.count == 2 }
                throw Refused(description: "\(stack.name) refused")
            }
            Issue.record("the run did not fail")
        } catch let error as AppDeployError {
            let other = try #require(stacks.map(\.name).first { $0 != error.stack })
            #expect(error.alsoFailed == [other])
            #expect("\(error.cause)" == "\(error.stack) refused")
            #expect(error.alsoFailedCauses[other].map { "\($0)" } == "\(other) refused")
            #expect(error.description == "\(error.stack) refused\n\(other): \(other) refused\nalso failed: \(other)")
            // A cause that names its stack first is not named again.
            var named = error
            named.alsoFailedCauses[other] = Refused(description: "\(other): refused")
            #expect(named.description == "\(error.stack) refused\n\(other): refused\nalso failed: \(other)")
        }
    }

    /// A rule that would take the number its holder gives up, where the holder already deploys
    /// after the claimant (a worker after the web services it calls): no order does both.
    @Test func aRuleOrderAgainstTheStacksOwnOrderIsAConflict() throws {
        var stacks = samplePlan(app: "app").stacks.filter { $0.environment == "dev" }
        stacks[1].deployAfter = ["app-api-dev"]  // app-web-dev after app-api-dev
        #expect(AppDeployer.orderConflicts(["app-api-dev": ["app-web-dev"]], among: stacks) == [
            .order(stack: "app-api-dev", holder: "app-web-dev")
        ])
        #expect(AppDeployer.orderConflicts(["app-web-dev": ["app-api-dev"]], among: stacks).isEmpty)
        // The services take the shared stack's outputs: it cannot wait for one of them.
        #expect(AppDeployer.orderConflicts(["app-dev": ["app-web-dev"]], among: stacks) == [.order(stack: "app-dev", holder: "app-web-dev")])
        #expect(AppDeployer.orderConflicts(["app-web-dev": ["app-dev"]], among: stacks).isEmpty)
        // A ring of two rule waits (api for dev, dev for web) closed by the stacks' own order
        // (web after api): each rule wait is a conflict; a ring of rule waits alone is not one
        // here (it is an exchange, which ListenerRuleClaims reports).
        let plain = samplePlan(app: "app").stacks.filter { $0.environment == "dev" }
        #expect(AppDeployer.orderConflicts(["app-web-dev": ["app-api-dev"], "app-api-dev": ["app-web-dev"]], among: plain).isEmpty)
        let mixed = AppDeployer.orderConflicts(["app-api-dev": ["app-dev"], "app-dev": ["app-web-dev"]], among: stacks)
        #expect(mixed.contains(.order(stack: "app-dev", holder: "app-web-dev")))
        #expect(mixed.contains(.order(stack: "app-api-dev", holder: "app-dev")))
    }
}

private actor Counter {
    var names: [String] = []
    func add(_ name: String) { names.append(name) }
}
