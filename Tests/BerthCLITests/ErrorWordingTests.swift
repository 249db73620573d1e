@testable import BerthDeploy
import Foundation
import Testing

@testable import BerthCLI

/// The library says what is wrong; the command line adds the flags that go on.
@Suite struct ErrorWordingTests {
    @Test func imageGateErrorsNameTheFlags() {
        #expect(ErrorWording.text(ImageGateError.mutableTag("latest")).hasSuffix("or pass --allow-mutable-tag"))
        #expect(
            ErrorWording.text(ImageGateError.tagMovesInRepository(tag: "dev-latest", repository: "shop/api", filter: "*-latest"))
                == "refusing tag \"dev-latest\": repository shop/api lets it move (it matches the mutable-tag filter \"*-latest\"), so it can point at a different image tomorrow; deploy an immutable tag such as dev-20261122-093000-0123abcd, or pass --allow-mutable-tag to deploy the image it points at now, pinned by digest")
        #expect(ErrorWording.text(ImageGateError.repositoryMissing("shop/api")) == "repository shop/api does not exist; deploy --phase ecr first")
        let missing = ImageGateError.imageMissing(repository: "shop/api", tag: "dev-x", recentTags: ["dev-b", "dev-a"], waited: false)
        #expect(
            ErrorWording.text(missing)
                == "image shop/api:dev-x is not in ECR; push it first, or wait for the push with --wait-for-image; the most recent tags are: dev-b, dev-a")
        let refusal = ImageGateRefusal(refusals: [("api", .repositoryNotReady(stack: "shop-api-ecr", status: nil))])
        #expect(ErrorWording.text(refusal) == "api: the repository stack shop-api-ecr does not exist; deploy --phase ecr first; no phase-2 stack was changed")
    }

    @Test func imageSelectionErrorsNameTheFlag() {
        #expect(
            ErrorWording.text(ImageSelectionError.missingTags(["api"]))
                == "no image tag for api: pass --image-tag TAG for every service, or --image-tag api=TAG")
        #expect(ErrorWording.text(ImageSelectionError.serviceNamedTwice("api")) == "--image-tag names service api twice")
        // rollback takes its tags with --to, and says so.
        #expect(ErrorWording.text(ImageSelectionError.serviceNamedTwice("api"), flag: "--to") == "--to names service api twice")
        #expect(ErrorWording.text(ImageSelectionError.notATag(argument: "api:v1", .colon(service: "api", tag: "v1")), flag: "--to")
            == "--to \"api:v1\" is not a tag (a tag holds no :); a service's tag is written --to api=v1")
        #expect(ErrorWording.text(ImageTagTemplate.Problem.missingEnvironment) == "{env} has no value: pass --env NAME")
    }

    /// Every case of the errors whose advice names a command: the library's words name no flag and
    /// no command, and the CLI's keep the library's problem and add them.
    @Test func rollbackExecAndSelectionErrorsSpeakCLIOnlyInTheCLI() {
        let rollbacks: [RollbackError] = [
            .notDeployed(service: "api", stack: "shop-api-dev"), .nothingEarlier(service: "api", current: "t2"),
            .expired(service: "api", tag: "t1", repository: "shop/api"), .notInRepository(service: "api", tag: "t9", repository: "shop/api"),
            .moved(service: "api", tag: "v1", ran: "sha256:1", now: "sha256:9"),
            .movableTagNeverRan(service: "api", tag: "dev-latest", repository: "shop/api"),
            .expiring(service: "api", tag: "t1", repository: "shop/api", rule: 2),
            .onlyFailed(service: "api", tag: "t2", deploys: 2, newest: .failed), .unknownService("billing", known: ["api", "web"]),
        ]
        let execs: [ExecError] = [
            .pluginMissing(searched: ["/usr/bin"]), .notAService(name: "migrate"), .execOff(service: "api", environment: "dev"),
            .notDeployed(stack: "shop-api-dev"), .serviceNotFound(service: "api", cluster: "shop-dev"), .serviceNotFound(service: "api", cluster: nil),
            .noRunningTask(service: "api", others: 0), .noRunningTask(service: "api", others: 2), .taskNotFound(task: "t", cluster: "shop-dev"),
            .taskNotRunning(task: "t", status: "STOPPED"), .containerNotFound(container: "web", task: "t", containers: ["api"]),
            .taskWithoutExec(task: "t"), .noRuntimeID(container: "api", task: "t"), .noSession(task: "t"),
            .taskOfAnotherService(task: "t", service: "api", group: "service:web"), .pluginFailed(path: "/bin/p", reason: "denied"),
        ]
        let library = rollbacks.map { ($0.description, $0.problem, ErrorWording.text($0)) } + execs.map { ($0.description, $0.problem, ErrorWording.text($0)) }
        for (description, problem, _) in library {
            #expect(!description.contains("--") && !description.contains("berth "), "\(description)")
            #expect(description.hasPrefix(problem), "\(description)")
        }
        for (_, problem, cli) in library where !cli.hasPrefix("--to names") {
            #expect(cli.hasPrefix(problem), "\(cli)")
        }
        #expect(ErrorWording.text(RollbackError.moved(service: "api", tag: "v1", ran: "sha256:1", now: "sha256:9")).hasSuffix("(--to api=TAG; berth images lists them)"))
        #expect(
            ErrorWording.text(
                RollbackError.movableTagNeverRan(service: "api", tag: "dev-latest", repository: "shop/api"), deploy: "berth deploy --phase ecs --env pr-7 --from preview"
            ).hasSuffix("(berth deploy --phase ecs --env pr-7 --from preview --service api --image-tag api=dev-latest --allow-mutable-tag)"))
        #expect(
            ErrorWording.text(RollbackError.onlyFailed(service: "api", tag: "v2", deploys: 2, newest: .rolledBackByCircuitBreaker), deploy: "berth deploy --phase ecs --env dev")
                .hasSuffix("or deploy this one on purpose (berth deploy --phase ecs --env dev --service api --image-tag api=v2)"))
        #expect(ErrorWording.text(RollbackError.unknownService("billing", known: ["api"])) == "--to names billing, which is not rolled back here; the services are api")
        #expect(ErrorWording.text(ExecError.taskNotRunning(task: "t", status: "STOPPED")) == "the task t is STOPPED, not RUNNING: pass a running task, or leave --task out")
        #expect(ExecError.taskNotRunning(task: "t", status: "STOPPED").description == "the task t is STOPPED, not RUNNING: name a running task of the service")
        #expect(ErrorWording.text(ExecError.notAService(name: "migrate")).hasSuffix("run a job's command with berth run --service migrate -- <command>"))

        let byServices = PlanError(
            .init(job: "migrate", imageOf: "api", runOnDeploy: .beforeServices, selectedServices: ["web"], jobStack: "shop-migrate-dev", imageStack: "shop-api-dev"))
        let byStacks = PlanError(
            .init(job: "migrate", imageOf: "api", runOnDeploy: .beforeServices, selectedServices: nil, jobStack: "shop-migrate-dev", imageStack: "shop-api-dev"))
        for error in [byServices, byStacks] {
            #expect(!error.description.contains("--"), "\(error)")
            #expect(error.description.contains("api would keep its image while migrate ran the new one's migrations"))
        }
        #expect(ErrorWording.text(byServices).hasPrefix("--service web runs migrate (runOnDeploy: before-services), which runs api's image"))
        #expect(ErrorWording.text(byStacks).hasSuffix("add --stack shop-api-dev, or leave out --stack shop-migrate-dev"))
        let scheduled = PlanError(
            .init(job: "sweep", imageOf: "api", runOnDeploy: nil, selectedServices: ["sweep"], jobStack: "shop-sweep-dev", imageStack: "shop-api-dev"))
        #expect(
            ErrorWording.text(scheduled)
                == "--service sweep deploys sweep, which runs api's image: api would keep its image while sweep ran the new one's code; add --service api")
        #expect(ErrorWording.text(PlanError("no stack x")) == "no stack x")

        // An adoption's repository policy: the library says what happens, the CLI names the flag.
        #expect(ErrorWording.policyAdvice(.undeclared) == "keep the policy as it is with --keep-repository-policy")
        #expect(ErrorWording.policyAdvice(.replacedByTemplate) == "--keep-repository-policy cannot keep a policy the template replaces")
        #expect(ErrorWording.policyAdvice(.kept) == nil && ErrorWording.policyAdvice(nil) == nil)

        let exists = ScaffoldError.exists(["Package.swift"])
        #expect(exists.description == "Package.swift exists; nothing is overwritten, so nothing was written: choose another directory or move it")
        #expect(ErrorWording.text(exists) == "Package.swift exists; berth init overwrites nothing, so it wrote nothing: choose another --dir or move it")
    }

    /// A removed service's stack is deleted by naming its environment as the deploy named it: a
    /// preview with the template it is made from.
    @Test func theDestroyCommandForARemovedServicesStackNamesAPreviewsTemplate() {
        let error = ListenerPriorityError(
            conflicts: [.held(stack: "shop-web-pr-51", priority: 48_261, holder: "shop-api-pr-51", rule: "arn:rule")],
            appStacks: ["shop-web-pr-51"], removedServices: ["shop-api-pr-51": .init(environment: "pr-51", service: "api")])
        #expect(ErrorWording.text(error).hasSuffix("; berth destroy --env pr-51 --removed-service api deletes it"))
        #expect(ErrorWording.text(error, previewOf: "preview").hasSuffix("; berth destroy --env pr-51 --from preview --removed-service api deletes it"))
        #expect(!error.description.contains("berth destroy"))
    }

    /// A one-value option given twice with two values is refused (argument-parser would act on
    /// the last alone); the same value twice, and words after --, are not.
    @Test func aOneValueOptionGivenTwiceIsRefused() {
        #expect(SingleValueOptions.problem(in: ["destroy", "--env", "dev", "--env=prod"]) == "--env is given twice, as dev and prod; give it once")
        #expect(SingleValueOptions.problem(in: ["deploy", "--phase", "ecr", "--phase", "ecs"]) == "--phase is given twice, as ecr and ecs; give it once")
        #expect(SingleValueOptions.problem(in: ["synth", "--env", "dev", "--env", "dev"]) == nil)
        #expect(SingleValueOptions.problem(in: ["run", "--env", "dev", "--", "tool", "--env", "prod"]) == nil)
        #expect(SingleValueOptions.problem(in: ["deploy", "--stack", "a", "--stack", "b", "--env"]) == nil)
        // --stack is one stack for synth alone; --service one service for exec.
        #expect(SingleValueOptions.problem(in: ["synth", "--stack", "a", "--stack=b"]) == "--stack is given twice, as a and b; give it once")
        #expect(SingleValueOptions.problem(in: ["exec", "--service", "api", "--service", "web"]) == "--service is given twice, as api and web; give it once")
        #expect(SingleValueOptions.problem(in: ["status", "--service", "api", "--service", "web"]) == nil)
    }

    /// Rollback's line for each service says what changes, or that nothing does.
    @Test func rollbacksLineSaysWhenTheTagIsDeployedAlready() {
        #expect(RollbackCommand.line(service: "api", deployed: "v2", to: "v1", commit: "abc") == "api: v2 -> v1, commit abc")
        #expect(RollbackCommand.line(service: "api", deployed: nil, to: "v1", commit: nil) == "api: - -> v1")
        #expect(RollbackCommand.line(service: "api", deployed: "v2", to: "v2", commit: nil) == "api: v2 is deployed already")
    }

    /// rollback has no --allow-mutable-tag: its refusal of a movable tag says what to do instead.
    @Test func rollbackRefusesAMovableTagWithAdviceItCanTake() async throws {
        let result = await runBerth(
            ["rollback", "--config", fixtureConfiguration, "--env", "dev", "--to", "api=latest", "--endpoint-url", "http://127.0.0.1:9"],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_EC2_METADATA_DISABLED": "true"])
        #expect(result.status == 3, "\(result.err)")
        #expect(result.err.contains("rollback goes back only to a tag that names one image"), "\(result.err)")
        #expect(
            result.err.contains("berth deploy --phase ecs --env dev --service api --image-tag api=latest --allow-mutable-tag")
                && !result.err.contains("or pass --allow-mutable-tag"), "\(result.err)")
        // A tag for every service is advised as one too.
        let everyService = await runBerth(
            ["rollback", "--config", fixtureConfiguration, "--env", "pr-7", "--from", "preview", "--service", "web", "--to", "main", "--endpoint-url", "http://127.0.0.1:9"],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_EC2_METADATA_DISABLED": "true"])
        #expect(everyService.status == 3, "\(everyService.err)")
        #expect(everyService.err.contains("berth deploy --phase ecs --env pr-7 --from preview --service web --image-tag main --allow-mutable-tag"), "\(everyService.err)")
    }

    /// Every option that takes one value, in every command, as argument-parser describes them
    /// (`--experimental-dump-help`), is one the check covers: a new option cannot be left out.
    @Test func everyOneValueOptionIsCovered() async throws {
        let dump = await runBerth(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.out.utf8)) as? [String: Any])
        let commands = try #require((root["command"] as? [String: Any])?["subcommands"] as? [[String: Any]])
        #expect(commands.count > 10)
        for command in commands {
            let name = try #require(command["commandName"] as? String)
            let single = (command["arguments"] as? [[String: Any]] ?? []).compactMap { argument -> String? in
                guard argument["kind"] as? String == "option", argument["isRepeating"] as? Bool == false,
                    let preferred = argument["preferredName"] as? [String: Any], let long = preferred["name"] as? String
                else { return nil }
                return "--" + long
            }
            let covered = Set(SingleValueOptions.names + (SingleValueOptions.namesByCommand[name] ?? []))
            #expect(Set(single).subtracting(covered).isEmpty, "\(name): \(Set(single).subtracting(covered).sorted())")
        }
    }

    /// A control character from a file or a server is printed escaped, never raw.
    @Test func controlCharactersArePrintedEscaped() async throws {
        #expect(TerminalText.printable("plain\n  text\twith é") == "plain\n  text\twith é")
        #expect(TerminalText.printable("a\u{1B}[31mb\rc\u{0}d\u{7F}\u{85}") == "a\\u{1B}[31mb\\u{D}c\\u{0}d\\u{7F}\\u{85}")
        // Invisible characters that make a key look like another, or reverse the line.
        #expect(TerminalText.printable("execCommand\u{200B}, \u{202E}x, eu-west-1\u{FEFF}, a\u{2028}b") == "execCommand\\u{200B}, \\u{202E}x, eu-west-1\\u{FEFF}, a\\u{2028}b")
        #expect(TerminalText.printable("façade, 東京, ü") == "façade, 東京, ü")
        // A log line keeps the joiners writing needs, and loses what reorders or breaks the line.
        #expect(TerminalText.message("👩\u{200D}💻 می\u{200C}خواهم \u{202E}x\u{2028}y") == "👩\u{200D}💻 می\u{200C}خواهم \\u{202E}x\\u{2028}y")
        #expect(TerminalText.printable("👩\u{200D}💻") == "👩\\u{200D}💻")
        let config = try configuration(["dev.yaml": minimalEnvironment + "\"a\\e[31mb\\rc\": 1\n"])
        let result = await runBerth(["synth", "--config", config, "--stdout"])
        #expect(result.status == 2)
        #expect(result.err.contains("a\\u{1B}[31mb\\u{D}c: unknown key"), "\(result.err)")
        #expect(!result.err.contains("\u{1B}") && !result.err.contains("\r"))
    }
}
