import BerthModel
import BerthTemplate
import Foundation
import BerthTestSupport
import Synchronization
import Testing

@testable import BerthAWS

/// An app of three services (two web services sharing a load balancer, and a worker) deployed
/// against a real moto server: one repository per service, the gate for every service before any
/// change, updates that touch only the service whose image changed, selections, and two
/// environments deployed at the same time. Serialized: its stacks share one region.
@Suite(.serialized) struct AppDeployCommandTests {
    private static let region = "us-west-2"
    private static let services = ["web", "api", "worker"]

    private static func environmentFile(cidr: String) -> String {
        """
        app: fleet
        region: us-west-2
        network:
          vpc: new
          cidr: \(cidr)
        services:
          web:
            cpu: 256
            memory: 512
            containerPort: 3000
          api:
            cpu: 256
            memory: 512
            routing:
              paths: [/api/*]
          worker:
            kind: worker
            cpu: 256
            memory: 512

        """
    }

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDAPPTEST", "AWS_SECRET_ACCESS_KEY": "app-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    private func push(_ moto: Endpoint, _ service: String, _ tag: String, digit: Character) async throws {
        try await MotoHelpers.putImage(
            moto, region: Self.region, repository: "fleet/\(service)", tag: tag, digest: "sha256:" + String(repeating: digit, count: 64))
    }

    @Test func anAppOfThreeServicesDeploysBehindOneGate() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration([
            "dev.yaml": Self.environmentFile(cidr: "10.50.0.0/16"), "qa.yaml": Self.environmentFile(cidr: "10.51.0.0/16"),
        ])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let cloudFormation = CloudFormationClient(configuration: setup)

        // Phase 1: a repository per service, each in its own stack.
        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        for service in Self.services { #expect(phaseOne.out.contains("fleet-\(service)-ecr: created")) }
        let repositories = try await ECRClient(configuration: setup).describeRepositories().collect().map(\.repositoryName)
        #expect(Set(repositories).isSuperset(of: ["fleet/web", "fleet/api", "fleet/worker"]))

        // The worker's image is missing: the whole deploy is refused and nothing is created.
        let tag1 = "dev-20261201-100000-aaaaaaaa"
        try await push(moto, "web", tag1, digit: "a")
        try await push(moto, "api", tag1, digit: "b")
        let before = proxy.requests.count
        var actions = credentials()
        actions["GITHUB_ACTIONS"] = "true"
        let refused = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: actions)
        #expect(refused.status == 3, "\(refused.err)")
        #expect(refused.err.contains("image fleet/worker:\(tag1) is not in ECR"))
        // On GitHub Actions the error is an annotation too, on the error stream (which the runner
        // reads too), so that a command's standard output stays its own.
        #expect(refused.err.contains("::error title=berth deploy::image gate: worker: image fleet/worker:\(tag1) is not in ECR"), "\(refused.err)")
        #expect(!refused.out.contains("::error"))
        #expect(!proxy.requests.dropFirst(before).contains { $0.text.contains("Action=CreateChangeSet") })
        for stack in ["fleet-dev", "fleet-web-dev", "fleet-api-dev", "fleet-worker-dev"] {
            #expect(try await cloudFormation.describeStack(stack) == nil, "\(stack)")
        }

