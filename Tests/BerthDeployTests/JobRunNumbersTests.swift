import Foundation
import Testing

@testable import BerthDeploy

/// A job run's duration as status shows it and its exit status, from what ECS reports.
@Suite struct JobRunNumbersTests {
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

    /// berth run exits with a failed run's exit code; one no process can have (a bogus answer's
    /// 256 would read as 0, success, once cut to 8 bits) is 1.
    @Test func aFailedRunsExitStatusIsNeverSuccess() {
        func status(_ code: Int?) -> Int32 { JobOutcome(taskArn: "arn:task/0123", exitCode: code, stoppedReason: nil, lastLines: []).failureExitStatus }
        #expect(status(3) == 3 && status(255) == 255)
        #expect(status(0) == 1 && status(256) == 1 && status(512) == 1 && status(-1) == 1 && status(4_294_967_296) == 1 && status(nil) == 1)
    }
}
