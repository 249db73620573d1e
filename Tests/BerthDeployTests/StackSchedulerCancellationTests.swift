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
        let stacks = Array(try samplePlan(app: "app").stacks.filter { $0.phase == .ecr }.prefix(2))
        try #require(stacks.count == 2)
        let run = Task {
            try await StackScheduler(concurrency: 2).run(stacks, after: { _ in [] }) { stack -> Bool in
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
        try await Task.sleep(for: .milliseconds(100))
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
