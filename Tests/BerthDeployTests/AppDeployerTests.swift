import BerthModel
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// The app deployer against a scripted CloudFormation that keeps every stack in progress for a
/// poll: order, how many at once, parameters from outputs, and what a failure leaves.
@Suite struct AppDeployerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    /// Clients that talk to `server`: one attempt per call, or, with `retrySleep`, three with
    /// `retrySleep` between them.
    private func clients(_ server: TestHTTPServer, retrySleep: (@Sendable (Duration) async throws -> Void)? = nil) throws -> AppDeployer.Clients {
        let endpoint = Endpoint(scheme: "http", host: "127.0.0.1", port: server.port)
        let configuration = AWSConfiguration(
            region: "eu-west-1", endpoints: EndpointResolver(region: "eu-west-1", override: endpoint, environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(maxAttempts: retrySleep == nil ? 1 : 3), sleep: retrySleep ?? { _ in })
        return AppDeployer.Clients(
            cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration),
            kms: KMSClient(configuration: configuration))
    }

    /// A deployer against `fake`, unless `answer` answers a request first.
    private func deployer(
        _ fake: FakeStacks, concurrency: Int, lines: Lines, answer: @escaping @Sendable (TestHTTPServer.Request) -> TestHTTPServer.Reply? = { _ in nil }
    ) throws -> (AppDeployer, TestHTTPServer) {
        let server = try TestHTTPServer { answer($0) ?? fake.handle($0) }
        let clients = try clients(server)
        let deployer = AppDeployer(
            clients: { _ in clients },
            reporter: DeployReporter(message: { lines.add($0) }, plannedChanges: { _, _ in }, event: { _, _, _ in }),
            progress: .init(
                stackStarted: { lines.add("started \($0.name)") }, stackFinished: { lines.add("finished \($0.name) \($1)") },
                gateStarted: { service, _ in lines.add("gate \(service)") }, gatePassed: { service, _ in lines.add("passed \(service)") },
                stackFailed: { stack, _ in lines.add("failed \(stack.name)") }),
            concurrency: concurrency, buildMetadata: [.commitSha: "0123abcd"])
        return (deployer, server)
    }

    @Test func servicesWaitForTheirSharedStackAndRunSideBySideWithinTheLimit() async throws {
        let fake = FakeStacks(outputs: ["app-dev": ["VpcId": "vpc-1"], "app-web-ecr": ["RepositoryName": "app/web"]])
        let lines = Lines()
        let (deployer, server) = try deployer(fake, concurrency: 2, lines: lines)
        defer { server.stop() }
        // Tagged as Berth tags its stacks: each is read for its owner first, and again as it deploys.
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        let outcome = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
        #expect(outcome.results.count == 5)
        #expect(outcome.images["api"]?.tag.value == "dev-1")
        let events = fake.events
        let sharedEnd = try #require(events.firstIndex(of: "end app-dev"))
        for service in ["app-web-dev", "app-api-dev"] {
            #expect(try #require(events.firstIndex(of: "start \(service)")) > sharedEnd, "\(events)")
        }
        // The repositories deploy before the gate, the gate before any phase-2 stack.
        let all = lines.all
        #expect(try #require(all.lastIndex(of: "finished app-api-ecr created")) < (all.firstIndex(of: "gate web") ?? 0))
        #expect(try #require(all.lastIndex(of: "passed api")) < (all.firstIndex(of: "started app-dev") ?? 0))
        #expect(fake.mostAtOnce == 2)
        let parameters = try #require(fake.parameters(of: "app-web-dev"))
        #expect(parameters == ["RepositoryName": "app/web", "ImageTag": "dev-1", "VpcId": "vpc-1", "CommitSha": "0123abcd"])
        // The api's repository stack reports no outputs: the gate's answer fills the name.
        #expect(fake.parameters(of: "app-api-dev")?["RepositoryName"] == "app/api")
    }

    /// Another environment's tag deploys, with a warning (an annotation in GitHub Actions):
    /// that environment's lifecycle rule counts the image, and may expire it while this one runs
    /// it. A tag no rule counts (`v1`) gets none.
    @Test func anotherEnvironmentsTagIsDeployedWithAWarning() async throws {
        let fake = FakeStacks(outputs: ["app-dev": ["VpcId": "vpc-1"], "app-web-ecr": ["RepositoryName": "app/web"]])
        let lines = Lines()
        let (deployer, server) = try deployer(fake, concurrency: 2, lines: lines)
        defer { server.stop() }
        let policy = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},"#
            + #"{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["prod-"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#
        let stacks = samplePlan(app: "app").stacks.map { stack in
            var stack = stack
            if stack.phase == .ecr, let service = stack.service { stack.heldRepository = .init(name: "app/\(service)", lifecyclePolicyText: policy) }
            return stack
        }
        let plan = try DeployPlan(stacks: stacks).selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        _ = try await deployer.deploy(plan, images: try ImageSelection(["web=prod-7", "api=v1"], allowMutable: false))
        let warnings = lines.all.filter { $0.hasPrefix("warning: ") }
        #expect(warnings == [
            "warning: web: prod-7 is counted by the lifecycle rule of prod-… images, not by the rule that counts dev's own tags: that rule counts it with those images, "
                + "and their pushes may expire it while dev runs it; deploy one of dev's own tags (dev-…)"
        ])
    }

    /// An environment whose name extends another's (`dev-eu` beside `dev`) has a rule of its own
    /// first: `dev-…` deployed to dev-eu is another environment's tag, and `dev-eu-…` is not.
    @Test func aTagOfAShorterPrefixIsAnotherEnvironmentsToo() async throws {
        let policy = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-eu-"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},"#
            + #"{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#
        let stacks = samplePlan(environments: ["dev-eu"], app: "app").stacks.map { stack in
            var stack = stack
            if stack.phase == .ecr, let service = stack.service { stack.heldRepository = .init(name: "app/\(service)", lifecyclePolicyText: policy) }
            return stack
        }
        let plan = DeployPlan(stacks: stacks)
        let service = try #require(plan.stacks.first { $0.name == "app-web-dev-eu" })
        func result(_ tag: String) throws -> ImageGate.Result {
            ImageGate.Result(
                repositoryName: "app/web", repositoryURI: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app/web", tag: try ImageTag(tag),
                digest: "sha256:" + String(repeating: "a", count: 64), pushedAt: nil, tagCanMove: false, matchingFilter: nil)
        }
        #expect(
            AppDeployer.foreignTagWarning(service, try result("dev-20261206-100000-0123abcd"), in: plan)
                == .foreignTag(service: "web", tag: "dev-20261206-100000-0123abcd", countedWith: "dev-", environment: "dev-eu"))
        #expect(AppDeployer.foreignTagWarning(service, try result("dev-eu-20261206-100000-0123abcd"), in: plan) == nil)
        #expect(AppDeployer.foreignTagWarning(service, try result("v1.2.3"), in: plan) == nil)
    }

    @Test func aRepositoryStackThatIsNotDeployedRefusesEveryServiceBeforeAnyChange() async throws {
        let fake = FakeStacks(outputs: ["app-prod": ["VpcId": "vpc-2"]])
        let (deployer, server) = try deployer(fake, concurrency: 4, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan().selecting(.init(phases: [.ecs], environment: "prod"))
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["prod-1"], allowMutable: false))
            Issue.record("expected a refusal")
        } catch let refusal as ImageGateRefusal {
            #expect(refusal.refusals.map(\.service) == ["web", "api"])
            #expect(refusal.refusals.first?.reason == .repositoryNotReady(stack: "app-web-ecr", status: nil))
        }
        #expect(fake.events.isEmpty)
    }

    /// Stacks another deploy just updated, still removing what the update replaced
    /// (`UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`), have final outputs: the services that need them
    /// deploy, instead of being refused as if their dependencies were not ready.
    @Test func dependenciesCleaningUpAfterAnUpdateAreUsed() async throws {
        let fake = FakeStacks(
            outputs: ["app-prod": ["VpcId": "vpc-2"], "app-web-ecr": ["RepositoryName": "app/web"], "app-api-ecr": ["RepositoryName": "app/api"]],
            existing: ["app-prod", "app-web-ecr", "app-api-ecr"], owners: ["app-prod": "app", "app-web-ecr": "app", "app-api-ecr": "app"],
            existingStatus: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        let (deployer, server) = try deployer(fake, concurrency: 4, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "prod", stacks: ["app-web-prod", "app-api-prod"]))
        let outcome = try await deployer.deploy(plan, images: try ImageSelection(["prod-1"], allowMutable: false))
        #expect(outcome.results == ["app-web-prod": .created, "app-api-prod": .created])
        #expect(fake.parameters(of: "app-web-prod")?["VpcId"] == "vpc-2")
    }

    /// A rollback checks the digest each tag names, then deploys: a tag pushed again in between
    /// is refused by the gate, before any stack changes, instead of deployed.
    @Test func aTagThatNamesAnotherDigestThanTheOneCheckedIsRefusedBeforeAnyChange() async throws {
        let fake = FakeStacks(
            outputs: ["app-dev": ["VpcId": "vpc-1"], "app-web-ecr": ["RepositoryName": "app/web"], "app-api-ecr": ["RepositoryName": "app/api"]],
            existing: ["app-web-ecr", "app-api-ecr"], owners: ["app-web-ecr": "app", "app-api-ecr": "app"])
        let (deployer, server) = try deployer(fake, concurrency: 2, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev"))
        let (checked, now) = ("sha256:" + String(repeating: "e", count: 64), "sha256:" + String(repeating: "f", count: 64))
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: true).requiring(digests: ["api": checked]))
            Issue.record("expected a refusal")
        } catch let refusal as ImageGateRefusal {
            #expect(refusal.refusals.map(\.service) == ["api"])
            #expect(refusal.refusals.first?.reason == .tagMovedSinceChecked(repository: "app/api", tag: "dev-1", checked: checked, now: now))
        }
        #expect(fake.events.isEmpty)
        let outcome = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: true).requiring(digests: ["api": now, "web": now]))
        #expect(outcome.images["api"]?.digest == now)
    }

    @Test func stacksThatAreNotTheAppsRefuseTheWholeDeployBeforeAnyChange() async throws {
        let fake = FakeStacks(existing: ["app-dev", "app-web-dev", "app-api-dev"], owners: ["app-web-dev": "app-web", "app-api-dev": "app"])
        let (deployer, server) = try deployer(fake, concurrency: 2, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
            Issue.record("expected a refusal")
        } catch let error as DeployError {
            guard case .foreignStacks(let stacks, let app) = error else { throw error }
            #expect(stacks == [ForeignStack(stack: "app-dev", owner: nil), ForeignStack(stack: "app-web-dev", owner: "app-web")])
            #expect(app == "app")
            #expect(
                error.description == "app-dev has no berth:app tag; app-web-dev belongs to app app-web (its berth:app tag): they are not app app's, "
                    + "and Berth works only with app app's stacks; nothing was changed in them. Two apps make the same stack name when one app's "
                    + "name and a service or environment name spell the other's (app shop's service admin and app shop-admin both make "
                    + "shop-admin-dev): rename a service, an environment or app app. A stack made by hand or by another tool needs another "
                    + "name (or deleting, if nothing uses it), or rename the service or environment")
        }
        // Not even the repositories, which come first, got a change set.
        #expect(fake.events.isEmpty)
        #expect(fake.parameters(of: "app-web-ecr") == nil)
    }

    /// A stack that cannot be read for its owner (here, as IAM answers a role without
    /// cloudformation:DescribeStacks on it) stops the deploy before any change, naming every
    /// stack as left as it was; the exit status stays the AWS error's.
    @Test func aStackThatCannotBeReadForItsOwnerStopsTheDeployBeforeAnyChange() async throws {
        let fake = FakeStacks(existing: ["app-web-ecr"], owners: ["app-web-ecr": "app"])
        let denial = #"<ErrorResponse><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:DescribeStacks on resource: arn:aws:cloudformation:us-east-1:123456789012:stack/app-dev/*</Message></Error></ErrorResponse>"#
        let (deployer, server) = try deployer(fake, concurrency: 2, lines: Lines()) { request in
            request.form["Action"] == "DescribeStacks" && request.form["StackName"] == "app-dev" ? .respond(status: 403, body: denial) : nil
        }
        defer { server.stop() }
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
            Issue.record("expected the denial")
        } catch let error as AppDeployError {
            #expect(error.stack == "app-dev")
            #expect((error.cause as? AWSServiceError)?.code == "AccessDenied")
            #expect(error.notStarted == plan.stacks.map(\.name))
            #expect(error.completed.isEmpty)
        }
        #expect(fake.events.isEmpty)
        #expect(fake.parameters(of: "app-web-ecr") == nil)
    }

    /// A job runs before the services only when one would change: when reading whether they
    /// would fails, the error names that service's stack and says what was already deployed
    /// (the shared and job stacks), as any later failure does.
    @Test func aFailureToPreviewTheServicesSaysWhatWasAlreadyDeployed() async throws {
        var stacks = samplePlan(environments: ["dev"], app: "app").stacks
        stacks.append(
            PlannedStack(
                name: "app-migrate-dev", phase: .ecs, environment: "dev", service: "migrate", region: "eu-west-1", templateBody: "{}",
                resourceCount: 1, parameters: [], template: [:], imageRepository: nil,
                jobPolicy: JobPolicy(runOnDeploy: .beforeServices, timeoutMinutes: 5),
                tags: StackTags.tags(app: "app", phase: .ecs, environment: "dev", service: "migrate"), capabilities: [], terminationProtection: false))
        let plan = try DeployPlan(stacks: stacks).selecting(.init(phases: [.ecs], environment: "dev"))
        let fake = FakeStacks(
            outputs: ["app-web-ecr": ["RepositoryName": "app/web"], "app-api-ecr": ["RepositoryName": "app/api"], "app-dev": ["VpcId": "vpc-1"]],
            existing: ["app-web-ecr", "app-api-ecr", "app-web-dev", "app-api-dev"],
            owners: ["app-web-ecr": "app", "app-api-ecr": "app", "app-web-dev": "app", "app-api-dev": "app"])
        let denial = #"<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized to perform: cloudformation:GetTemplate</Message></Error></ErrorResponse>"#
        let (deployer, server) = try deployer(fake, concurrency: 1, lines: Lines()) { request in
            request.form["Action"] == "GetTemplate" ? .respond(status: 403, body: denial) : nil
        }
        defer { server.stop() }
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
            Issue.record("expected the denial")
        } catch let error as AppDeployError {
            #expect(error.stack == "app-web-dev")
            #expect((error.cause as? AWSServiceError)?.code == "AccessDenied", "\(error.cause)")
            #expect(Set(error.completed) == ["app-dev", "app-migrate-dev"])
            #expect(error.notStarted == ["app-api-dev"])
        }
    }

    /// An interrupt or the deadline that lands while the ownership read waits to retry stays a
    /// cancellation (exit 130 or 4 in the CLI), not a failure of that stack.
    @Test func aCancellationDuringTheOwnershipReadStaysACancellation() async throws {
        let fake = FakeStacks()
        let throttled = #"<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"#
        let server = try TestHTTPServer { request in
            request.form["Action"] == "DescribeStacks" ? .respond(status: 400, body: throttled) : fake.handle(request)
        }
        defer { server.stop() }
        let clients = try clients(server, retrySleep: { _ in throw CancellationError() })
        let deployer = AppDeployer(
            clients: { _ in clients }, reporter: DeployReporter(message: { _ in }, plannedChanges: { _, _ in }, event: { _, _, _ in }),
            progress: .init(stackStarted: { _ in }, stackFinished: { _, _ in }, gateStarted: { _, _ in }, gatePassed: { _, _ in }))
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecr], environment: nil))
        await #expect(throws: CancellationError.self) {
            _ = try await deployer.deploy(plan, images: try ImageSelection([], allowMutable: false))
        }
        #expect(fake.events.isEmpty)
    }

    @Test func aStackWhoseOutputsADeployTakesIsCheckedEvenWhenNotSelected() async throws {
        let fake = FakeStacks(existing: ["app-web-ecr", "app-dev"], owners: ["app-web-ecr": "app", "app-dev": "ap"])
        let (deployer, server) = try deployer(fake, concurrency: 4, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev", stacks: ["app-web-dev"]))
        #expect(plan.stacks.map(\.name) == ["app-web-dev"])
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
            Issue.record("expected a refusal")
        } catch DeployError.foreignStacks(let stacks, _) {
            #expect(stacks == [ForeignStack(stack: "app-dev", owner: "ap")])
        }
        #expect(fake.parameters(of: "app-web-dev") == nil)
    }

    @Test func aStackTheDeployOnlyTakesOutputsFromIsReadOnce() async throws {
        let fake = FakeStacks(
            outputs: ["app-web-ecr": ["RepositoryName": "app/web"], "app-api-ecr": ["RepositoryName": "app/api"], "app-dev": ["VpcId": "vpc-1"]],
            existing: ["app-web-ecr", "app-api-ecr"], owners: ["app-web-ecr": "app", "app-api-ecr": "app"])
        let (deployer, server) = try deployer(fake, concurrency: 4, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev"))
        _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
        // Read by the ownership check, and that answer serves the gate and the outputs.
        #expect(fake.descriptions["app-web-ecr"] == 1 && fake.descriptions["app-api-ecr"] == 1, "\(fake.descriptions)")
        #expect(fake.parameters(of: "app-web-dev")?["RepositoryName"] == "app/web")
    }

    @Test func concurrencyOneDeploysOneStackAtATime() async throws {
        let fake = FakeStacks(outputs: ["app-dev": ["VpcId": "vpc-1"]])
        let (deployer, server) = try deployer(fake, concurrency: 1, lines: Lines())
        defer { server.stop() }
        let plan = try samplePlan().selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
        #expect(fake.mostAtOnce == 1)
        #expect(fake.events.count == 10)
    }

    @Test func aFailedSharedStackStartsNoService() async throws {
        let fake = FakeStacks(failing: ["app-dev"])
        let lines = Lines()
        let (deployer, server) = try deployer(fake, concurrency: 4, lines: lines)
        defer { server.stop() }
        let plan = try samplePlan().selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        do {
            _ = try await deployer.deploy(plan, images: try ImageSelection(["dev-1"], allowMutable: false))
            Issue.record("expected the deploy to fail")
        } catch let error as AppDeployError {
            #expect(error.stack == "app-dev")
            #expect(error.completed == ["app-web-ecr", "app-api-ecr"])
            #expect(error.notStarted == ["app-web-dev", "app-api-dev"])
            #expect(error.otherStacks == [
                "deployed before the failure: app-web-ecr, app-api-ecr", "not started, left as they were: app-web-dev, app-api-dev",
            ])
            guard case DeployError.stackFailed(let stack, let status, _, _) = error.cause else {
                Issue.record("unexpected cause \(error.cause)")
                return
            }
            #expect(stack == "app-dev" && status == "ROLLBACK_COMPLETE")
        }
        #expect(!fake.events.contains("start app-web-dev") && !fake.events.contains("start app-api-dev"))
        // Its progress says so: what a timeout meanwhile names as failed, with why.
        #expect(lines.all.filter { $0.hasPrefix("failed ") } == ["failed app-dev"], "\(lines.all)")
    }

    /// The dev stacks of `samplePlan`, with web following api (a Service Connect server it calls).
    private func webAfterAPI(_ phases: Set<Phase>) throws -> DeployPlan {
        var stacks = samplePlan(environments: ["dev"]).stacks
        let web = try #require(stacks.firstIndex { $0.name == "app-web-dev" })
        stacks[web].deployAfter = ["app-api-dev"]
        return try DeployPlan(stacks: stacks).selecting(.init(phases: phases, environment: "dev"))
    }

    @Test func aServiceStartsOnceTheServersItFollowsAreDeployedAndIsDeletedBeforeThem() async throws {
        let fake = FakeStacks(
            outputs: ["app-dev": ["VpcId": "vpc-1"], "app-web-ecr": ["RepositoryName": "app/web"], "app-api-ecr": ["RepositoryName": "app/api"]])
        let lines = Lines()
        let (deployer, server) = try deployer(fake, concurrency: 4, lines: lines)
        defer { server.stop() }
        _ = try await deployer.deploy(try webAfterAPI([.ecr, .ecs]), images: try ImageSelection(["dev-1"], allowMutable: false))
        let events = fake.events
        #expect(try #require(events.firstIndex(of: "end app-api-dev")) < (events.firstIndex(of: "start app-web-dev") ?? -1), "\(events)")

        let doomed = FakeStacks(existing: ["app-dev", "app-web-dev", "app-api-dev"])
        let doomedServer = try TestHTTPServer { doomed.handle($0) }
        defer { doomedServer.stop() }
        let doomedClients = try clients(doomedServer)
        let destroyer = AppDestroyer(
            clients: { _ in doomedClients },
            reporter: DeployReporter(message: { lines.add($0) }, plannedChanges: { _, _ in }, event: { _, _, _ in }), started: { _ in })
        _ = try await destroyer.destroy(try await destroyer.existing(try webAfterAPI([.ecs])))
        let deletions = doomed.events
        #expect(try #require(deletions.firstIndex(of: "end app-web-dev")) < (deletions.firstIndex(of: "start app-api-dev") ?? -1), "\(deletions)")
    }

    @Test func aDestroyDeletesServicesBeforeTheirSharedStack() async throws {
        let fake = FakeStacks(existing: ["app-dev", "app-web-dev", "app-api-dev"])
        let lines = Lines()
        let server = try TestHTTPServer { fake.handle($0) }
        defer { server.stop() }
        let clients = try clients(server)
        let destroyer = AppDestroyer(
            clients: { _ in clients }, reporter: DeployReporter(message: { lines.add($0) }, plannedChanges: { _, _ in }, event: { _, _, _ in }),
            started: { lines.add("deleting \($0.name)") })
        let plan = try samplePlan().selecting(.init(phases: [.ecs], environment: "dev"))
        let existing = try await destroyer.existing(plan)
        #expect(existing.map(\.name) == ["app-dev", "app-web-dev", "app-api-dev"])
        let results = try await destroyer.destroy(existing)
        #expect(results == ["app-dev": .deleted, "app-web-dev": .deleted, "app-api-dev": .deleted])
        let events = fake.events
        let sharedStart = try #require(events.firstIndex(of: "start app-dev"))
        #expect(try #require(events.firstIndex(of: "end app-web-dev")) < sharedStart)
        #expect(try #require(events.firstIndex(of: "end app-api-dev")) < sharedStart)
        #expect(fake.mostAtOnce == 2)
        // Phase-1 stacks are never among what a destroy deletes.
        let withRepositories = try samplePlan().selecting(.init(phases: [.ecr, .ecs], environment: "dev"))
        await #expect(throws: AppDestroyer.Refusal.self) { try await destroyer.existing(withRepositories) }
    }
}
