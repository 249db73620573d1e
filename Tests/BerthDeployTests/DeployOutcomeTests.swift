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
}
