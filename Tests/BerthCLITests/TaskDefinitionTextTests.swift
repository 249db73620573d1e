import BerthAWS
import Testing

@testable import BerthCLI
@testable import BerthDeploy

/// What `status` and `history` print of a task definition (its `IMAGE_TAG`, `COMMIT_SHA` and
/// `BUILD_TIME`, which anyone who registers one can set): each value within its line, its
/// control characters escaped, a line break and a terminal's escape sequence included.
@Suite struct TaskDefinitionTextTests {
    static let tag = "dev-1\u{1B}]0;title\u{07}"
    static let built = "2026-11-22T10:00:00Z\u{1B}[2J\nfake line"

    @Test func statusKeepsEachValueWithinItsLine() {
        var status = ServiceStatus(environment: "dev", service: "api", stack: "shop-api-dev")
        status.stackStatus = "UPDATE_COMPLETE"
        status.imageTag = Self.tag
        status.buildTime = Self.built
        let text = TerminalText.printable(StatusCommand.text([status]))
        #expect(text.contains("  image     dev-1\\u{1B}]0;title\\u{7}  -\n"), "\(text)")
        #expect(text.contains("  commit    -, built 2026-11-22T10:00:00Z\\u{1B}[2J\\u{A}fake line\n"), "\(text)")
        #expect(!text.contains("\nfake line") && !text.contains("\u{1B}"), "\(text)")
    }

    @Test func historyKeepsEachValueWithinItsLine() {
        var record = DeployRecord(environment: "dev", service: "api", id: "d1", outcome: .completed)
        record.imageTag = Self.tag
        record.buildTime = Self.built
        var service = DeployHistory.Service(environment: "dev", service: "api", stack: "shop-api-dev")
        service.isDeployed = true
        service.records = [record]
        let text = TerminalText.printable(HistoryCommand.text(DeployHistory(services: [service])))
        #expect(text.contains("  dev api  dev-1\\u{1B}]0;title\\u{7}  "), "\(text)")
        #expect(text.contains("  commit    -, built 2026-11-22T10:00:00Z\\u{1B}[2J\\u{A}fake line\n"), "\(text)")
        #expect(!text.contains("\nfake line") && !text.contains("\u{1B}"), "\(text)")
    }
}
