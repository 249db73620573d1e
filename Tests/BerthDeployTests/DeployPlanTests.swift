import BerthModel
import BerthTemplate
import Testing

@testable import BerthDeploy

/// A small app as the deployer sees it: two repositories, per environment a shared stack and
/// two service stacks that take its outputs. With `app`, each stack has the tags Berth gives it.
func samplePlan(environments: [String] = ["dev", "prod"], app: String? = nil) -> DeployPlan {
    func stack(_ name: String, _ phase: Phase, environment: String? = nil, service: String? = nil,
               parameters: [Named<ParameterSource>] = [], repository: String? = nil) -> PlannedStack {
        PlannedStack(
            name: name, phase: phase, environment: environment, service: service, region: "eu-west-1", templateBody: "{}",
            resourceCount: 1, parameters: parameters, template: [:], imageRepository: repository,
            tags: app.map { StackTags.tags(app: $0, phase: phase, environment: environment, service: service) } ?? [],
            capabilities: [], terminationProtection: phase == .ecr)
    }
    var stacks = [stack("app-web-ecr", .ecr, service: "web"), stack("app-api-ecr", .ecr, service: "api")]
    for environment in environments {
        stacks.append(stack("app-\(environment)", .ecs, environment: environment))
        for service in ["web", "api"] {
            stacks.append(
                stack(
                    "app-\(service)-\(environment)", .ecs, environment: environment, service: service,
                    parameters: [
                        Named("RepositoryName", .stackOutput(stack: "app-\(service)-ecr", output: "RepositoryName")),
                        Named("ImageTag", .imageGate(.tag)),
                        Named("VpcId", .stackOutput(stack: "app-\(environment)", output: "VpcId")),
                        Named("CommitSha", .buildMetadata(.commitSha)),
                    ],
                    repository: "app/\(service)"))
        }
    }
    return DeployPlan(stacks: stacks)
}

