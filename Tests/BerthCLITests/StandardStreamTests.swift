import BerthTemplate
import BerthTestSupport
import Foundation
import Testing

/// What the built `berth` does when it cannot print: a full disk or a closed stream fails the
/// command with a message, never a trap, and what it writes to files stays whole. In a process
/// of its own: the streams are the process's.
@Suite struct StandardStreamTests {
    /// The services the sample app's definition (the built berth's) builds on.
    private static let environmentFile = """
        app: quay
        region: eu-west-1
        services:
          web: {cpu: 256, memory: 512}
          api: {cpu: 256, memory: 512, routing: {paths: [/api/*]}}
          worker: {kind: worker, cpu: 256, memory: 512}

        """

    /// Runs the built berth with `arguments` through `sh`, its standard output redirected as
    /// `redirect` says (`>/dev/full`, `>&-`); returns its status and standard error.
    private func run(_ arguments: [String], redirect: String) async throws -> (status: Int32, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" \"$@\" \(redirect)", try builtExecutable("berth").path] + arguments
        process.environment = ["HOME": "/nonexistent", "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        let errors = PipeReader(err)
        try process.run()
        process.waitUntilExit()
        try await waitUntil("the end of berth's standard error") { errors.isAtEnd }
        return (process.terminationStatus, errors.text)
    }

    @Test func aFullDiskFailsTheCommandWithAMessage() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let printed = try await run(["synth", "--config", config, "--stack", "quay-web-dev", "--stdout"], redirect: ">/dev/full")
        #expect(printed.status == 1, "\(printed.err)")
        #expect(printed.err == "error: cannot write to standard output: No space left on device\n")
        // A command that failed already keeps its own status; its message is lost with the stream.
        let failed = try await run(["synth", "--config", config + "/missing"], redirect: "2>/dev/full")
        #expect(failed.status == 2)
    }

    /// Started with standard output closed, berth prints nothing into the first file it opens
    /// (which would take the stream's number): every template it writes reads back as JSON.
    @Test func aClosedStandardOutputIsNotAFileBerthWrites() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let out = try temporaryDirectory() + "/out"
        let result = try await run(["synth", "--config", config, "--out", out], redirect: ">&-")
        #expect(result.status == 1, "\(result.err)")
        #expect(result.err == "error: cannot write to standard output: it is closed\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.contains("manifest.json") && files.contains("quay-web-dev.template.json"), "\(files)")
        for file in files {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            #expect(throws: Never.self) { try JSONValue.parseJSON(text, file: file) }
        }
        // Standard error closed fails nothing: the command's result is its output and status.
        let quiet = try await run(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"], redirect: "2>&-")
        #expect(quiet.status == 0)
        // Nor does standard output closed when nothing is printed to it (the files only, and an error).
        let failed = try await run(["synth", "--config", config + "/missing"], redirect: ">&-")
        #expect(failed.status == 2 && failed.err.contains("cannot read the configuration directory") && !failed.err.contains("standard output"), "\(failed.err)")
    }
}
