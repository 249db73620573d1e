import ArgumentParser
import Foundation
import Testing

@testable import BerthCLI

/// `berth synth`'s fast path reads only what argument-parser reads the same way, into the same
/// values; everything else is left to argument-parser.
@Suite struct SynthFastPathTests {
    /// The request argument-parser makes of `arguments`.
    private func parsed(_ arguments: [String]) throws -> SynthRequest {
        let command = try #require(try BerthCommand.parseAsRoot(arguments) as? SynthCommand)
        return SynthRequest(
            configDirectory: command.appOptions.configDirectory, template: command.appOptions.template, env: command.env,
            out: command.out, format: command.format, stack: command.stack, stdout: command.stdout)
    }

    @Test(arguments: [
        ["synth"],
        ["synth", "--env", "dev"],
        ["synth", "--env", "dev", "--out", "/tmp/x y"],
        ["synth", "--out", "a=b", "--format", "yaml", "--stack", "shop-api-dev", "--stdout"],
        ["synth", "--stdout", "--config", "Tests/Fixture", "--env", "pr-51", "--from", "preview"],
        ["synth", "--env", "help"],
        ["synth", "--format", "json", "--env", "synth"],
    ])
    func readsWhatArgumentParserReads(_ arguments: [String]) throws {
        let fast = try #require(SynthRequest.fastPath(arguments))
        #expect(fast == (try parsed(arguments)))
    }

    @Test(arguments: [
        [], ["deploy"], ["help", "synth"], ["--help"], ["synth", "--help"], ["synth", "-h"], ["synth", "--env"],
        ["synth", "--env", "--out", "x"], ["synth", "--env=dev"], ["synth", "--env", "dev", "--env", "prod"],
        ["synth", "--stdout", "--stdout"], ["synth", "--format", "xml"], ["synth", "--env", ""], ["synth", "--", "x"],
        ["synth", "extra"], ["synth", "--out", "-"], ["synth", "--nosuch", "x"], ["synth", "--generate-completion-script", "bash"],
        ["synth", "--version"], ["synth", "--env", "dev", "--env"],
    ])
    func leavesEverythingElseToArgumentParser(_ arguments: [String]) {
        #expect(SynthRequest.fastPath(arguments) == nil)
    }
}

@Suite struct ProcessEnvironmentTests {
    @Test func readsWhatProcessInfoReads() {
        #expect(ProcessEnvironment.current() == ProcessInfo.processInfo.environment)
    }
}
