import BerthAWS
import BerthTestSupport
import Foundation
import Testing

/// Ctrl-C while `berth diff` waits for CreateChangeSet's answer: a call that changes something
/// is let finish, so the preview change set it made is known, and deleted, never left on the
/// stack. Against moto, through a proxy that holds CreateChangeSet for a while before passing
/// it on, as a slow endpoint would; the built `berth` in a process of its own, as a signal
/// reaches every command of a process.
@Suite struct DiffInterruptTests {
    private static let region = "ca-central-1"
    private let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDHOLD", "AWS_SECRET_ACCESS_KEY": "hold-secret", "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": "/nonexistent-berth-home",
    ]

    @Test func anInterruptDuringCreateChangeSetStillDeletesThePreview() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["dev.yaml": sampleBinaryEnvironment(app: "hold", region: Self.region, cidr: "10.73.0.0/16")])
        let repositories = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory(), "--phase", "ecr"], environment: credentials)
        #expect(repositories.status == 0, "\(repositories.err)")
        let proxy = try TestHTTPServer { request in
            request.form["Action"] == "CreateChangeSet" ? .delay(.seconds(3), .forward(port: moto.port ?? 0)) : .forward(port: moto.port ?? 0)
        }
        let berth = try BerthProcess(
            ["diff", "--config", config, "--endpoint-url", proxy.url, "--phase", "ecr", "--method", "change-set"], environment: credentials)
        try await waitUntil("berth to ask for a change set") { proxy.requests.contains { $0.form["Action"] == "CreateChangeSet" } || !berth.isRunning }
        berth.interrupt()
        try await berth.waitForEnd()
        #expect(berth.status == 130, "\(berth.errors.text)")
        let created = proxy.requests.filter { $0.form["Action"] == "CreateChangeSet" }.compactMap { $0.form["ChangeSetName"] }
        let deleted = proxy.requests.filter { $0.form["Action"] == "DeleteChangeSet" }.compactMap { $0.form["ChangeSetName"] }
        #expect(!created.isEmpty && Set(created).isSubset(of: Set(deleted)), "created \(created), deleted \(deleted)")
    }
}