@Suite struct DeployPlanTests {
    @Test func wavesPutSharedStacksAndRepositoriesBeforeServices() {
        #expect(samplePlan().waves == [
            ["app-web-ecr", "app-api-ecr", "app-dev", "app-prod"], ["app-web-dev", "app-api-dev", "app-web-prod", "app-api-prod"],
        ])
    }

    @Test func aServiceDeploysAfterTheStacksItFollowsWithinTheSelectionOnly() throws {
        var stacks = samplePlan(environments: ["dev"]).stacks
        // web follows api (a server it calls), without taking any of its outputs.
        if let web = stacks.firstIndex(where: { $0.name == "app-web-dev" }) { stacks[web].deployAfter = ["app-api-dev"] }
        let plan = DeployPlan(stacks: stacks)
        #expect(plan.waves == [["app-web-ecr", "app-api-ecr", "app-dev"], ["app-api-dev"], ["app-web-dev"]])
        #expect(plan.app["app-web-dev"]?.ordering == ["app-web-ecr", "app-dev", "app-api-dev"])
        #expect(plan.app["app-web-dev"]?.dependencies == ["app-web-ecr", "app-dev"])
        // Following is not depending: selecting web alone does not bring api in.
        let web = try plan.selecting(.init(phases: [.ecs], environment: "dev", services: ["web"]))
        #expect(web.stacks.map(\.name) == ["app-dev", "app-web-dev"])
        #expect(web.waves == [["app-dev"], ["app-web-dev"]])
    }

    @Test func anEnvironmentsPhaseTwoIsItsSharedStackAndServices() throws {
        let plan = try samplePlan().selecting(.init(phases: [.ecs], environment: "dev"))
        #expect(plan.stacks.map(\.name) == ["app-dev", "app-web-dev", "app-api-dev"])
        #expect(plan.imageServices == ["web", "api"])
        // A dependency outside the selection is not waited for: its outputs are read.
        let services = try samplePlan().selecting(.init(phases: [.ecs], environment: "dev", stacks: ["app-api-dev"]))
        #expect(services.waves == [["app-api-dev"]])
    }

    /// A deploy of some services moves every job on their images with them (a job takes its
    /// service's tag), and runs the environment's jobs that run on every deploy; a job on the
    /// image of a service left out is refused, whether it runs before the services, after
    /// them, or only on its schedule, and whether it came with the selection or was named.
    @Test func aServiceSelectionTakesTheJobsOnItsImagesAndRefusesOnesOnAnImageLeftOut() throws {
        func job(_ name: String, imageOf service: String, runOnDeploy: JobPolicy.RunOnDeploy?) -> PlannedStack {
            PlannedStack(
                name: "app-\(name)-dev", phase: .ecs, environment: "dev", service: name, region: "eu-west-1", templateBody: "{}", resourceCount: 1,
                parameters: [Named("ImageTag", .imageGate(.tag))], template: [:], imageRepository: "app/\(service)", borrowedImageOf: service,
                jobPolicy: JobPolicy(runOnDeploy: runOnDeploy, timeoutMinutes: 10), tags: [], capabilities: [], terminationProtection: false)
        }
        let stacks = samplePlan(environments: ["dev"]).stacks + [
            job("sweep", imageOf: "api", runOnDeploy: nil), job("smoke", imageOf: "web", runOnDeploy: .afterServices),
        ]
        let plan = DeployPlan(stacks: stacks)
        func deploying(_ services: [String]) throws(PlanError) -> [String] {
            try plan.selecting(.init(phases: [.ecs], environment: "dev", services: services, includesDeployJobs: true)).stacks.map(\.name)
        }
        #expect(try deploying(["web", "api"]) == ["app-dev", "app-web-dev", "app-api-dev", "app-sweep-dev", "app-smoke-dev"])
        #expect(try deploying(["web"]) == ["app-dev", "app-web-dev", "app-smoke-dev"])
        #expect(throws: PlanError.self) { try deploying(["api"]) }
        do {
            _ = try deploying(["api"])
        } catch {
            #expect(error.imageServiceLeftOut?.job == "smoke" && error.imageServiceLeftOut?.runOnDeploy == .afterServices)
            #expect(error.description.contains("web would keep its image while smoke ran the new one's code; select web too, or select the stacks"))
        }
        // A job named alone, on an image whose service is left out: its stack would hold a tag
        // its service does not run, for its next scheduled run.
        do {
            _ = try plan.selecting(.init(phases: [.ecs], environment: "dev", services: ["sweep", "web"], includesDeployJobs: true))
            Issue.record("sweep without api was taken")
        } catch {
            #expect(error.imageServiceLeftOut?.job == "sweep" && error.imageServiceLeftOut?.runOnDeploy == nil)
            #expect(error.description == "the services selected deploy sweep, which runs api's image: api would keep its image while sweep ran the new one's code; select api too")
        }
        // A job of its own image, alone: no service changes, so no deploy job comes with it (and
        // none is refused for the image it runs).
        let own = PlannedStack(
            name: "app-report-dev", phase: .ecs, environment: "dev", service: "report", region: "eu-west-1", templateBody: "{}", resourceCount: 1,
            parameters: [Named("ImageTag", .imageGate(.tag))], template: [:], imageRepository: "app/report",
            jobPolicy: JobPolicy(runOnDeploy: nil, timeoutMinutes: 10), tags: [], capabilities: [], terminationProtection: false)
        let withReport = DeployPlan(stacks: stacks + [own])
        #expect(
            try withReport.selecting(.init(phases: [.ecs], environment: "dev", services: ["report"], includesDeployJobs: true)).stacks.map(\.name)
                == ["app-report-dev"])
        // A service changed in one environment runs that environment's deploy jobs only: with
        // web in prod alone, dev's migration (before the services, on api's image) does not come
        // with dev's report job, and is not refused for api's image.
        var reportProd = own
        reportProd.name = "app-report-prod"
        reportProd.environment = "prod"
        let twoEnvironments = DeployPlan(
            stacks: samplePlan(environments: ["dev", "prod"]).stacks.filter { $0.name != "app-web-dev" } + [
                own, reportProd, job("migrate", imageOf: "api", runOnDeploy: .beforeServices),
            ])
        let across = try twoEnvironments.selecting(.init(phases: [.ecs], environment: nil, services: ["web", "report"], includesDeployJobs: true))
        #expect(across.stacks.map(\.name).sorted() == ["app-prod", "app-report-dev", "app-report-prod", "app-web-prod"])
        // Without the deploy's jobs (what status selects), nothing is added or refused.
        #expect(try plan.selecting(.init(phases: [.ecs], environment: "dev", services: ["api"])).stacks.map(\.name) == ["app-dev", "app-api-dev"])
    }

    @Test func aServiceSelectionKeepsItsRepositoryAndSharedStack() throws {
        let plan = try samplePlan().selecting(.init(phases: [.ecr, .ecs], environment: "prod", services: ["api"]))
        #expect(plan.stacks.map(\.name) == ["app-api-ecr", "app-prod", "app-api-prod"])
    }

    @Test func unknownNamesListWhatThereIs() {
        #expect(throws: PlanError("no environment qa; the app has dev, prod")) {
            try samplePlan().selecting(.init(phases: [.ecs], environment: "qa"))
        }
        #expect(throws: PlanError("no service billing; the app has api, web")) {
            try samplePlan().selecting(.init(phases: [.ecs], environment: "dev", services: ["billing"]))
        }
        #expect(throws: PlanError.self) {
            try samplePlan().selecting(.init(phases: [.ecs], environment: "dev", stacks: ["app-web-prod"]))
        }
    }

    @Test func imageTagsAreOnePerServiceOrOneForAll() throws {
        let plan = try samplePlan().selecting(.init(phases: [.ecs], environment: "dev"))
        let images = try ImageSelection(["dev-1", "api=dev-2"], allowMutable: false)
        try images.check(against: plan)
        #expect(images.tag(for: "web")?.value == "dev-1")
        #expect(images.tag(for: "api")?.value == "dev-2")
        #expect(throws: ImageSelectionError.twoTagsForEveryService("dev-1", "dev-2")) { try ImageSelection(["dev-1", "dev-2"], allowMutable: false) }
        #expect(throws: ImageSelectionError.serviceNamedTwice("api")) { try ImageSelection(["api=dev-1", "api=dev-2"], allowMutable: false) }
        // The same tag given twice is one tag (a script that repeats a flag).
        #expect(try ImageSelection(["dev-1", "dev-1", "api=dev-2", "api=dev-2"], allowMutable: false).tag(for: "api")?.value == "dev-2")
        // Text that is no tag says what it looks like instead.
        for (argument, found) in [
            ("web=pr-51/abc", ImageSelectionError.notATag(argument: "pr-51/abc", .other)),
            ("web=", .notATag(argument: "web=", .empty(service: "web"))),
            ("=dev-1", .notATag(argument: "=dev-1", .noService)),
            ("web=dev-1,api=dev-1", .notATag(argument: "web=dev-1,api=dev-1", .several)),
            ("api:dev-1", .notATag(argument: "api:dev-1", .colon(service: "api", tag: "dev-1"))),
            ("shop/api:dev-1", .notATag(argument: "shop/api:dev-1", .other)),
            ("sha256:" + String(repeating: "a", count: 64), .notATag(argument: "sha256:" + String(repeating: "a", count: 64), .digest)),
        ] {
            #expect(throws: found) { try ImageSelection([argument], allowMutable: false) }
        }
        #expect(throws: ImageGateError.mutableTag("latest")) { try ImageSelection(["web=latest"], allowMutable: false) }
        #expect(throws: ImageSelectionError.missingTags(["api"])) {
            try ImageSelection(["web=dev-1"], allowMutable: false).check(against: plan)
        }
        try ImageSelection(["web=dev-1"], allowMutable: false).check(against: plan, requiringEveryService: false)
    }
}
