import Foundation
import Testing

/// `berth tag` in a real git work tree.
@Suite struct TagCommandTests {
    /// A fresh git repository with one commit; returns its path and HEAD.
    private func repository() throws -> (path: String, head: String) {
        let path = try temporaryDirectory()
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", path, "-c", "user.name=Berth", "-c", "user.email=berth@example.com"] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git("init", "-q")
        try "hello\n".write(toFile: path + "/app.txt", atomically: true, encoding: .utf8)
        _ = try git("add", "app.txt")
        _ = try git("commit", "-q", "-m", "first")
        return (path, try git("rev-parse", "HEAD"))
    }

    private let time = ["SOURCE_DATE_EPOCH": "1795339815", "HOME": "/nonexistent-berth-home"]

    @Test func theTagNamesTheEnvironmentTheUTCTimeAndTheCommit() async throws {
        let (path, head) = try repository()
        let result = await runBerth(["tag", "--config", fixtureConfiguration, "--env", "dev", "--repository", path], environment: time)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "dev-20261122-093015-\(head.prefix(8))\n")
    }

    @Test func githubShaWinsOverTheWorkTree() async throws {
        let (path, _) = try repository()
        var environment = time
        environment["GITHUB_SHA"] = "fedcba9876543210fedcba9876543210fedcba98"
        environment["GITHUB_RUN_NUMBER"] = "42"
        let result = await runBerth(
            ["tag", "--config", fixtureConfiguration, "--env", "prod", "--format", "{env}-{sha8}-{run}", "--repository", path],
            environment: environment)
        #expect(result.out == "prod-fedcba98-42\n", "\(result.err)")
    }

    @Test func aDirtyWorkTreeIsRefusedUnlessAllowed() async throws {
        let (path, head) = try repository()
        try "changed\n".write(toFile: path + "/app.txt", atomically: true, encoding: .utf8)
        let refused = await runBerth(["tag", "--config", fixtureConfiguration, "--env", "dev", "--repository", path], environment: time)
        #expect(refused.status == 2)
        #expect(refused.err.contains("the work tree has uncommitted changes (app.txt)"))
        #expect(refused.out.isEmpty)
        let allowed = await runBerth(
            ["tag", "--config", fixtureConfiguration, "--env", "dev", "--repository", path, "--allow-dirty"], environment: time)
        #expect(allowed.out == "dev-20261122-093015-\(head.prefix(8))\n")
    }

    @Test func mistakesAreInputErrors() async throws {
        let (path, _) = try repository()
        let base = ["tag", "--config", fixtureConfiguration, "--repository", path]
        let unknown = await runBerth(base + ["--env", "pr-51"], environment: time)
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no environment pr-51; the app has dev, prod"))
        let noEnv = await runBerth(base, environment: time)
        #expect(noEnv.status == 2)
        #expect(noEnv.err.contains("{env} has no value: pass --env NAME"))
        let noPrefix = await runBerth(base + ["--env", "dev", "--format", "{sha8}"], environment: time)
        #expect(noPrefix.err.contains("does not start with dev-"))
        let notARepository = await runBerth(["tag", "--config", fixtureConfiguration, "--env", "dev", "--repository", try temporaryDirectory()], environment: time)
        #expect(notARepository.status == 2)
        #expect(notARepository.err.contains("no commit to tag: set GITHUB_SHA, or run in a git work tree"))
    }
}
