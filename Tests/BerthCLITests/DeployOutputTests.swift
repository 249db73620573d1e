@testable import BerthAWS
import BerthTemplate
import Foundation
import Testing

@testable import BerthCLI
@testable import BerthDeploy

@Suite struct DeployOutputTests {
    private func event() -> StackEvent {
        StackEvent(
            eventID: "1", stackName: "shop-api-dev", logicalID: "Service", physicalID: nil, resourceType: "AWS::ECS::Service",
            timestamp: Date(timeIntervalSince1970: 1_795_339_815), status: "CREATE_COMPLETE", statusReason: nil)
    }

    @Test func ciOutputIsPlainLines() {
        let captured = CapturedOutput()
        DeployOutput(console: captured.console).reporter.event(event(), 3, 21)
        #expect(captured.out == "2026-11-22 09:30:15  shop-api-dev  Service  AWS::ECS::Service  CREATE_COMPLETE  [3/21]\n")
    }

    @Test func aTerminalGetsAProgressLineRedrawnInPlace() {
        let captured = CapturedOutput()
        let console = Console(write: captured.console.write, writeError: captured.console.writeError, isInteractive: true)
        let reporter = DeployOutput(console: console).reporter
        reporter.event(event(), 3, 21)
        reporter.message("done")
        #expect(captured.out.contains("\u{1B}[2K\rshop-api-dev: 3 of 21 resources done"))
        #expect(captured.out.hasSuffix("\u{1B}[2K\rdone\n"))
    }

    /// A deploy's warnings name the command that mends them (the library's words name none), and
    /// in GitHub Actions each is also an annotation.
    @Test func warningsNameBerthsCommandsAndAreAnnotatedInGitHubActions() {
        let captured = CapturedOutput()
        let github = GitHubActions(environment: ["GITHUB_ACTIONS": "true"])
        let reporter = DeployOutput(console: captured.console, github: github).reporter
        let foreign = DeployWarning.foreignTag(service: "web", tag: "prod-7", countedWith: "prod-", environment: "dev")
        reporter.warning(foreign)
        let unreadable = DeployWarning.listenerRulesUnreadable(stack: "shop-dev", code: "AccessDenied")
        reporter.warning(unreadable)
        for warning in [foreign, unreadable] {
            #expect(!warning.description.contains("berth") && !warning.description.contains("--") && warning.description.hasPrefix(warning.problem))
        }
        let lines = captured.out.split(separator: "\n").map(String.init)
        #expect(lines == [
            "warning: " + foreign.problem + "; deploy a tag made by berth tag --env dev (dev-…)",
            "::warning title=berth deploy::" + foreign.problem + "; deploy a tag made by berth tag --env dev (dev-…)",
            "warning: cannot read the rules of shop-dev's listener (AccessDenied): the check that no rule holds the priorities this deploy's "
                + "rules take is skipped; deploy the bootstrap template again (berth synth --bootstrap), whose deploy role may read them",
            "::warning title=berth deploy::cannot read the rules of shop-dev's listener (AccessDenied): the check that no rule holds the "
                + "priorities this deploy's rules take is skipped; deploy the bootstrap template again (berth synth --bootstrap), whose deploy role may read them",
        ])
    }

    @Test func iamResourcesNeedTheirCapability() {
        var template = Template()
        template.addResource("Bucket", Resource(type: "AWS::S3::Bucket"))
        #expect(template.requiredCapabilities == [])
        template.addResource("Role", Resource(type: "AWS::IAM::Role", properties: ["AssumeRolePolicyDocument": [:]]))
        #expect(template.requiredCapabilities == ["CAPABILITY_IAM"])
        template.addResource("Named", Resource(type: "AWS::IAM::Role", properties: ["RoleName": "deployer"]))
        #expect(template.requiredCapabilities == ["CAPABILITY_NAMED_IAM"])
    }

    @Test func outputsFileKeepsOtherStacks() throws {
        let directory = try temporaryDirectory()
        let file = OutputsFile(directory: directory)
        try file.merge(["a-ecr": ["RepositoryUri": "1.dkr.ecr/a"]])
        try file.merge(["b-ecr": ["RepositoryUri": "1.dkr.ecr/b"]])
        let text = try readFile(directory + "/outputs.json")
        #expect(text.contains("\"a-ecr\"") && text.contains("\"b-ecr\""))
    }

    @Test func githubAnnotationsAndOutputsAreEscapedAsTheRunnerReadsThem() throws {
        let file = try temporaryDirectory() + "/output"
        let github = GitHubActions(environment: ["GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": file])
        #expect(github.annotation(.error, title: "berth: deploy, dev", "100% done\nline two") == "::error title=berth%3A deploy%2C dev::100%25 done%0Aline two\n")
        #expect(GitHubActions(environment: [:]).annotation(.warning, title: "berth", "x") == nil)
        try github.setOutputs([("url", "http://x"), ("notes", "a\nBERTH_EOF\nb")])
        #expect(try readFile(file) == "url=http://x\nnotes<<BERTH_EOF_\na\nBERTH_EOF\nb\nBERTH_EOF_\n")
    }

    @Test func durationsParse() {
        #expect(DurationArgument(argument: "90")?.duration == .seconds(90))
        #expect(DurationArgument(argument: "90s")?.duration == .seconds(90))
        #expect(DurationArgument(argument: "1h30m")?.duration == .seconds(5400))
        #expect(DurationArgument(argument: "10m")?.duration == .seconds(600))
        #expect(DurationArgument(argument: "soon") == nil)
        #expect(DurationArgument(argument: "10x") == nil)
        #expect(DurationArgument(argument: "") == nil)
        // No wait at all is a duration; no time at all is no timeout.
        #expect(DurationArgument(argument: "0")?.duration == .zero)
        #expect(TimeoutArgument(argument: "0") == nil && TimeoutArgument(argument: "0s") == nil && TimeoutArgument(argument: "0h0m") == nil)
        #expect(TimeoutArgument(argument: "1s")?.duration == .seconds(1))
    }

    /// `logs --since -5m` is five minutes back, as `--since 5m`: the minus was read as an
    /// unknown option, and the option as missing its value.
    @Test func logsSinceTakesAMinusAsBack() throws {
        let back = try #require(try BerthCommand.parseAsRoot(["logs", "--env", "dev", "--since", "-5m"]) as? LogsCommand)
        #expect(back.since.duration == .seconds(300))
        let plain = try #require(try BerthCommand.parseAsRoot(["logs", "--env", "dev", "--since", "5m"]) as? LogsCommand)
        #expect(plain.since == back.since)
        #expect(LookBackArgument(argument: "--5m") == nil && LookBackArgument(argument: "-") == nil && LookBackArgument(argument: "-soon") == nil)
        #expect(throws: (any Error).self) { try BerthCommand.parseAsRoot(["logs", "--env", "dev", "--since", "--follow"]) }
    }
}
