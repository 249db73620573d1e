import BerthModel
import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthCLI
import BerthDeploy

/// Jobs against a real moto server, signed like AWS: a migration on the API's image that gates
/// the API's rollout, and `berth run`. moto's tasks never stop by themselves and every exit code
/// it reports is 0, so the runs whose exit code matters are answered by `ScriptedTasks` (written
/// from the ECS API reference), in front of moto for everything else. Serialized: one region.
@Suite(.serialized) struct JobCommandTests {
    private static let region = "ap-southeast-2"
    private static let app = "ledger"

    private static let environmentFile = """
        app: ledger
        region: ap-southeast-2
        network:
          vpc: new
          cidr: 10.60.0.0/16
        services:
          api:
            cpu: 256
            memory: 512
          migrate:
            kind: job
            image: {service: api}
            command: bin/migrate up
            cpu: 256
            memory: 512
            timeoutMinutes: 5
            runOnDeploy: before-services

        """

    /// `environmentFile` as app `app` in a VPC of `cidr` (and `services`, lines added under its
    /// services), its repository stacks deployed through `proxy` and its api image pushed to moto
    /// as `tag`: the configuration, and the deploy command through `proxy`.
    private func repositoriesDeployed(
        app: String, cidr: String, services: String = "", tag: String, digit: Character, moto: Endpoint, through proxy: TestHTTPServer
    ) async throws -> (config: String, deploy: [String]) {
        let config = try configuration(["dev.yaml": Self.environmentFile.replacingOccurrences(of: "10.60.0.0/16", with: cidr)
            .replacingOccurrences(of: "app: ledger", with: "app: \(app)") + services])
        let deploy = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        _ = await runBerth(deploy + ["--phase", "ecr"], environment: credentials())
        try await push(moto, tag, digit: digit, app: app)
        return (config, deploy)
    }

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDJOBTEST", "AWS_SECRET_ACCESS_KEY": "job-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    /// Pushes `app`'s api image as `tag`, its digest `digit` repeated.
    private func push(_ moto: Endpoint, _ tag: String, digit: Character, app: String = "ledger") async throws {
        try await MotoHelpers.putImage(
            moto, region: Self.region, repository: "\(app)/api", tag: tag, digest: "sha256:" + String(repeating: digit, count: 64))
    }

    /// The task ID `ScriptedTasks` gives its `n`th task.
    private func scriptedTaskID(_ n: Int) -> String { String(format: "%032x", n) }

    @Test func aMigrationGatesTheRolloutAndAFailedOneChangesNoService() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let tasks = ScriptedTasks([
            .init(pollsBeforeStop: 1, exitCode: 0),
            .init(pollsBeforeStop: 1, exitCode: 3),
            .init(pollsBeforeStop: 0, exitCode: 0),
            .init(pollsBeforeStop: 0, exitCode: 0),
            .init(pollsBeforeStop: 100_000, exitCode: 0),
        ])
        let proxy = try TestHTTPServer { request in tasks.answer(request) ?? .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let cloudFormation = CloudFormationClient(configuration: setup)

        // Phase 1: the job runs the API's image, so only the API has a repository.
        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        #expect(try await cloudFormation.describeStack("ledger-api-ecr") != nil)
        #expect(try await cloudFormation.describeStack("ledger-migrate-ecr") == nil)

        // The first deploy: the job's stack, then the migration with the API's image, then the API.
        let tag1 = "dev-20261201-100000-aaaaaaaa"
        try await push(moto, tag1, digit: "a")
        let first = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: credentials())
        #expect(first.status == 0, "\(first.err)\n\(first.out)")
        #expect(tasks.operations.first == "RunTask")
        let runTask = try #require(tasks.calls.first?.body)
        #expect(runTask["launchType"] as? String == "FARGATE")
        #expect((runTask["startedBy"] as? String)?.hasPrefix("berth-") == true, "a name of the run's own, which ListTasks can filter by")
        #expect((runTask["taskDefinition"] as? String)?.contains(":task-definition/") == true)
        let network = (runTask["networkConfiguration"] as? [String: Any])?["awsvpcConfiguration"] as? [String: Any]
        #expect((network?["subnets"] as? [String])?.count == 2)
        // A job's run is in its own group only, as its scheduled runs are.
        #expect((network?["securityGroups"] as? [String])?.count == 1)
        #expect((network?["securityGroups"] as? [String])?.first?.hasPrefix("sg-") == true)
        #expect(network?["assignPublicIp"] as? String == "ENABLED")
        let lines = first.out.split(separator: "\n").map(String.init)
        let jobCreated = try #require(lines.firstIndex(of: "ledger-migrate-dev: created"))
        let ran = try #require(lines.firstIndex { $0.hasPrefix("migrate: exited 0") })
        let apiStarted = try #require(lines.firstIndex(of: "== phase 2: ledger-api-dev"))
        #expect(jobCreated < ran && ran < apiStarted, "\(first.out)")
        let migrate = try #require(try await cloudFormation.describeStack("ledger-migrate-dev"))
        #expect(migrate.parameters["ImageTag"] == tag1)
        #expect(migrate.parameters["RepositoryName"] == "ledger/api")

