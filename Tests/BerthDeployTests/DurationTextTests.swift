import BerthModel
import Testing

@testable import BerthDeploy

/// Durations in messages read as people write them, to the nearest second.
@Suite struct DurationTextTests {
    @Test func durationsReadAsWritten() {
        #expect(DurationText.text(.seconds(90)) == "1m30s")
        #expect(DurationText.text(.seconds(5400)) == "1h30m")
        #expect(DurationText.text(.seconds(3600)) == "1h")
        #expect(DurationText.text(.milliseconds(400)) == "0s")
        #expect(DurationText.text(.seconds(39) + .milliseconds(921)) == "40s")
        // A stack wait's timeout, which is what is left of --timeout, not a raw Duration.
        let error = DeployError.timedOut(stack: "shop-api-ecr", status: "CREATE_IN_PROGRESS", waited: .seconds(39) + .nanoseconds(921_341_404))
        #expect("\(error)".hasPrefix("shop-api-ecr did not settle within 40s (it is CREATE_IN_PROGRESS)"), "\(error)")
    }
}
