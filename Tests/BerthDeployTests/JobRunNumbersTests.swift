import Foundation
import Testing

@testable import BerthDeploy

/// A job run's duration as status shows it, from the times ECS reports.
@Suite struct JobRunRecordTests {
    private func run(started: Double?, stopped: Double?) -> ServiceStatus.JobRunRecord {
        ServiceStatus.JobRunRecord(
            taskID: "0123", startedAt: started.map { Date(timeIntervalSince1970: $0) }, stoppedAt: stopped.map { Date(timeIntervalSince1970: $0) },
            exitCode: 0, stoppedReason: nil, lastStatus: "STOPPED")
    }

    @Test func theDurationIsInWholeSeconds() {
        #expect(run(started: 1_795_341_600, stopped: 1_795_341_642.6).durationSeconds == 43)
        #expect(run(started: 1_795_341_600, stopped: nil).durationSeconds == nil)
    }

    /// A stop time no clock shows (1e300 seconds, from a bogus answer) is no number of seconds:
    /// none is shown, rather than a trap in the conversion to Int.
    @Test func timesThatMakeNoNumberOfSecondsGiveNone() {
        #expect(run(started: 0, stopped: 1e300).durationSeconds == nil)
        #expect(run(started: -1e300, stopped: 1e300).durationSeconds == nil)
        #expect(run(started: 0, stopped: .infinity).durationSeconds == nil)
    }
}