        // With every image there, the shared stack and every service stack are created.
        try await push(moto, "worker", tag1, digit: "c")
        let ci = try temporaryDirectory()
        actions["GITHUB_OUTPUT"] = ci + "/output"
        actions["GITHUB_STEP_SUMMARY"] = ci + "/summary.md"
        let created = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: actions)
        #expect(created.status == 0, "\(created.err)")
        // CI needs no glue: the tags, digests and outputs are step outputs, the result a summary.
        let stepOutputs = try readFile(ci + "/output")
        #expect(stepOutputs.contains("image-tag-api=\(tag1)\n") && stepOutputs.contains("image-tag-worker=\(tag1)\n"))
        #expect(stepOutputs.contains("image-digest-api=sha256:" + String(repeating: "b", count: 64) + "\n"))
        #expect(stepOutputs.contains("\noutputs={"))
        let summary = try readFile(ci + "/summary.md")
        #expect(summary.contains("### berth deploy: `fleet` to `dev`"))
        #expect(summary.contains("| `fleet-api-dev` | created |") && summary.contains("| `api` | `fleet/api:\(tag1)` |"))
        for stack in ["fleet-dev", "fleet-web-dev", "fleet-api-dev", "fleet-worker-dev"] {
            #expect(created.out.contains("\(stack): created"), "\(stack)")
        }
        // The shared stack goes first; the services only after it.
        let lines = created.out.split(separator: "\n").map(String.init)
        let sharedDone = try #require(lines.firstIndex(of: "fleet-dev: created"))
        #expect(lines.firstIndex(of: "== phase 2: fleet-api-dev").map { $0 > sharedDone } == true)
        // The same deploy again: nothing to send that is not there, so no change set at all.
        let mark0 = proxy.requests.count
        let same = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: credentials())
        #expect(same.status == 0, "\(same.err)")
        for stack in ["fleet-dev", "fleet-web-dev", "fleet-api-dev", "fleet-worker-dev"] { #expect(same.out.contains("\(stack): no changes")) }
        let sameCalls = proxy.requests.dropFirst(mark0)
        #expect(!sameCalls.contains { $0.text.contains("Action=CreateChangeSet") })
        // --force makes the change sets anyway.
        let mark1 = proxy.requests.count
        let forced = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1, "--force"], environment: credentials())
        #expect(forced.status == 0, "\(forced.err)")
        #expect(proxy.requests.dropFirst(mark1).filter { $0.text.contains("Action=CreateChangeSet") }.count == 4)

        // The stack's own completion closes the progress count.
        #expect(created.out.contains("fleet-api-dev  fleet-api-dev  AWS::CloudFormation::Stack  CREATE_COMPLETE  [10/10]"), "\(created.out)")
        let api = try #require(try await cloudFormation.describeStack("fleet-api-dev"))
        #expect(api.parameters["ImageTag"] == tag1)
        #expect(api.parameters["RepositoryName"] == "fleet/api")
        #expect(api.parameters["VpcId"]?.hasPrefix("vpc-") == true)
        #expect(api.parameters["ListenerArn"]?.contains(":listener/") == true)
        #expect(api.parameters["TaskSubnetIds"]?.split(separator: ",").count == 2)
        // The environment's Service Connect namespace and services group, from its shared stack.
        #expect(api.parameters["ServiceConnectNamespace"] == "fleet-dev")
        #expect(api.parameters["ServicesSecurityGroupId"]?.hasPrefix("sg-") == true)
        let worker = try #require(try await cloudFormation.describeStack("fleet-worker-dev"))
        #expect(worker.parameters["ListenerArn"] == nil)
        #expect(worker.tags["berth:service"] == "worker")

        // A new tag for the api alone: only its stack changes.
        let tag2 = "dev-20261201-110000-bbbbbbbb"
        try await push(moto, "api", tag2, digit: "d")
        let one = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1, "--image-tag", "api=\(tag2)"], environment: credentials())
        #expect(one.status == 0, "\(one.err)")
        #expect(one.out.contains("fleet-api-dev: updated"))
        // moto's change set lists no change for a new parameter value: say what does change.
        #expect(one.out.contains("fleet-api-dev: parameters only: ImageTag \(tag1) → \(tag2)"), "\(one.out)")
        for stack in ["fleet-dev", "fleet-web-dev", "fleet-worker-dev"] { #expect(one.out.contains("\(stack): no changes"), "\(stack)") }
        #expect(try await cloudFormation.describeStack("fleet-api-dev")?.parameters["ImageTag"] == tag2)
        #expect(try await cloudFormation.describeStack("fleet-web-dev")?.parameters["ImageTag"] == tag1)

        // The services' log events, newest last, with the service and task of each.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await MotoHelpers.putLogEvents(
            moto, region: Self.region, group: "/berth/fleet-dev-api", stream: "api/api/0123abcd4567",
            messages: [(now - 3000, "api started"), (now - 1000, "api answered GET /api/orders")])
        try await MotoHelpers.putLogEvents(
            moto, region: Self.region, group: "/berth/fleet-dev-worker", stream: "worker/worker/feedbeef0001",
            messages: [(now - 2000, "worker took order 42"), (now - 1500, "colour \u{1B}[31mred\rover\n::warning::next line")])
        let logs = await runBerth(["logs", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--since", "1h"], environment: credentials())
        #expect(logs.status == 0, "\(logs.err)")
        let logLines = logs.out.split(separator: "\n").map { $0.hasPrefix("    ") ? String($0) : String($0.dropFirst("2026-12-02 10:00:00  ".count)) }
        // A message's control characters are escaped, and its further lines indented: none
        // stands as another event, or as a CI runner's command.
        #expect(logLines == [
            "api  0123abcd4567  api started", "worker  feedbeef0001  worker took order 42",
            "worker  feedbeef0001  colour \\u{1B}[31mred\\u{D}over", "    | ::warning::next line",
            "api  0123abcd4567  api answered GET /api/orders",
        ], "\(logs.out)")
        // In GitHub Actions the runner takes no workflow command from the logs: they are printed
        // between ::stop-commands:: and the resume line, with a token of their own.
        var actionsLogs = credentials()
        actionsLogs["GITHUB_ACTIONS"] = "true"
        let paused = await runBerth(["logs", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--since", "1h"], environment: actionsLogs)
        let pausedLines = paused.out.split(separator: "\n").map(String.init)
        let token = try #require(pausedLines.first?.wholeMatch(of: /::stop-commands::(berth-[0-9a-f-]{36})/)?.output.1, "\(paused.out)")
        #expect(pausedLines.last == "::\(token)::" && pausedLines.count == 7, "\(paused.out)")
        // --follow keeps polling: an event written while it waits shows up. It is written once
        // the first poll has its answer.
        func readsLogs(_ request: TestHTTPServer.Request) -> Bool { request.headers["x-amz-target"] == "Logs_20140328.FilterLogEvents" }
        let polled = proxy.answered.filter(readsLogs).count
        let later = Task {
            try await waitUntil("the first poll of logs --follow") { proxy.answered.filter(readsLogs).count > polled }
            try await MotoHelpers.putLogEvents(
                moto, region: Self.region, group: "/berth/fleet-dev-api", stream: "api/api/0123abcd4567",
                messages: [(Int64(Date().timeIntervalSince1970 * 1000), "api still here")])
        }
        let followed = await runBerth(
            ["logs", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--service", "api", "--follow", "--timeout", "5s"],
            environment: credentials())
        try await later.value
        #expect(followed.status == 0, "\(followed.err)")
        #expect(followed.out.hasSuffix("api  0123abcd4567  api still here\n"), "\(followed.out)")
        #expect(!followed.out.contains("worker"))

        // Which version runs where: the api's new tag, the others' first one.
        let status = await runBerth(
            ["status", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--json"], environment: credentials())
        #expect(status.status == 0, "\(status.err)")
        let statusDocument = try JSONValue.parseJSON(status.out, file: "stdout")
        let services = statusDocument["services"]?.elements ?? []
        #expect(services.map { $0["service"] } == ["web", "api", "worker"])
        #expect(services.map { $0["deployedTag"] } == [.string(tag1), .string(tag2), .string(tag1)])
        // moto's ECS does not move a service to an updated task definition: the api still runs
        // the first image, which is what status must say (as during a rollout or after a rollback).
        #expect(services[1]["imageTag"] == .string(tag1))
        #expect(services[1]["notes"]?.elements?.contains(.string("the stack was deployed with \(tag2), but the service runs \(tag1)")) == true)
        #expect(services.allSatisfy { $0["stackStatus"]?.stringValue?.hasSuffix("_COMPLETE") == true })
        let text = await runBerth(["status", "--config", config, "--endpoint-url", proxy.url, "--service", "api"], environment: credentials())
        #expect(text.out.contains("dev api: fleet-api-dev UPDATE_COMPLETE"), "\(text.out)")
        #expect(text.out.contains("qa api: not deployed (fleet-api-qa)"))

        // --service and --stack select: nothing outside the selection is touched.
        let mark = proxy.requests.count
        let web = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--service", "web", "--image-tag", tag1], environment: credentials())
        #expect(web.status == 0, "\(web.err)")
        #expect(web.out.contains("fleet-web-dev: no changes") && web.out.contains("fleet-dev: no changes"))
        #expect(!web.out.contains("fleet-api-dev") && !web.out.contains("fleet-worker-dev"))
        #expect(!proxy.requests.dropFirst(mark).contains { $0.text.contains("StackName=fleet-api-dev") })
        let only = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--stack", "fleet-worker-dev", "--image-tag", "worker=\(tag1)"], environment: credentials())
        #expect(only.status == 0, "\(only.err)")
        #expect(only.out.contains("fleet-worker-dev: no changes"))
        #expect(!only.out.contains("fleet-dev:") && !only.out.contains("fleet-web-dev"))

        // Two environments at the same time: both complete, and every line names its stack.
        let qaTag = "qa-20261201-120000-cccccccc"
        for service in Self.services { try await push(moto, service, qaTag, digit: "e") }
        async let qa = runBerth(base + ["--phase", "ecs", "--env", "qa", "--image-tag", qaTag], environment: credentials())
        async let dev = runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1, "--concurrency", "1"], environment: credentials())
        let (qaResult, devResult) = await (qa, dev)
        #expect(qaResult.status == 0, "\(qaResult.err)")
        #expect(devResult.status == 0, "\(devResult.err)")
        for stack in ["fleet-qa", "fleet-web-qa", "fleet-api-qa", "fleet-worker-qa"] {
            #expect(qaResult.out.contains("\(stack): created"), "\(stack)")
            #expect(try await cloudFormation.describeStack(stack)?.status == .createComplete, "\(stack)")
        }
        for stack in ["fleet-dev", "fleet-web-dev", "fleet-api-dev", "fleet-worker-dev"] {
            #expect(devResult.out.contains("== phase 2: \(stack)"), "\(stack)")
        }
        let stackNames = ["fleet-qa", "fleet-web-qa", "fleet-api-qa", "fleet-worker-qa"]
        for line in qaResult.out.split(separator: "\n") where !line.hasPrefix("wrote ") && !line.hasPrefix("done: ") {
            #expect(stackNames.contains { line.contains($0) } || Self.services.contains { line.hasPrefix("\($0): ") } || line.hasPrefix("== image gate: "),
                    "a line that names no stack: \(line)")
        }
        #expect(!(qaResult.out + qaResult.err + created.out + created.err).contains("app-secret-never-printed"))

        // The preview environment goes: never without --yes when nothing can ask, never a
        // repository or an image.
        let destroy = ["destroy", "--config", config, "--endpoint-url", proxy.url, "--env", "qa"]
        let unconfirmed = await runBerth(destroy, environment: credentials())
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.err.contains("needs --yes when there is no terminal to ask on; nothing was deleted"))
        #expect(try await cloudFormation.describeStack("fleet-api-qa") != nil)
        let destroyed = await runBerth(destroy + ["--yes"], environment: credentials())
        for stack in ["fleet-web-qa", "fleet-api-qa", "fleet-worker-qa"] {
            #expect(destroyed.out.contains("== deleting \(stack)"), "\(stack)")
            #expect(try await cloudFormation.describeStack(stack) == nil, "\(stack)")
        }
        // Services before the shared stack they stand on. moto then refuses to delete a VPC that
        // has route-table associations (DependencyViolation, see research/moto-notes.md; real
        // CloudFormation deletes them first): the error says what was deleted before.
        let order = destroyed.out.split(separator: "\n").map(String.init)
        let sharedStarted = try #require(order.firstIndex(of: "== deleting fleet-qa"))
        #expect(order.prefix(sharedStarted).filter { $0.hasPrefix("== deleting fleet-") }.count == 3)
        #expect(destroyed.status == 1)
        #expect(destroyed.err.contains("DependencyViolation"), "\(destroyed.err)")
        #expect(destroyed.err.contains("deleted before the failure: fleet-web-qa, fleet-api-qa, fleet-worker-qa"), "\(destroyed.err)")
        #expect(try await cloudFormation.describeStack("fleet-api-dev") != nil)
        let left = try await ECRClient(configuration: setup).describeImages(repository: "fleet/api").collect()
        #expect(left.contains { $0.imageTags?.contains(qaTag) == true })
        let repositoriesAfter = try await ECRClient(configuration: setup).describeRepositories().collect().map(\.repositoryName)
        #expect(Set(repositoriesAfter).isSuperset(of: ["fleet/web", "fleet/api", "fleet/worker"]))
    }

    /// A new service on the shared load balancer leaves the others' listener rules as they are:
    /// moto's load balancer refuses a rule on a priority another rule holds (PriorityInUse), as
    /// ELB does, and a numbering that moved the existing rules made this deploy fail.
    @Test func aNewServiceOnTheSharedLoadBalancerLeavesTheOtherRulesAlone() async throws {
        let moto = try await MotoServer.open.endpoint()
        func file(admin: Bool) -> String {
            """
            app: lanes
            region: us-west-2
            network:
              vpc: new
              cidr: 10.52.0.0/16
            services:
              web:
                cpu: 256
                memory: 512
              api:
                cpu: 256
                memory: 512
                routing:
                  paths: [/api/*]
            \(admin ? "  admin:\n    cpu: 256\n    memory: 512\n    routing:\n      paths: [/admin/*]\n" : "")
            """
        }
        let config = try configuration(["dev.yaml": file(admin: false)])
        let base = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory()]
        let tag = "dev-20261206-100000-aaaaaaaa"
        func push(_ service: String, _ digit: Character) async throws {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "lanes/\(service)", tag: tag, digest: "sha256:" + String(repeating: digit, count: 64))
        }
        #expect(await runBerth(base + ["--phase", "ecr"], environment: credentials()).status == 0)
        try await push("web", "a")
        try await push("api", "b")
        let first = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(first.status == 0, "\(first.err)")

        try file(admin: true).write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        #expect(await runBerth(base + ["--phase", "ecr"], environment: credentials()).status == 0)
        try await push("admin", "c")
        let added = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
        #expect(added.status == 0, "\(added.out)\n\(added.err)")
        #expect(added.out.contains("lanes-admin-dev: created"), "\(added.out)")
        for stack in ["lanes-web-dev", "lanes-api-dev"] { #expect(added.out.contains("\(stack): no changes"), "\(added.out)") }
    }

    /// s1 and s30 hash to one number of their band (48261), which goes to s1, the first by name.
    /// Added after s30, s1 takes s30's number and s30 moves to the next: the deploy reads the
    /// listener's rules and deploys s30 before s1 (moto, as ELB, refuses a rule on a priority
    /// another holds: PriorityInUse). With s1 removed from the app again, s30 would go back to
    /// 48261, which s1's stack (a deploy leaves it) still holds: refused before anything changes.
    /// `destroy --removed-service s1` deletes that stack alone, and s30 goes back. With s1 a backend
    /// instead, its deploy removes its rule, and s30's deploys after it.
    @Test func rulePrioritiesAnotherStackHoldsAreFreedFirstOrRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        func file(_ services: [String], backends: Set<String> = []) -> String {
            var text = "app: lanes2\nregion: us-west-2\nnetwork:\n  vpc: new\n  cidr: 10.53.0.0/16\nservices:\n  web:\n    cpu: 256\n    memory: 512\n"
            for (service, path) in services.map({ ($0, $0 == "s1" ? "/a/*" : "/b/*") }) {
                text += "  \(service):\n    cpu: 256\n    memory: 512\n"
                    + (backends.contains(service) ? "    kind: backend\n" : "    routing:\n      paths: [\"\(path)\"]\n")
            }
            return text
        }
        let config = try configuration(["dev.yaml": file(["s30"])])
        let base = ["deploy", "--config", config, "--out", try temporaryDirectory()]
        let tag = "dev-20261206-100000-aaaaaaaa"
        var pushed: Set<String> = []
        // In front of moto, whose stacks settle at once: the shared stack answers as still
        // updating (a deploy stopped midway, or another one running) to its first `stalls` reads.
        let stalls = Mutex(0)
        let settling = try TestHTTPServer { request in
            let stalled = request.form["Action"] == "DescribeStacks" && request.form["StackName"] == "lanes2-dev"
                && stalls.withLock { count in
                    count -= 1
                    return count >= 0
                }
            guard stalled else { return .forward(port: moto.port ?? 0) }
            return .queryResult(
                "DescribeStacks",
                "<Stacks><member><StackName>lanes2-dev</StackName><StackId>arn:aws:cloudformation:\(Self.region):123456789012:stack/lanes2-dev/1</StackId>"
                    + "<StackStatus>UPDATE_IN_PROGRESS</StackStatus><CreationTime>2026-12-01T10:00:00Z</CreationTime>"
                    + TestHTTPServer.Reply.stackTags(["berth:app": "lanes2"]) + "</member></Stacks>")
        }
        func deploy(_ services: [String], backends: Set<String> = [], stalling: Int = 0) async throws -> (status: Int32, out: String, err: String) {
            try file(services, backends: backends).write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
            #expect(await runBerth(base + ["--endpoint-url", moto.origin, "--phase", "ecr"], environment: credentials()).status == 0)
            for (service, digit) in [("web", "a"), ("s1", "b"), ("s30", "c")] where (["web"] + services).contains(service) {
                guard pushed.insert(service).inserted else { continue }
                try await MotoHelpers.putImage(
                    moto, region: Self.region, repository: "lanes2/\(service)", tag: tag, digest: "sha256:" + String(repeating: digit, count: 64))
            }
            stalls.withLock { $0 = stalling }
            let endpoint = stalling > 0 ? settling.url : moto.origin
            let result = await runBerth(
                base + ["--endpoint-url", endpoint, "--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
            return (result.status, result.out, result.err)
        }
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let loadBalancing = ElasticLoadBalancingClient(configuration: setup)
        let cloudFormation = CloudFormationClient(configuration: setup)
        func priorities() async throws -> [String: Int] {
            let listener = try #require(try await cloudFormation.listStackResources(stackName: "lanes2-dev").collect()
                .first { $0.resourceType == "AWS::ElasticLoadBalancingV2::Listener" }?.physicalID)
            var byStack: [String: Int] = [:]
            let rules = try await loadBalancing.rules(listenerArn: listener)
            for stack in ["lanes2-web-dev", "lanes2-s1-dev", "lanes2-s30-dev"] {
                let rule = try? await cloudFormation.listStackResources(stackName: stack).collect().first { $0.logicalID == "ListenerRule" }?.physicalID
                if let rule, let priority = rules.first(where: { $0.arn == rule })?.priority { byStack[stack] = priority }
            }
            return byStack
        }

        let first = try await deploy(["s30"])
        #expect(first.status == 0, "\(first.err)")
        #expect(try await priorities() == ["lanes2-web-dev": 50_000, "lanes2-s30-dev": 48_261])

        // Begun while the shared stack still settles: the listener's rules are read once it has.
        let added = try await deploy(["s1", "s30"], stalling: 2)
        #expect(added.status == 0, "\(added.out)\n\(added.err)")
        #expect((added.out + added.err).contains("lanes2-dev is UPDATE_IN_PROGRESS; waiting for it to settle before reading its listener's rules"))
        #expect(stalls.withLock { $0 } < 0, "both stalled answers were read")
        #expect(try await priorities() == ["lanes2-web-dev": 50_000, "lanes2-s1-dev": 48_261, "lanes2-s30-dev": 48_262])
        let lines = added.out.split(separator: "\n").map(String.init)
        let moved = try #require(lines.firstIndex { $0.contains("lanes2-s30-dev: updated") }, "\(added.out)")
        let created = try #require(lines.firstIndex { $0.contains("lanes2-s1-dev: created") }, "\(added.out)")
        #expect(moved < created)

        let removed = try await deploy(["s30"])
        #expect(removed.status == 2)
        #expect(removed.err.contains(
            "lanes2-s30-dev's listener rule takes priority 48261, which the rule of lanes2-s1-dev holds: that stack is no longer one of the app's"
                + " (a service removed from the app keeps its stack); delete it, or give lanes2-s30-dev's service a number of its own"
                + " (routing.priority); berth destroy --env dev --removed-service s1 deletes it"),
            "\(removed.err)")
        #expect(try await priorities() == ["lanes2-web-dev": 50_000, "lanes2-s1-dev": 48_261, "lanes2-s30-dev": 48_262])

        // What the refusal says to do: delete the removed service's stack, and nothing else. A
        // service the file still has is refused, with nothing deleted.
        let destroy = ["destroy", "--config", config, "--endpoint-url", moto.origin, "--env", "dev", "--yes"]
        let current = await runBerth(destroy + ["--removed-service", "s1", "--removed-service", "s30"], environment: credentials())
        #expect(current.status == 2 && current.err.contains("s30 is a service of the environment's file"), "\(current.err)")
        #expect(try await cloudFormation.describeStack("lanes2-s1-dev") != nil)
        let destroyed = await runBerth(destroy + ["--removed-service", "s1", "--removed-service", "s7"], environment: credentials())
        #expect(destroyed.status == 0, "\(destroyed.err)")
        #expect(destroyed.out.contains("note: environment dev has no deployed stack of removed service s7"), "\(destroyed.out)")
        #expect(destroyed.out.contains("lanes2-s1-dev: deleted") && destroyed.out.contains("the rest of environment dev and the images stay"), "\(destroyed.out)")
        #expect(try await cloudFormation.describeStack("lanes2-s1-dev") == nil)
        for stack in ["lanes2-dev", "lanes2-web-dev", "lanes2-s30-dev"] { #expect(try await cloudFormation.describeStack(stack) != nil) }
        let again = await runBerth(destroy + ["--removed-service", "s1"], environment: credentials())
        #expect(again.status == 0 && again.out.contains("nothing to delete: environment dev has no deployed stack of removed service s1"), "\(again.out)")
        #expect(await runBerth(destroy + ["--removed-service", "Not A Name"], environment: credentials()).status == 2)
        let freed = try await deploy(["s30"])
        #expect(freed.status == 0, "\(freed.out)\n\(freed.err)")
        #expect(try await priorities() == ["lanes2-web-dev": 50_000, "lanes2-s30-dev": 48_261])
        #expect(try await deploy(["s1", "s30"]).status == 0)
        #expect(try await priorities() == ["lanes2-web-dev": 50_000, "lanes2-s1-dev": 48_261, "lanes2-s30-dev": 48_262])

        // s1 becomes a backend (no load balancer): its deploy removes its rule, and s30, which
        // deploys after its backends anyway, takes 48261 back.
        let leaving = try await deploy(["s1", "s30"], backends: ["s1"])
        #expect(leaving.status == 0, "\(leaving.out)\n\(leaving.err)")
        #expect(try await priorities() == ["lanes2-web-dev": 50_000, "lanes2-s30-dev": 48_261])
        let after = leaving.out.split(separator: "\n").map(String.init)
        let ruleRemoved = try #require(after.firstIndex { $0.contains("lanes2-s1-dev: updated") }, "\(leaving.out)")
        let ruleMoved = try #require(after.firstIndex { $0.contains("lanes2-s30-dev: updated") }, "\(leaving.out)")
        #expect(ruleRemoved < ruleMoved)
    }

    @Test func imageTagsMustNameServicesTheAppHas() async throws {
        let config = try configuration(["dev.yaml": Self.environmentFile(cidr: "10.52.0.0/16")])
        let base = ["deploy", "--config", config, "--endpoint-url", "http://127.0.0.1:1", "--phase", "ecs", "--env", "dev"]
        let unknown = await runBerth(base + ["--image-tag", "billing=dev-1"], environment: credentials())
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("--image-tag names service billing, which the app does not have; it has api, web, worker"))
        let missing = await runBerth(base + ["--image-tag", "web=dev-1", "--image-tag", "api=dev-1"], environment: credentials())
        #expect(missing.status == 2)
        #expect(missing.err.contains("no image tag for worker: pass --image-tag TAG for every service, or --image-tag worker=TAG"))
        let mutable = await runBerth(base + ["--image-tag", "api=latest", "--image-tag", "dev-1"], environment: credentials())
        #expect(mutable.status == 3)
        let unknownService = await runBerth(base + ["--service", "billing", "--image-tag", "dev-1"], environment: credentials())
        #expect(unknownService.status == 2)
        #expect(unknownService.err.contains("no service billing; the app has api, web, worker"))
        let badConcurrency = await runBerth(base + ["--image-tag", "dev-1", "--concurrency", "0"], environment: credentials())
        #expect(badConcurrency.status == 2)
    }
}
