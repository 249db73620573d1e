import BerthDeploy
import Foundation
import Testing

@testable import BerthCLI

/// What a timed-out or interrupted deploy says became of its stacks, from its progress.
@Suite struct DeployUnderWayTests {
    private func stack(_ name: String) -> PlannedStack {
        PlannedStack(
            name: name, phase: .ecs, environment: "dev", service: name, region: "eu-west-1", templateBody: "{}", resourceCount: 1, parameters: [],
            template: [:], imageRepository: nil, tags: [], capabilities: [], terminationProtection: false)
    }

    private struct Refused: Error, CustomStringConvertible {
        var description: String { "the change set was refused" }
    }

    private let quiet = AppDeployer.Progress(stackStarted: { _ in }, stackFinished: { _, _ in }, gateStarted: { _, _ in }, gatePassed: { _, _ in })

    private let silent = DeployReporter(message: { _ in }, plannedChanges: { _, _ in }, event: { _, _, _ in })

    /// A stack that failed while the deploy waited for the others is said with its failure (the
    /// wait's end would hide it); the others still being deployed carry on; finished ones are
    /// not named.
    @Test func aFailedStackIsSaidWithWhyAndTheOthersCarryOn() {
        let underWay = DeployUnderWay()
        let progress = underWay.recording(quiet)
        for name in ["a", "b", "c"] { progress.stackStarted(stack(name)) }
        for name in ["a", "b", "c"] { underWay.recording(silent).stackChanging(name) }
        progress.stackFinished(stack("c"), .updated)
        progress.stackFailed(stack("a"), Refused())
        #expect(
            underWay.whatCarriesOn
                == "a failed: the change set was refused\nb was being deployed: what CloudFormation had begun on it carries on. "
                + "Run the same command again to wait for it and continue.")
        progress.stackFinished(stack("b"), .updated)
        #expect(underWay.whatCarriesOn == "a failed: the change set was refused\nno other stack was being changed. Run the same command again to continue.")
    }

    /// While the gate has not passed, no phase-2 stack has changed.
    @Test func aGateThatHadNotPassedChangedNothing() throws {
        let underWay = DeployUnderWay()
        let progress = underWay.recording(quiet)
        #expect(underWay.whatCarriesOn == "no stack was being changed. Run the same command again to continue.")
        progress.gateStarted("api", try ImageTag("dev-20261207-100000-abcdef12"))
        #expect(underWay.whatCarriesOn.hasPrefix("the image gate had not passed, so no phase-2 stack was changed"))
    }

    /// A rollback run again would go back from the tags it is deploying: it is continued by
    /// naming them.
    @Test func aRollbackIsContinuedWithTheTagsItChose() {
        let underWay = DeployUnderWay()
        let progress = underWay.recording(quiet)
        underWay.continues(with: "the same command again with --to api=dev-1")
        progress.stackStarted(stack("api"))
        underWay.recording(silent).stackChanging("api")
        #expect(
            underWay.whatCarriesOn
                == "api was being deployed: what CloudFormation had begun on it carries on. Run the same command again with --to api=dev-1 to wait for it and continue.")
    }

    /// A stack whose change set had not run when the deploy stopped was not changed: only the
    /// ones whose change set ran carry on; the reporter it wraps still hears of each.
    @Test func aStackWhoseChangeSetHadNotRunIsSaidUnchanged() {
        let underWay = DeployUnderWay()
        let progress = underWay.recording(quiet)
        let heard = Heard()
        let reporter = underWay.recording(
            DeployReporter(message: { _ in }, plannedChanges: { _, _ in }, event: { _, _, _ in }, stackChanging: { heard.add($0) }))
        progress.stackStarted(stack("web"))
        #expect(
            underWay.whatCarriesOn
                == "web was not changed by this deploy: its change set had not run (any operation already under way on it carries on). "
                + "Run the same command again to continue.")
        for name in ["api", "worker"] { progress.stackStarted(stack(name)) }
        reporter.stackChanging("api")
        #expect(
            underWay.whatCarriesOn
                == "api was being deployed: what CloudFormation had begun on it carries on. web, worker were not changed by this deploy: "
                + "their change sets had not run (any operation already under way on them carries on). Run the same command again to wait for it and continue.")
        #expect(heard.names == ["api"])
    }
}

/// Names heard by a reporter, from any thread.
private final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var heard: [String] = []
    var names: [String] { lock.withLock { heard } }
    func add(_ name: String) { lock.withLock { heard.append(name) } }
}
