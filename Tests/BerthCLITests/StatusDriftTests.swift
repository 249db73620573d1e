import Foundation
import BerthAWS
@testable import BerthDeploy
import Testing

@testable import BerthCLI

/// `berth status`'s drift line: the last detection's result and time as DescribeStacks reports
/// it; status itself starts no detection.
@Suite struct StatusDriftTests {
    private func status(drift: StackDriftInformation?) -> ServiceStatus {
        var status = ServiceStatus(environment: "dev", service: "api", stack: "shop-api-dev")
        status.stackStatus = "UPDATE_COMPLETE"
        status.drift = drift
        return status
    }

    @Test func theLastDetectionIsShownWithItsTime() {
        let checked = status(drift: StackDriftInformation(status: "DRIFTED", lastCheck: Date(timeIntervalSince1970: 1_795_341_600)))
        let text = StatusCommand.text([checked])
        #expect(text.contains("\n  drift     DRIFTED, checked 2026-11-22 10:00:00 UTC\n"), "\(text)")
        let json = StatusCommand.json([checked]).jsonText()
        #expect(json.contains(#""status": "DRIFTED""#) && json.contains(#""lastCheck": "2026-11-22 10:00:00 UTC""#), "\(json)")
    }

    @Test func aStackNeverCheckedSaysHowToCheck() {
        let text = StatusCommand.text([status(drift: StackDriftInformation(status: "NOT_CHECKED", lastCheck: nil))])
        #expect(text.contains("  drift     NOT_CHECKED (berth diff --drift checks)"), "\(text)")
        #expect(!StatusCommand.text([status(drift: nil)]).contains("drift"))
        #expect(StatusCommand.json([status(drift: nil)]).jsonText().contains(#""drift": null"#))
    }
}
