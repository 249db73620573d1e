import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// Answers no real AWS endpoint gives, which a broken proxy or a hostile server could: each is
/// refused or shown within bounds, never followed for ever and never a trap.
@Suite struct BogusAnswerTests {
    /// DescribeChangeSet pages through its changes as the other listings do; a server that
    /// repeats its NextToken is refused after the repeat.
    @Test func aChangeSetWhoseNextTokenRepeatsIsRefused() async throws {
        let server = try repeatingPages(
            "<DescribeChangeSetResponse><DescribeChangeSetResult><Status>CREATE_COMPLETE</Status><Changes></Changes>"
                + "<NextToken>same-token</NextToken></DescribeChangeSetResult></DescribeChangeSetResponse>")
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        await #expect(throws: PaginationError(pages: 2, repeatedToken: true)) {
            try await cloudFormation.describeChangeSet(stackName: "s", changeSetName: "c")
        }
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.form["NextToken"] == "same-token")
    }

    /// A moment no clock shows (an `imagePushedAt` of 1e300 seconds, say) prints as the nearest
    /// end of the years 0 to 9999 instead of trapping in the conversion to time_t.
    @Test func aMomentBeyondAnyCalendarIsShownAtTheEndOfTheRange() {
        #expect(UTCDateComponents(Date(timeIntervalSince1970: 1e300)).readable == "9999-12-31 23:59:59")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: -1e300)).readable == "0000-01-01 00:00:00")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: .infinity)).readable == "9999-12-31 23:59:59")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: .nan)).readable == "1970-01-01 00:00:00")
        #expect(UTCDateComponents(Date(timeIntervalSince1970: 1_795_341_600)).readable == "2026-11-22 10:00:00")
    }

    /// An answer of more elements than any AWS answer has is no document: its tree would take
    /// about 19 times its size.
    @Test func anAnswerOfTooManyElementsIsNoDocument() throws {
        let most = "<r>" + String(repeating: "<a/>", count: XMLNode.maximumElements - 1) + "</r>"
        #expect(try XMLNode.parse(Array(most.utf8))?.children("a").count == XMLNode.maximumElements - 1)
        let over = "<r>" + String(repeating: "<a/>", count: XMLNode.maximumElements) + "</r>"
        #expect(try XMLNode.parse(Array(over.utf8)) == nil)
    }
}
