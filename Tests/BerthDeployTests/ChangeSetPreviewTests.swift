import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// A diff's preview change set against a scripted CloudFormation (the API reference's
/// CreateChangeSet, DescribeChangeSet and DeleteChangeSet): it is deleted however its reading
/// ends, as a deploy deletes one it gives up on.
@Suite struct ChangeSetPreviewTests {
    /// CloudFormation refuses to delete a change set it is still working out
    /// (`InvalidChangeSetStatus`): the preview asks again, as a deploy does, and nothing is left.
    @Test func aPreviewStillBeingWorkedOutIsDeletedWhenItsReadingEnds() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"], changeSetStatuses: [("CREATE_PENDING", nil)], busyDeletes: 2)
        let server = try TestHTTPServer { fake.handle($0) }
        defer { server.stop() }
        let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
        let clock = StackDeployerTests.ManualClock()
        let preview = ChangeSetPreview(
            cloudFormation: CloudFormationClient(configuration: configuration), timeout: .seconds(20),
            clock: PollClock(sleep: { clock.sleep($0) }, now: { clock.now }))
        await #expect {
            _ = try await preview.preview(for: StackDeployment(stackName: "shop-api-dev", templateBody: "{}", resourceCount: 1))
        } throws: { error in
            // The reading's own failure (the wait ran out), with no leftover to name.
            !(error is ChangeSetPreview.Failure)
        }
        #expect(fake.calls.filter { $0 == "DeleteChangeSet" }.count == 3, "\(fake.calls)")
        #expect(!fake.calls.contains("ExecuteChangeSet"))
    }

    /// A create whose answer never came (HTTP 500 on every try) may have made the change set:
    /// it is deleted too. One CloudFormation refused (a 4xx) made nothing and is not.
    @Test func aCreateWhoseAnswerWasLostIsDeletedToo() async throws {
        for (status, code, deletes) in [(500, "InternalFailure", 1), (400, "ValidationError", 0)] {
            let fake = FakeCloudFormation(stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"])
            let server = try TestHTTPServer { request in
                guard request.form["Action"] == "CreateChangeSet" else { return fake.handle(request) }
                return .respond(status: status, body: "<ErrorResponse><Error><Code>\(code)</Code><Message>scripted</Message></Error></ErrorResponse>")
            }
            defer { server.stop() }
            let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
            let preview = ChangeSetPreview(cloudFormation: CloudFormationClient(configuration: configuration))
            await #expect {
                _ = try await preview.preview(for: StackDeployment(stackName: "shop-api-dev", templateBody: "{}", resourceCount: 1))
            } throws: { ($0 as? AWSServiceError)?.code == code }
            #expect(fake.calls.filter { $0 == "DeleteChangeSet" }.count == deletes, "\(code): \(fake.calls)")
        }
    }
}
