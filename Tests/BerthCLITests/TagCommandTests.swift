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

    /// Without --env, berth tag reads no environment file: --from and --config would be ignored
    /// without a word (a preview's tag made without its prefix), so they are refused.
    @Test func fromAndConfigWithoutAnEnvironmentAreRefused() async throws {
        let (path, _) = try repository()
        for (flags, named) in [(["--from", "preview"], "--from"), (["--config", fixtureConfiguration], "--config")] {
            let result = await runBerth(["tag", "--format", "{sha8}", "--repository", path] + flags, environment: time)
            #expect(result.status == 2 && result.out.isEmpty, "\(result.out)\(result.err)")
            #expect(result.err.contains("\(named) reads the environments, which berth tag does only with --env; add --env NAME"), "\(result.err)")
        }
        #expect(await runBerth(["tag", "--format", "{sha8}", "--repository", path], environment: time).status == 0)
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

    /// Runs git in the work tree `path`.
    private static func git(_ path: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", path] + arguments
        try process.run()
        process.waitUntilExit()
    }

    /// A work tree git cannot read is not taken for clean: its .git directory named as the work
    /// tree, or a damaged index. A path is named as it is, not in git's octal quoting.
    @Test func aWorkTreeGitCannotReadIsNotTakenForClean() async throws {
        let (path, _) = try repository()
        try "x\n".write(toFile: path + "/sp ace \u{E9}.txt", atomically: true, encoding: .utf8)
        let named = await runBerth(["tag", "--format", "{sha8}", "--repository", path], environment: time)
        #expect(named.status == 2 && named.err.contains("uncommitted changes (sp ace \u{E9}.txt)"), "\(named.err)")
        try FileManager.default.removeItem(atPath: path + "/sp ace \u{E9}.txt")
        // A rename the work tree's column shows (an intent-to-add copy) names the new path once,
        // and the path it came from is not taken for another entry.
        try FileManager.default.moveItem(atPath: path + "/app.txt", toPath: path + "/b.txt")
        try Self.git(path, "add", "-N", "b.txt")
        let renamed = await runBerth(["tag", "--format", "{sha8}", "--repository", path], environment: time)
        #expect(renamed.status == 2 && renamed.err.contains("uncommitted changes (b.txt):"), "\(renamed.err)")
        try FileManager.default.moveItem(atPath: path + "/b.txt", toPath: path + "/app.txt")
        try Self.git(path, "reset", "-q", "b.txt")
        let gitDirectory = await runBerth(["tag", "--format", "{sha8}", "--repository", path + "/.git"], environment: time)
        #expect(gitDirectory.status == 2 && gitDirectory.out.isEmpty, "\(gitDirectory.out)")
        #expect(gitDirectory.err.contains("cannot tell whether the work tree \(path)/.git has uncommitted changes (git status: fatal:"), "\(gitDirectory.err)")
        try "garbage".write(toFile: path + "/.git/index", atomically: true, encoding: .utf8)
        let damaged = await runBerth(["tag", "--format", "{sha8}", "--repository", path], environment: time)
        #expect(damaged.status == 2 && damaged.out.isEmpty && damaged.err.contains("cannot tell whether the work tree"), "\(damaged.err)")
        #expect(await runBerth(["tag", "--format", "{sha8}", "--repository", path, "--allow-dirty"], environment: time).status == 0)
    }

    @Test func mistakesAreInputErrors() async throws {
        let (path, _) = try repository()
        let base = ["tag", "--config", fixtureConfiguration, "--repository", path]
        let unknown = await runBerth(base + ["--env", "pr-51"], environment: time)
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no environment pr-51; the app has dev, prod"))
        let noEnv = await runBerth(["tag", "--repository", path], environment: time)
        #expect(noEnv.status == 2)
        #expect(noEnv.err.contains("{env} has no value: pass --env NAME"))
        let noPrefix = await runBerth(base + ["--env", "dev", "--format", "{sha8}"], environment: time)
        #expect(noPrefix.err.contains("does not start with dev-"))
        let notARepository = await runBerth(["tag", "--config", fixtureConfiguration, "--env", "dev", "--repository", try temporaryDirectory()], environment: time)
        #expect(notARepository.status == 2)
        #expect(notARepository.err.contains("no commit to tag: set GITHUB_SHA, or run in a git work tree"))
        // With GITHUB_SHA and no repository at all ("not a git repository"), there is nothing to check.
        var github = time
        github["GITHUB_SHA"] = "fedcba9876543210fedcba9876543210fedcba98"
        let noRepository = await runBerth(["tag", "--format", "{sha8}", "--repository", try temporaryDirectory()], environment: github)
        #expect(noRepository.status == 0 && noRepository.out == "fedcba98\n", "\(noRepository.err)")
    }

    /// An environment whose tags another's lifecycle rule counts (dev-x-… by dev's dev-) gets no
    /// tag, as synth refuses the files: that rule would expire its images as dev pushes.
    @Test func anEnvironmentWhosePrefixAnotherCountsIsRefused() async throws {
        let (path, _) = try repository()
        let config = try configuration([
            "dev.yaml": oneServiceEnvironment(app: "tagged", region: "eu-west-1", cidr: "10.70.0.0/16"),
            "dev-x.yaml": oneServiceEnvironment(app: "tagged", region: "eu-west-1", cidr: "10.71.0.0/16"),
            "qa.yaml": oneServiceEnvironment(app: "tagged", region: "eu-west-1", cidr: "10.72.0.0/16"),
        ])
        for env in ["dev-x", "dev"] {
            let result = await runBerth(["tag", "--config", config, "--env", env, "--repository", path], environment: time)
            #expect(result.status == 2 && result.out.isEmpty, "\(result.out)")
            #expect(result.err.contains("environment dev-x tags its images dev-x-…, which start with environment dev's dev-"), "\(result.err)")
        }
        #expect(await runBerth(["tag", "--config", config, "--env", "qa", "--repository", path], environment: time).status == 0)
        #expect(await runBerth(["synth", "--config", config, "--stdout"]).status == 2, "synth refuses the same files")
    }

    /// The reproducible-builds specification: a malformed or absurd SOURCE_DATE_EPOCH is an error,
    /// not a reason to fall back to the clock (a huge one used to trap).
    @Test func aMalformedOrAbsurdSourceDateEpochIsRefused() async throws {
        let (path, head) = try repository()
        let base = ["tag", "--config", sampleConfiguration, "--env", "dev", "--repository", path]
        for value in ["word", "1e9", "-5", " 12", "12 ", "+12", "0x10", "1.5", "\u{0661}\u{0662}"] {
            let result = await runBerth(base, environment: ["SOURCE_DATE_EPOCH": value, "HOME": "/nonexistent-berth-home"])
            #expect(result.status == 2, "\(value): \(result.err)")
            #expect(result.err.contains("SOURCE_DATE_EPOCH is \"\(value)\", not a whole number of seconds"), "\(value): \(result.err)")
            #expect(result.out.isEmpty)
        }
        for value in ["99999999999999999999", "253402300800", String(repeating: "9", count: 400)] {
            let result = await runBerth(base, environment: ["SOURCE_DATE_EPOCH": value, "HOME": "/nonexistent-berth-home"])
            #expect(result.status == 2, "\(value): \(result.err)")
            #expect(result.err.contains("after 9999-12-31T23:59:59Z"), "\(value): \(result.err)")
            #expect(result.out.isEmpty)
        }
        let latest = await runBerth(base, environment: ["SOURCE_DATE_EPOCH": "253402300799", "HOME": "/nonexistent-berth-home"])
        #expect(latest.out == "dev-99991231-235959-\(head.prefix(8))\n", "\(latest.err)")
        let epoch = await runBerth(base, environment: ["SOURCE_DATE_EPOCH": "0", "HOME": "/nonexistent-berth-home"])
        #expect(epoch.out == "dev-19700101-000000-\(head.prefix(8))\n", "\(epoch.err)")
    }
}
