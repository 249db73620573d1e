import Foundation
import BerthTestSupport
import Testing

/// `--timeout` bounds every command that calls AWS: a server that accepts and never answers
/// cannot hold a deploy, a diff or a listing past it.
@Suite struct CommandDeadlineTests {
    private let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDSILENT", "AWS_SECRET_ACCESS_KEY": "silent-secret", "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": "/nonexistent-berth-home",
    ]

    @Test(arguments: [
        ["deploy", "--phase", "ecr"], ["diff", "--phase", "ecr"], ["images", "--service", "api"],
    ])
    func aSilentServerIsGivenUpOnAtTheTimeout(_ command: [String]) async throws {
        let server = try TestHTTPServer { _ in .delay(.seconds(120), .respond(status: 200)) }
        defer { server.stop() }
        let started = ContinuousClock.now
        let out = command.first == "deploy" ? ["--out", try temporaryDirectory()] : []
        let result = await runBerth(
            command + ["--config", fixtureConfiguration, "--endpoint-url", server.url, "--timeout", "2s"] + out, environment: credentials)
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 4, "\(result.err)")
        #expect(result.err.contains("within --timeout 2s"), "\(result.err)")
        // Far below the server's 120 s, far above 2 s: what counts is that the deadline, not the
        // server, ended the command, on a machine that may be busy.
        #expect(elapsed < .seconds(60), "took \(elapsed)")
        #expect(!(result.out + result.err).contains("silent-secret"))
    }

    /// Ctrl-C while a call waits on a server that never answers: the call is stopped, and
    /// berth ends with exit 130 without waiting for the answer (a job's clean-up, which an
    /// interrupt does not stop, is `JobCommandTests.aSecondInterruptEndsTheWaitForATaskToStop`).
    /// In a process of its own, as a signal reaches every command of a process.
    @Test func anInterruptStopsACallThatWaitsOnASilentServer() async throws {
        let server = try TestHTTPServer { _ in .delay(.seconds(120), .respond(status: 200)) }
        defer { server.stop() }
        let berth = try BerthProcess(
            ["images", "--service", "api", "--config", fixtureConfiguration, "--endpoint-url", server.url, "--timeout", "10m"], environment: credentials)
        try await waitUntil("the server to get berth's first call") { !server.requests.isEmpty || !berth.isRunning }
        let signalled = ContinuousClock.now
        berth.interrupt()
        try await berth.waitForEnd()
        let elapsed = ContinuousClock.now - signalled
        let errors = berth.errors
        #expect(berth.status == 130, "\(errors.text)")
        #expect(errors.text.hasPrefix("error: interrupted"), "\(errors.text)")
        #expect(!errors.text.contains("stopped waiting for its clean-up"), "\(errors.text)")
        // Far below both the 30 s grace and the server's 120 s, on a machine that may be busy.
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }
}
