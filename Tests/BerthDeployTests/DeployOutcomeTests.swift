import BerthAWS
import Foundation
import Testing

@testable import BerthDeploy

/// How `berth history` names the end of a service deployment, from ECS's status, circuit
/// breaker and alarms.
struct DeployOutcomeTests {
    @Test func outcomesNameWhatRolledADeploymentBack() throws {
        func outcome(_ json: String) throws -> DeployOutcome {
            DeployOutcome(try JSONDecoder().decode(ECSClient.ServiceDeployment.self, from: Data(json.utf8)))
        }
        #expect(try outcome(#"{"status":"SUCCESSFUL"}"#) == .completed)
        #expect(try outcome(#"{"status":"ROLLBACK_SUCCESSFUL","deploymentCircuitBreaker":{"status":"TRIGGERED"}}"#) == .rolledBackByCircuitBreaker)
        #expect(
            try outcome(#"{"status":"ROLLBACK_SUCCESSFUL","alarms":{"status":"TRIGGERED","triggeredAlarmNames":["api-5xx"]}}"#)
                == .rolledBackByAlarm(["api-5xx"]))
        #expect(try outcome(#"{"status":"ROLLBACK_FAILED"}"#) == .failed)
        #expect(try outcome(#"{"status":"STOPPED"}"#) == .stopped)
        #expect(try outcome(#"{"status":"IN_PROGRESS"}"#) == .inProgress)
        #expect(DeployOutcome.rolledBackByAlarm(["api-5xx"]).text == "rolled back by alarm api-5xx")
    }

    /// The statuses the ECS API reference lists for a service deployment are each named; any
    /// other (a status added since, or none) is shown as it is and called unknown, not taken
    /// for in progress, completed or failed.
    @Test func aStatusTheAPIDoesNotListIsShownAsUnknown() throws {
        func outcome(_ json: String) throws -> DeployOutcome {
            DeployOutcome(try JSONDecoder().decode(ECSClient.ServiceDeployment.self, from: Data(json.utf8)))
        }
        for status in ["PENDING", "IN_PROGRESS", "STOP_REQUESTED"] {
            #expect(try outcome(#"{"status":"\#(status)"}"#) == .inProgress, "\(status)")
        }
        let new = try outcome(#"{"status":"BRAND_NEW_STATUS","statusReason":"r"}"#)
        #expect(new == .unknown(status: "BRAND_NEW_STATUS"))
        #expect(new.text == "status BRAND_NEW_STATUS (unknown)" && new.code == "unknown" && !new.isFailure)
        #expect(try outcome(#"{"status":"successful"}"#) == .unknown(status: "successful"))
        #expect(try outcome("{}").text == "no status (unknown)")
        // The server's text on one line, and cut.
        let forged = try outcome(#"{"status":"X\n::error::forged\u001b[2J\#(String(repeating: "Y", count: 200))"}"#)
        #expect(forged.text == "status X ::error::forged [2J\(String(repeating: "Y", count: 43)) (unknown)", "\(forged.text)")
    }
}