        // A new tag whose migration fails: the job's stack has the new image, the API keeps the old.
        let tag2 = "dev-20261201-110000-bbbbbbbb"
        try await push(moto, tag2, digit: "b")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await MotoHelpers.putLogEvents(
            moto, region: Self.region, group: "/berth/ledger-dev-migrate", stream: "migrate/migrate/\(scriptedTaskID(2))",
            messages: [(now - 2000, "applying 0003_accounts"), (now - 1000, "ERROR: column \"owner\" already exists")])
        let templateBefore = try await cloudFormation.getTemplate(stackName: "ledger-api-dev")
        let failed = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag2], environment: credentials())
        #expect(failed.status == 6, "\(failed.err)\n\(failed.out)")
        #expect(failed.err.contains("migrate failed: exit code 3"), "\(failed.err)")
        #expect(failed.err.contains("Essential container in task exited"))
        #expect(failed.err.contains("ERROR: column \"owner\" already exists"), "the last log lines: \(failed.err)")
        #expect(failed.out.contains("migrate | applying 0003_accounts"), "the log lines as they came: \(failed.out)")
        #expect(failed.err.contains("not started, left as they were: ledger-api-dev"))
        let api = try #require(try await cloudFormation.describeStack("ledger-api-dev"))
        #expect(api.parameters["ImageTag"] == tag1)
        #expect(try await cloudFormation.getTemplate(stackName: "ledger-api-dev") == templateBefore)
        #expect(try await cloudFormation.describeStack("ledger-migrate-dev")?.parameters["ImageTag"] == tag2)
        #expect(!failed.out.contains("== phase 2: ledger-api-dev"))

        // The migration passes: the API rolls out.
        let passed = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag2], environment: credentials())
        #expect(passed.status == 0, "\(passed.err)")
        #expect(try await cloudFormation.describeStack("ledger-api-dev")?.parameters["ImageTag"] == tag2)

        // Nothing to change: nothing runs.
        let runs = tasks.operations.filter { $0 == "RunTask" }.count
        let same = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag2], environment: credentials())
        #expect(same.status == 0, "\(same.err)")
        #expect(tasks.operations.filter { $0 == "RunTask" }.count == runs)
        #expect(!same.out.contains("migrate: running"))
        // …and says so.
        #expect(same.out.contains("migrate: not run: it runs on a deploy that changes a service, and this one changes none"), "\(same.out)")
        #expect(!passed.out.contains("not run"), "\(passed.out)")

        // A --service subset still runs the environment's migration when it changes the API.
        let tag3 = "dev-20261201-120000-cccccccc"
        try await push(moto, tag3, digit: "c")
        let subset = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--service", "api", "--image-tag", tag3], environment: credentials())
        #expect(subset.status == 0, "\(subset.err)")
        #expect(subset.out.contains("migrate: running before the services"))
        #expect(tasks.operations.filter { $0 == "RunTask" }.count == runs + 1)

        // A migration that outlasts the deploy's --timeout: Berth stops the task it started, says
        // so, and no service changes.
        let tag4 = "dev-20261201-130000-dddddddd"
        try await push(moto, tag4, digit: "e")
        let stuck = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag4, "--timeout", "6s"], environment: credentials())
        #expect(stuck.status == 4, "\(stuck.err)")
        #expect(stuck.err.contains("Berth stopped migrate's task"), "\(stuck.err)")
        #expect(stuck.err.contains("no stack was being changed. Run the same command again to continue; Berth stopped migrate's task"), "\(stuck.err)")
        #expect(stuck.err.contains("before it finished"), "\(stuck.err)")
        #expect(tasks.operations.last == "StopTask")
        #expect(try await cloudFormation.describeStack("ledger-api-dev")?.parameters["ImageTag"] == tag3)

        // A tag for the job alone is refused: it takes the API's.
        let borrowed = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag3, "--image-tag", "migrate=\(tag3)"], environment: credentials())
        #expect(borrowed.status == 2)
        #expect(borrowed.err.contains("--image-tag names migrate, which runs api's image and takes its tag; pass --image-tag api=TAG instead"))
    }

    /// A scheduled job on the API's image keeps its image while the migration fails: its stack
    /// deploys after the migration and after the services, so that it never runs the new image
    /// against a schema the migration did not change, and its own failure stops no service.
    @Test func aFailedMigrationLeavesTheScheduledJobsOnTheirImage() async throws {
        let moto = try await MotoServer.open.endpoint()
        let file = Self.environmentFile.replacingOccurrences(of: "app: ledger", with: "app: ledger-cron")
            .replacingOccurrences(of: "10.60.0.0/16", with: "10.66.0.0/16")
            + "  nightly:\n    kind: job\n    image: {service: api}\n    command: bin/report\n    cpu: 256\n    memory: 512\n"
            + "    schedule: cron(0 3 * * ? *)\n"
        let config = try configuration(["dev.yaml": file])
        let tasks = ScriptedTasks([.init(exitCode: 0), .init(exitCode: 3)])
        let proxy = try TestHTTPServer { request in tasks.answer(request) ?? .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region))
        #expect(await runBerth(base + ["--phase", "ecr"], environment: credentials()).status == 0)
        func push(_ tag: String, _ digit: Character) async throws {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "ledger-cron/api", tag: tag, digest: "sha256:" + String(repeating: digit, count: 64))
        }
        let tag1 = "dev-20261206-100000-aaaaaaaa"
        try await push(tag1, "a")
        let first = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: credentials())
        #expect(first.status == 0, "\(first.err)")
        let lines = first.out.split(separator: "\n").map(String.init)
        let ran = try #require(lines.firstIndex { $0.hasPrefix("migrate: exited 0") })
        let nightly = try #require(lines.firstIndex(of: "== phase 2: ledger-cron-nightly-dev"))
        let api = try #require(lines.firstIndex(of: "== phase 2: ledger-cron-api-dev"))
        // After the migration and after the services: a failure of the job's stack stops no service.
        #expect(ran < api && api < nightly, "\(first.out)")
        #expect(try await cloudFormation.describeStack("ledger-cron-nightly-dev")?.parameters["ImageTag"] == tag1)

        let tag2 = "dev-20261206-110000-bbbbbbbb"
        try await push(tag2, "b")
        let failed = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag2], environment: credentials())
        #expect(failed.status == 6, "\(failed.err)")
        #expect(failed.err.contains("ledger-cron-nightly-dev"), "named among those left as they were: \(failed.err)")
        #expect(try await cloudFormation.describeStack("ledger-cron-nightly-dev")?.parameters["ImageTag"] == tag1)
        #expect(try await cloudFormation.describeStack("ledger-cron-migrate-dev")?.parameters["ImageTag"] == tag2)
    }

    /// A job runs its service's image, built for that service's architecture: on another, every
    /// run fails to start unless the image is built for both, which Berth cannot tell. Synth warns
    /// at the job's key, saying what to set.
    @Test func aJobOnAnotherArchitectureThanItsImagesServiceIsWarnedAbout() async throws {
        let arm = Self.environmentFile.replacingOccurrences(of: "  api:\n    cpu: 256\n", with: "  api:\n    architecture: arm64\n    cpu: 256\n")
        let result = await runBerth(["synth", "--config", try configuration(["dev.yaml": arm]), "--out", try temporaryDirectory()], environment: [:])
        #expect(result.status == 0, "\(result.err)")
        let warning = "ledger-migrate-dev: architecture: runs api's image, which api runs on arm64: unless that image is built for x86_64 too, every run fails to start; set architecture: arm64"
        #expect(result.err.contains(warning), "\(result.err)")
        // Deploy says it too (then fails at the closed endpoint): it is where the warning matters.
        let deploy = await runBerth(
            ["deploy", "--config", try configuration(["dev.yaml": arm]), "--out", try temporaryDirectory(), "--phase", "ecs", "--env", "dev",
             "--image-tag", "dev-20261206-100000-aaaaaaaa", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(deploy.err.contains("warning: ") && deploy.err.contains(warning), "\(deploy.err)")
        // Only about the stacks it deploys: phase 1 does not deploy the job's stack.
        let phase1 = await runBerth(
            ["deploy", "--config", try configuration(["dev.yaml": arm]), "--out", try temporaryDirectory(), "--phase", "ecr",
             "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(!phase1.err.contains("architecture"), "\(phase1.err)")
        let matching = arm.replacingOccurrences(of: "    image: {service: api}\n", with: "    image: {service: api}\n    architecture: arm64\n")
        let quiet = await runBerth(["synth", "--config", try configuration(["dev.yaml": matching]), "--out", try temporaryDirectory()], environment: [:])
        #expect(quiet.status == 0 && !quiet.err.contains("architecture"), "\(quiet.err)")
    }

    /// A deploy of some services runs the jobs that run on every deploy; one on the image of a
    /// service left out would run that service's new migrations while it keeps its image: refused
    /// before any AWS call, saying what to select.
    @Test func aDeployJobOnTheImageOfAServiceLeftOutIsRefused() async throws {
        let withWeb = Self.environmentFile.replacingOccurrences(
            of: "services:\n", with: "services:\n  web:\n    cpu: 256\n    memory: 512\n    routing: {paths: [\"/web/*\"]}\n")
        let config = try configuration(["dev.yaml": withWeb])
        let deploy = ["deploy", "--config", config, "--out", try temporaryDirectory(), "--phase", "ecs", "--env", "dev", "--image-tag", "dev-20261206-100000-aaaaaaaa"]
        let refused = await runBerth(deploy + ["--service", "web"], environment: credentials())
        #expect(refused.status == 2, "\(refused.err)")
        #expect(
            refused.err.contains(
                "--service web runs migrate (runOnDeploy: before-services), which runs api's image: api would keep its image while migrate ran "
                    + "the new one's migrations; add --service api, or name the stacks to deploy with --stack (without migrate's stack, no job runs)"),
            "\(refused.err)")
        // Naming the job itself does not make it right; --stack runs no job, so it is not refused.
        let named = await runBerth(deploy + ["--service", "web", "--service", "migrate"], environment: credentials())
        #expect(named.status == 2 && named.err.contains("--service web, migrate runs migrate (runOnDeploy: before-services)"), "\(named.err)")
        let exact = await runBerth(
            deploy + ["--service", "web", "--stack", "ledger-web-dev", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(!exact.err.contains("runs migrate"), "\(exact.err)")
        // Naming the job's stack with --stack runs the job before the services deployed with it:
        // on api's image without api's stack, refused the same way.
        let jobStack = await runBerth(
            deploy + ["--stack", "ledger-migrate-dev", "--stack", "ledger-web-dev", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(jobStack.status == 2, "\(jobStack.err)")
        #expect(
            jobStack.err.contains(
                "--stack ledger-migrate-dev runs migrate (runOnDeploy: before-services) on api's image, and api is not selected: "
                    + "api would keep its image while migrate ran the new one's migrations; add --stack ledger-api-dev, or leave out --stack ledger-migrate-dev"),
            "\(jobStack.err)")
        let withAPI = await runBerth(
            deploy + ["--stack", "ledger-migrate-dev", "--stack", "ledger-web-dev", "--stack", "ledger-api-dev", "--endpoint-url", "http://127.0.0.1:9"],
            environment: credentials())
        #expect(!withAPI.err.contains("runs migrate"), "\(withAPI.err)")
        // With api selected too, the selection stands (the deploy then fails at the closed endpoint).
        let both = await runBerth(deploy + ["--service", "web", "--service", "api", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(both.status != 0 && !both.err.contains("runs migrate"), "\(both.err)")
        #expect(!both.err.contains("(timeoutMinutes)"), "\(both.err)")
        // A --timeout shorter than the job's own bound would stop the migration midway: said.
        let short = await runBerth(deploy + ["--timeout", "2m", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(
            short.err.contains(
                "warning: migrate may run 5 minutes (timeoutMinutes), longer than --timeout 2m, which bounds the whole deploy: "
                    + "past it, berth stops the job's task midway"), "\(short.err)")
    }

    /// `diff --service` compares what `deploy --service` would change: the jobs every deploy
    /// runs included, and refused where the deploy is.
    @Test func diffTakesTheSelectionOfTheDeploy() async throws {
        let moto = try await MotoServer.open.endpoint()
        let withWeb = Self.environmentFile.replacingOccurrences(
            of: "services:\n", with: "services:\n  web:\n    cpu: 256\n    memory: 512\n    routing: {paths: [\"/web/*\"]}\n")
        let config = try configuration(["dev.yaml": withWeb])
        let diff = ["diff", "--config", config, "--phase", "ecs", "--env", "dev", "--endpoint-url", moto.origin]
        let api = await runBerth(diff + ["--service", "api"], environment: credentials())
        #expect(api.status == 0, "\(api.err)")
        #expect(api.out.contains("ledger-migrate-dev") && api.out.contains("ledger-api-dev") && !api.out.contains("ledger-web-dev"), "\(api.out)")
        let web = await runBerth(diff + ["--service", "web"], environment: credentials())
        #expect(web.status == 2 && web.err.contains("--service web runs migrate (runOnDeploy: before-services)"), "\(web.err)")
    }

    /// history and rollback act on services' deploys: a job named with --service is refused
    /// before any call (rollback redeployed the environment's shared stack alone, exit 0).
    @Test func historyAndRollbackRefuseAJob() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile])
        for command in ["history", "rollback"] {
            let result = await runBerth(
                [command, "--config", config, "--env", "dev", "--service", "migrate", "--endpoint-url", "http://127.0.0.1:9"],
                environment: credentials())
            #expect(result.status == 2, "\(command): \(result.err)")
            #expect(result.err.contains("--service migrate: a job, not a service: \(command)"), "\(result.err)")
            #expect(!result.err.contains("127.0.0.1:9"), "no call was made: \(result.err)")
        }
    }

    /// A job on the API's image has no repository: selecting it for phase 1 says whose it runs.
    @Test func aJobOnAnotherServicesImageHasNoRepositoryToSelect() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile])
        for arguments in [["deploy", "--phase", "ecr", "--out", try temporaryDirectory()], ["images"]] {
            let result = await runBerth(
                arguments + ["--config", config, "--service", "migrate", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
            #expect(result.status == 2, "\(arguments): \(result.err)")
            #expect(result.err.contains("the selection holds no stack: migrate runs api's image, in api's repository"), "\(result.err)")
        }
    }

    /// `berth run` stops a job at the job's own timeoutMinutes, as a deploy's run does, unless
    /// --timeout says otherwise; a service's command at an hour.
    @Test func runTakesTheJobsOwnTimeout() {
        func stack(_ policy: JobPolicy?) -> PlannedStack {
            PlannedStack(
                name: "s", phase: .ecs, environment: "dev", service: "x", region: "eu-west-1", templateBody: "{}", resourceCount: 1, parameters: [],
                template: [:], imageRepository: nil, jobPolicy: policy, tags: [], capabilities: [], terminationProtection: false)
        }
        #expect(RunCommand.limit(nil, of: stack(JobPolicy(runOnDeploy: nil, timeoutMinutes: 240))) == .seconds(240 * 60))
        #expect(RunCommand.limit(.seconds(90), of: stack(JobPolicy(runOnDeploy: nil, timeoutMinutes: 240))) == .seconds(90))
        #expect(RunCommand.limit(nil, of: stack(nil)) == .seconds(3600))
    }

    @Test func runExitsWithTheContainersCodeAnd125WhenItNeverRan() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let setupProxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let deploy = ["deploy", "--config", config, "--endpoint-url", setupProxy.url, "--out", try temporaryDirectory()]
        let tag = "dev-20261202-100000-dddddddd"
        _ = await runBerth(deploy + ["--phase", "ecr"], environment: credentials())
        try await push(moto, tag, digit: "d")
        let tasks = ScriptedTasks([
            .init(exitCode: 0),  // the deploy's migration
            .init(pollsBeforeStop: 2, exitCode: 42),
            .init(exitCode: nil, stoppedReason: "Task failed to start", containerReason: "CannotPullContainerError: pull access denied"),
            .init(refusal: "RESOURCE:ENI"),
            .init(exitCode: 0, stoppedReason: "Task stopped by user", stopCode: "UserInitiated"),
            .init(exitCode: 0),
            .init(error: "AccessDeniedException"),
        ])
        // The migration's log, as FilterLogEvents answers it (CloudWatch Logs API reference): a
        // message of several lines, one of them a CI runner's command.
        let migrationLog =
            #"{"events":[{"logStreamName":"migrate/migrate/x","timestamp":1764000000000,"message":"migrating\n::error title=Forged::migrate: exited 0\r\n","eventId":"e1"}]}"#
        let proxy = try TestHTTPServer { request in
            if request.headers["x-amz-target"] == "Logs_20140328.FilterLogEvents", request.text.contains("ledger-dev-migrate") {
                return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: migrationLog)
            }
            return tasks.answer(request) ?? .forward(port: moto.port ?? 0)
        }
        let deployed = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecs", "--env", "dev",
             "--image-tag", tag], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)")
        // The deploy shows the migration's log as `berth run` does: no line of it stands alone.
        #expect(deployed.out.contains("migrate | migrating\n    | ::error title=Forged::migrate: exited 0\n"), "\(deployed.out)")
        #expect(!deployed.out.contains("\n::error"), "\(deployed.out)")
        let run = ["run", "--config", config, "--endpoint-url", proxy.url, "--env", "dev"]

        // The task's log lines print as berth logs prints them: control characters escaped, a
        // further line led by "    | ", so that none reads as a CI runner's command.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await MotoHelpers.putLogEvents(
            moto, region: Self.region, group: "/berth/ledger-dev-api", stream: "api/api/\(scriptedTaskID(2))",
            messages: [(now - 1000, "\u{1B}[2Jchecking\r\n::error::forged")])
        let failing = await runBerth(run + ["--service", "api", "--", "bin/task", "--dry-run"], environment: credentials())
        #expect(failing.status == 42, "\(failing.err)")
        #expect(failing.err.contains("api failed: exit code 42"))
        #expect(failing.out.contains("\\u{1B}[2Jchecking\n    | ::error::forged"), "\(failing.out)")
        // The failure's last log lines too.
        #expect(failing.err.contains("  \\u{1B}[2Jchecking\n    | ::error::forged"), "\(failing.err)")
        #expect(!(failing.out + failing.err).contains("\u{1B}") && !(failing.out + failing.err).contains("\n::error::forged"), "\(failing.err)")
        let override = try #require(tasks.calls.last { $0.operation == "RunTask" }?.body)
        // A service's command runs in the groups the service's tasks are in: its own (by its
        // logical ID, whatever order ListStackResources gives) and the environment's for services.
        let groups = ((override["networkConfiguration"] as? [String: Any])?["awsvpcConfiguration"] as? [String: Any])?["securityGroups"] as? [String]
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let apiResources = try await CloudFormationClient(configuration: setup).listStackResources(stackName: "ledger-api-dev").collect()
        let own = apiResources.first { $0.logicalID == "ServiceSecurityGroup" }?.physicalID
        let shared = try await CloudFormationClient(configuration: setup).describeStack("ledger-api-dev")?.parameters["ServicesSecurityGroupId"]
        #expect(groups == [own, shared].compactMap { $0 } && groups?.count == 2, "\(String(describing: groups))")
        let containerOverride = ((override["overrides"] as? [String: Any])?["containerOverrides"] as? [[String: Any]])?.first
        #expect(containerOverride?["name"] as? String == "api")
        #expect(containerOverride?["command"] as? [String] == ["bin/task", "--dry-run"])

        let unpulled = await runBerth(run + ["--service", "migrate"], environment: credentials())
        #expect(unpulled.status == 125, "\(unpulled.err)")
        #expect(unpulled.err.contains("migrate never ran"))
        #expect(unpulled.err.contains("CannotPullContainerError: pull access denied"))

        let refused = await runBerth(run + ["--service", "migrate"], environment: credentials())
        #expect(refused.status == 125)
        #expect(refused.err.contains("RESOURCE:ENI"))
        #expect(!(failing.out + failing.err + unpulled.err).contains("job-secret-never-printed"))

        // Stopped by someone's StopTask, the container answered SIGTERM with 0: not a success.
        let stoppedByHand = await runBerth(run + ["--service", "migrate"], environment: credentials())
        #expect(stoppedByHand.status == 1, "\(stoppedByHand.err)")
        #expect(stoppedByHand.err.contains("migrate failed: exit code 0 (task "), "\(stoppedByHand.err)")
        #expect(stoppedByHand.err.contains("; UserInitiated: Task stopped by user)"), "\(stoppedByHand.err)")

        // Runs use the deployed stack's network settings, not the files': private subnets turned
        // on in the file but not deployed yet still run the task with a public IP, in the
        // public subnets the deployed stack names.
        let network = Self.environmentFile.replacingOccurrences(of: "  cidr: 10.60.0.0/16\n", with: "  cidr: 10.60.0.0/16\n  privateSubnets: true\n")
        try network.write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        let deployedNetwork = await runBerth(run + ["--service", "api", "--", "true"], environment: credentials())
        #expect(deployedNetwork.status == 0, "\(deployedNetwork.err)")
        let networked = try #require(tasks.calls.last { $0.operation == "RunTask" }?.body)
        let awsvpc = (networked["networkConfiguration"] as? [String: Any])?["awsvpcConfiguration"] as? [String: Any]
        #expect(awsvpc?["assignPublicIp"] as? String == "ENABLED", "\(String(describing: awsvpc))")
        try Self.environmentFile.write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)

        // RunTask itself refused (a role that may not be passed): no task started, 125.
        let denied = await runBerth(run + ["--service", "migrate"], environment: credentials())
        #expect(denied.status == 125, "\(denied.err)")
        #expect(denied.err.contains("RunTask was refused: AccessDeniedException: User is not authorized to perform: iam:PassRole"), "\(denied.err)")
    }

    /// Against moto itself: RunTask, DescribeTasks and StopTask as ECS takes them. moto moves a
    /// task one step through its life (DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED, exit code
    /// 0) at each DescribeTasks: a run with time to spare ends with 0, and one whose --timeout
    /// comes first is stopped, which moto then reports with Berth's reason.
    @Test func aRunThatOutlastsItsTimeoutIsStoppedInMoto() async throws {
        let moto = try await MotoServer.open.endpoint()
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let tag = "dev-20261203-100000-eeeeeeee"
        let (config, deploy) = try await repositoriesDeployed(app: "journal", cidr: "10.61.0.0/16", tag: tag, digit: "e", moto: moto, through: proxy)
        // The stacks only: the migration's own run in moto would wait out its five minutes.
        for stack in ["journal-dev", "journal-migrate-dev", "journal-api-dev"] {
            let result = await runBerth(deploy + ["--phase", "ecs", "--env", "dev", "--stack", stack, "--image-tag", tag], environment: credentials())
            #expect(result.status == 0, "\(stack): \(result.err)")
            // A service's stack alone leaves the migration out, and says so.
            let warned = result.err.contains(
                "warning: --stack deploys exactly the stacks it names: journal-migrate-dev, which runs on every deploy that changes a service, will not run")
            #expect(warned == (stack == "journal-api-dev"), "\(stack): \(result.err)")
            // Naming the job's stack too is the way to run it that keeps to --stack.
            #expect(!warned || result.err.contains("to run it, name its stack with --stack too, or select the services with --service"), "\(result.err)")
        }
        let stopped = await runBerth(
            ["run", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", "migrate", "--timeout", "1s"],
            environment: credentials())
        #expect(stopped.status == 4, "\(stopped.err)")
        #expect(stopped.err.contains("did not finish within 1s; Berth stopped its task"), "\(stopped.err)")
        let operations = proxy.requests.compactMap { $0.headers["x-amz-target"] }.filter { $0.hasPrefix("AmazonEC2ContainerService") }
        #expect(operations.first == "AmazonEC2ContainerServiceV20141113.RunTask")
        #expect(operations.contains("AmazonEC2ContainerServiceV20141113.DescribeTasks"))
        #expect(operations.last == "AmazonEC2ContainerServiceV20141113.StopTask")
        // moto says the task is stopped, with Berth's reason.
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let ecs = ECSClient(configuration: setup)
        let cluster = try #require(try await CloudFormationClient(configuration: setup).describeStack("journal-migrate-dev")?.parameters["ClusterName"])
        let arns = try await ecs.listTasks(cluster: cluster, desiredStatus: "STOPPED").collect()
        let task = try #require(try await ecs.describeTasks(cluster: cluster, tasks: arns).first)
        #expect(task.lastStatus == "STOPPED")
        #expect(task.stoppedReason?.contains("berth: migrate took longer than 1s") == true)

        let mark = proxy.requests.count
        let finished = await runBerth(
            ["run", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", "migrate"], environment: credentials())
        #expect(finished.status == 0, "\(finished.err)")
        #expect(finished.out.contains("migrate: exited 0"))
        let later = proxy.requests.dropFirst(mark).compactMap { $0.headers["x-amz-target"] }.filter { $0.hasPrefix("AmazonEC2ContainerService") }
        #expect(later.first == "AmazonEC2ContainerServiceV20141113.RunTask")
        #expect(!later.contains("AmazonEC2ContainerServiceV20141113.StopTask"))

        // status shows the job's last runs: the one that finished, and the one Berth stopped.
        let status = await runBerth(
            ["status", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", "migrate", "--json"],
            environment: credentials())
        #expect(status.status == 0, "\(status.err)")
        let document = try JSONValue.parseJSON(status.out, file: "status")
        let runs = try #require(document["services"]?.elements?.first?["runs"]?.elements)
        #expect(runs.count == 2)
        #expect(runs.contains { $0["exitCode"] == 0 })
        #expect(runs.contains { $0["stoppedReason"]?.stringValue?.contains("took longer than 1s") == true })
        let text = await runBerth(
            ["status", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", "migrate"], environment: credentials())
        #expect(text.out.contains("  run       "), "\(text.out)")
        #expect(text.out.contains("exit 0"))
    }

    /// Ctrl-C while a job's task runs: Berth stops the task, in a task of its own that the
    /// interrupt does not reach, and waits for that (up to 30 s); a second Ctrl-C ends the wait
    /// at once with exit 130, saying what may be left. StopTask is held unanswered here, as an
    /// ECS that is slow to answer would hold it. The built `berth` runs in a process of its own:
    /// a signal reaches every command of a process.
    @Test func aSecondInterruptEndsTheWaitForATaskToStop() async throws {
        let moto = try await MotoServer.open.endpoint()
        let setupProxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let tag = "dev-20261204-100000-ffffffff"
        // A worker too: the built `berth` is the sample app's, whose Swift code customizes one.
        let (config, deploy) = try await repositoriesDeployed(
            app: "almanac", cidr: "10.62.0.0/16", services: "  worker: {kind: worker, cpu: 256, memory: 512}\n", tag: tag, digit: "f", moto: moto,
            through: setupProxy)
        // The job's stack only: its run is what is interrupted.
        for stack in ["almanac-dev", "almanac-migrate-dev"] {
            let result = await runBerth(deploy + ["--phase", "ecs", "--env", "dev", "--stack", stack, "--image-tag", tag], environment: credentials())
            #expect(result.status == 0, "\(stack): \(result.err)")
        }
        let tasks = ScriptedTasks([.init(pollsBeforeStop: 100_000, exitCode: 0)])
        let proxy = try TestHTTPServer { request in
            if request.headers["x-amz-target"]?.hasSuffix(".StopTask") == true { return .delay(.seconds(120), .respond(status: 200, body: "{}")) }
            return tasks.answer(request) ?? .forward(port: moto.port ?? 0)
        }
        let berth = try BerthProcess(
            ["run", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", "migrate"], environment: credentials())
        try await waitUntil("berth to follow its task", timeout: .seconds(60)) { tasks.operations.contains("DescribeTasks") || !berth.isRunning }
        berth.interrupt()
        try await waitUntil("berth to ask ECS to stop its task") {
            proxy.requests.contains { $0.headers["x-amz-target"]?.hasSuffix(".StopTask") == true } || !berth.isRunning
        }
        #expect(berth.isRunning, "berth waits for StopTask's answer: \(berth.errors.text)")
        let signalled = ContinuousClock.now
        berth.interrupt()
        try await berth.waitForEnd()
        let elapsed = ContinuousClock.now - signalled
        #expect(berth.status == 130, "\(berth.errors.text)")
        #expect(berth.errors.text.contains("interrupted; Berth stopped waiting for its clean-up: a job's task it started may still run"), "\(berth.errors.text)")
        // Far below both the 30 s grace and the held answer's 120 s, on a machine that may be busy.
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }
}
