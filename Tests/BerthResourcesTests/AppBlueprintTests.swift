import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct AppBlueprintTests {
    private func settings(_ kind: FargateService.Kind = .web, paths: [String] = [], priority: Int? = nil) -> FargateService.Settings {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: kind)
        settings.routing = .init(paths: paths, priority: priority)
        return settings
    }

    private func blueprint() -> AppBlueprint {
        var dev = EnvironmentSettings(name: "dev", region: "eu-west-1")
        dev.services = [Named("web", settings()), Named("api", settings(paths: ["/api/*"])), Named("worker", settings(.worker))]
        var prod = EnvironmentSettings(name: "prod", region: "eu-west-1")
        prod.keepImages = 30
        prod.services = [Named("web", settings()), Named("api", settings(paths: ["/api/*"]))]
        return AppBlueprint(name: "shop", environments: [dev, prod])
    }

    @Test func everyServiceGetsARepositoryStackAndAStackPerEnvironment() {
        let app = blueprint().build()
        #expect(app.validate().isEmpty)
        #expect(app.stacks.map(\.name) == [
            "shop-web-ecr", "shop-api-ecr", "shop-worker-ecr",
            "shop-dev", "shop-web-dev", "shop-api-dev", "shop-worker-dev",
            "shop-prod", "shop-web-prod", "shop-api-prod",
        ])
        #expect(app.serviceNames == ["web", "api", "worker"])
        let worker = app.stacks.first { $0.name == "shop-worker-ecr" }
        #expect(worker?.template.resource("Repository")?.properties["RepositoryName"] == "shop/worker")
        #expect(worker?.template.resource("Repository")?.deletionPolicy == .retain)
        // The worker runs only in dev: its repository keeps dev's images only.
        let rules = worker?.template.resource("Repository")?.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue ?? ""
        #expect(rules.contains("dev-") && !rules.contains("prod-"))
    }

    /// An ECR rule counts the images of a rule before it too (it only cannot expire them), so a
    /// prefix that starts another's, in a repository both serve, would let the longer one's
    /// pushes expire the image the shorter one runs: refused, whichever comes first. Prefixes
    /// that do not overlap, or overlap in no shared repository, are fine, and each rule counts
    /// one environment, in the files' order.
    @Test func aTagPrefixThatExtendsAnotherIsRefused() throws {
        var staging = EnvironmentSettings(name: "staging", region: "eu-west-1")
        staging.services = [Named("web", settings())]
        var template = EnvironmentSettings(name: "preview", region: "eu-west-1")
        template.previewPrefix = "staging-pr-"
        template.services = [Named("web", settings())]
        var dev = EnvironmentSettings(name: "dev", region: "eu-west-1")
        dev.services = [Named("web", settings())]
        let refused = AppBlueprint(name: "shop", environments: [dev, staging], templates: [template]).build().validate()
        #expect(refused.map(\.description) == [
            "template preview: template preview tags its images staging-pr-…, which start with environment staging's staging-: "
                + "ECR's rule for staging- would count them with its own and expire the image staging runs as they are pushed; "
                + "give one of them a name (or namePrefix) that does not start with the other's"
        ], "\(refused)")
        var prodEU = EnvironmentSettings(name: "prod-eu", region: "eu-west-1")
        prodEU.services = [Named("web", settings())]
        var prod = EnvironmentSettings(name: "prod", region: "eu-west-1")
        prod.services = [Named("web", settings())]
        #expect(AppBlueprint(name: "shop", environments: [prodEU, prod]).build().validate().map(\.location) == ["environment prod-eu"])
        // No repository in common: nothing counts the other's images.
        var admin = EnvironmentSettings(name: "prod-admin", region: "eu-west-1")
        admin.services = [Named("admin", settings())]
        #expect(AppBlueprint(name: "shop", environments: [prod, admin]).build().validate().isEmpty)

        template.previewPrefix = "pr-"
        let app = AppBlueprint(name: "shop", environments: [staging, dev], templates: [template]).build()
        #expect(app.validate().isEmpty)
        let text = try #require(
            app.stacks.first { $0.name == "shop-web-ecr" }?.template.resource("Repository")?.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?
                .stringValue)
        let rules = try JSONValue.parseJSON(text, file: "policy")["rules"]?.elements ?? []
        #expect(rules.map { $0["selection"]?["tagPrefixList"]?.elements?.first?.stringValue ?? "-" } == ["staging-", "dev-", "pr-", "-"])
        #expect(rules.map { $0["rulePriority"] } == [.int(1), .int(2), .int(3), .int(4)])
    }

    @Test func anEnvironmentAndATemplateWithOneTagPrefixAreRefused() {
        var pr = EnvironmentSettings(name: "pr", region: "eu-west-1")
        pr.services = [Named("web", settings())]
        var template = EnvironmentSettings(name: "preview", region: "eu-west-1")
        template.previewPrefix = "pr-"
        template.services = [Named("web", settings())]
        let problems = AppBlueprint(name: "shop", environments: [pr], templates: [template]).build().validate().map { "\($0.location): \($0.message)" }
        #expect(problems.contains {
            $0.hasPrefix("template preview: template preview tags its images pr-…, as environment pr does: the lifecycle policy would count them as one")
        }, "\(problems)")
    }

    @Test func aParameterFromAnOutputTheSharedStackDoesNotDeclareIsAProblem() {
        var declared = blueprint()
        for index in declared.environments.indices {
            declared.environments[index].services[1].value.autoscaling = .init(minCount: 1, maxCount: 2)
            declared.environments[index].services[1].value.autoscaling?.requestsPerTarget = 100
        }
        #expect(declared.build().validate().isEmpty)
        // A shared stack that lost the output (Swift code that changed the app after it was built).
        var app = declared.build()
        for index in app.stacks.indices where app.stacks[index].name == "shop-dev" {
            app.stacks[index].template.outputs.removeAll { $0.name == "LoadBalancerFullName" }
        }
        #expect(app.validate().map { "\($0.stack ?? ""): \($0.location): \($0.message)" } == [
            "shop-api-dev: parameters.LoadBalancerFullName: takes the output LoadBalancerFullName of shop-dev, which that stack does not declare"
        ])
    }

    /// A service laid out by hand whose parameters name a stack the app does not have: the
    /// deploy could fill them from nothing.
    @Test func aParameterFromAStackTheAppDoesNotHaveIsAProblem() {
        var app = App(name: "shop")
        var stack = Stack(name: "shop-web-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        FargateService(
            name: "web", qualifiedName: "shop-dev-web", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"), settings: settings(.worker),
            repositoryStack: "shop-web-ecr", repositoryName: "shop/web", sharedStack: "shop-dev", rulePriority: nil
        ).add(to: &stack)
        app.add(stack)
        let problems = app.validate().filter { $0.message.contains("which is no stack of the app") }
        #expect(Set(problems.compactMap { $0.message.split(separator: ",").first?.split(separator: " ").dropFirst(5).first }) == ["shop-web-ecr", "shop-dev"])
        #expect(problems.first?.message.hasSuffix("which is no stack of the app; its stacks are shop-web-dev") == true, "\(problems)")
    }

    /// Environment settings Swift code set are held to what the file reader holds them to:
    /// names and ARNs AWS would refuse at deploy are problems at synth, at their keys.
    @Test func environmentSettingsSetInSwiftAreCheckedAsTheFilesAre() {
        var dev = EnvironmentSettings(name: "dev", region: "mars-1")
        dev.services = [Named("web", settings())]
        dev.roleArn = "nope"
        dev.cloudFormationRoleArn = "arn:aws:iam::123456789012:user/x"
        dev.permissionsBoundary = ""
        dev.accessLogs = .init(bucket: "")
        var https = EnvironmentSettings.HTTPS(certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")
        https.sslPolicy = ""
        dev.https = https
        let problems = AppBlueprint(name: "shop", environments: [dev]).build().validate().filter { $0.stack == "shop-dev" }.map(\.location)
        #expect(problems == ["region", "roleArn", "cloudFormationRoleArn", "permissionsBoundary", "accessLogs.bucket", "https.sslPolicy"], "\(problems)")
        dev.region = "eu-west-1"
        (dev.roleArn, dev.cloudFormationRoleArn, dev.permissionsBoundary) = (nil, "arn:aws:iam::123456789012:role/cfn", "Boundary")
        dev.accessLogs = .init(bucket: "shop-alb-logs")
        dev.https = EnvironmentSettings.HTTPS(certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")
        #expect(AppBlueprint(name: "shop", environments: [dev]).build().validate().filter { $0.stack == "shop-dev" }.isEmpty)
        #expect(AppBlueprint(name: "", environments: [dev]).build().validate().contains { $0.stack == nil && $0.location == "app" })
    }

    /// What `configureService` sets is what the rest of the environment is made from: the
    /// shared stack (the output request scaling takes, the load balancer's egress to the port,
    /// the private subnets' endpoints), the listener rules and their clashes.
    @Test func whatConfigureServiceSetsReachesTheSharedStackAndTheRules() throws {
        var scaled = blueprint()
        scaled.configureService("api") { service, _ in
            service.settings.autoscaling = .init(minCount: 1, maxCount: 2)
            service.settings.autoscaling?.requestsPerTarget = 100
            service.settings.containerPort = 9090
        }
        let app = scaled.build()
        #expect(app.validate().isEmpty)
        let shared = try #require(app.stacks.first { $0.name == "shop-dev" })
        // The load balancer may send to the port the code set (its egress rule says which).
        #expect(shared.template.templateValue.jsonText().contains("to the services' tasks on port 9090"))

        // A worker made a web service in Swift takes the rule that takes every request: web has it
        // already, and the clash is said.
        var clashing = blueprint()
        clashing.configureService("worker") { service, _ in service.settings.kind = .web }
        #expect(clashing.build().validate().contains { $0.stack == "shop-worker-dev" && $0.location == "routing" }, "\(clashing.build().validate())")

        // Secrets set in Swift, behind private subnets: the Secrets Manager endpoint is made.
        var secret = blueprint()
        for index in secret.environments.indices { secret.environments[index].network = .newVPC(cidr: "10.0.0.0/16", privateSubnets: true) }
        secret.configureService("api") { service, environment in
            service.settings.secrets["TOKEN"] = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:\(environment.name)-token-AbCdEf"
        }
        let endpoints = try #require(secret.build().stacks.first { $0.name == "shop-dev" }).template.resources.map(\.name)
        #expect(endpoints.contains { $0.hasPrefix("SecretsManager") }, "\(endpoints)")
    }

    /// A web service added alone (`FargateService(…).add(to:)`, no blueprint) takes the rule
    /// priority its routing gives: `routing.priority` when set, else derived. It took 1, before
    /// every other rule, even for the rule that takes every request.
    @Test func aServiceAddedAloneTakesThePriorityItsRoutingGives() {
        func priority(_ routing: FargateService.Routing) -> JSONValue? {
            var service = settings()
            service.routing = routing
            var stack = Stack(name: "shop-web-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
            FargateService(
                name: "web", qualifiedName: "shop-dev-web", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"), settings: service,
                repositoryStack: "shop-web-ecr", repositoryName: "shop/web", sharedStack: "shop-dev", rulePriority: nil
            ).add(to: &stack)
            return stack.template.resource("ListenerRule")?.properties["Priority"]
        }
        #expect(priority(.init()) == .int(ListenerRulePriorities.catchAllPriority))
        #expect(priority(.init(paths: ["/api/*"], priority: 42)) == 42)
        let derived = ListenerRulePriorities.assign([Named("web", FargateService.Routing(paths: ["/api/*"]))]).priorities["web"]
        #expect(priority(.init(paths: ["/api/*"])) == derived.map(JSONValue.int))
    }

    @Test func aServiceDeploysAfterTheServiceConnectServersItIsTakenToCall() {
        var dev = EnvironmentSettings(name: "dev", region: "eu-west-1")
        dev.services = [
            Named("worker", settings(.worker)), Named("web", settings()), Named("api", settings(.backend)),
            Named("search", settings(.backend)),
        ]
        var prod = EnvironmentSettings(name: "prod", region: "eu-west-1")
        prod.services = [Named("web", settings())]
        let app = AppBlueprint(name: "shop", environments: [dev, prod]).build()
        #expect(app.validate().isEmpty)
        let after = Dictionary(app.stacks.map { ($0.name, $0.deployAfter) }, uniquingKeysWith: { first, _ in first })
        // Backends call each other (a cycle): none waits for another.
        #expect(after["shop-api-dev"] == [])
        #expect(after["shop-search-dev"] == [])
        #expect(after["shop-web-dev"] == ["shop-api-dev", "shop-search-dev"])
        #expect(after["shop-worker-dev"] == ["shop-web-dev", "shop-api-dev", "shop-search-dev"])
        // Only the servers of the service's own environment.
        #expect(after["shop-web-prod"] == [])
        #expect(after["shop-dev"] == [])
    }

    @Test func theSharedStackHoldsTheNamespaceThatEveryServiceTakes() throws {
        let app = blueprint().build()
        let shared = try #require(app.stacks.first { $0.name == "shop-dev" })
        #expect(shared.template.resource("ServiceConnectNamespace")?.properties["Name"] == "shop-dev")
        for name in ["shop-web-dev", "shop-api-dev", "shop-worker-dev"] {
            let stack = try #require(app.stacks.first { $0.name == name })
            #expect(stack.parameterSources.contains { $0.value == .stackOutput(stack: "shop-dev", output: "ServiceConnectNamespace") })
            #expect(stack.parameterSources.contains { $0.value == .stackOutput(stack: "shop-dev", output: "ServicesSecurityGroupId") })
        }
    }

    @Test func aSelectedEnvironmentBuildsOnlyItsPhaseTwoStacksAndEveryRepository() {
        var selected = blueprint()
        selected.selectedEnvironment = "prod"
        let app = selected.build()
        let whole = blueprint().build()
        #expect(app.stacks.map(\.name) == ["shop-web-ecr", "shop-api-ecr", "shop-worker-ecr", "shop-prod", "shop-web-prod", "shop-api-prod"])
        // The repositories still count every environment's images, as the whole app's do.
        for index in 0..<3 {
            #expect(app.stacks[index].template.templateValue == whole.stacks[index].template.templateValue)
        }
        #expect(app.allStacks == whole.allStacks)
        #expect(whole.outline == nil)
    }

    @Test func prioritiesFollowSpecificityAndTheCatchAllComesLast() {
        let services: [Named<FargateService.Routing>] = [
            Named("web", .init()), Named("api", .init(paths: ["/api/*"])), Named("v2", .init(paths: ["/api/v2/*"])),
            Named("admin", .init(hosts: ["admin.example.com"])), Named("pinned", .init(paths: ["/p/*"], priority: 20)),
        ]
        let (priorities, problems) = ListenerRulePriorities.assign(services)
        #expect(problems.isEmpty)
        // Bands of 190 by specificity (hosts; then the path before its wildcard, longest first),
        // the number within the band by the name's FNV-1a among the 171 that are not multiples
        // of ten (computed apart: admin 24,456, v2 47,424, api 48,053).
        #expect(priorities == ["admin": 24_456, "pinned": 20, "v2": 47_424, "api": 48_053, "web": 50_000])
        // Never a multiple of ten, the numbers the sequential scheme before gave.
        #expect(priorities.filter { !["pinned", "web"].contains($0.key) }.values.allSatisfy { $0 % 10 != 0 })
    }

    @Test func addingOrRemovingAServiceRenumbersNoOtherRule() {
        // ELB refuses two rules of a listener with one priority: a rule moved onto another's
        // number fails the deploy (PriorityInUse), so no service's number depends on the others.
        let base: [Named<FargateService.Routing>] = [
            Named("web", .init()), Named("api", .init(paths: ["/api/*"])), Named("search", .init(paths: ["/search/*"])),
        ]
        let before = ListenerRulePriorities.assign(base).priorities
        let added = ListenerRulePriorities.assign(base + [
            Named("admin", .init(paths: ["/admin/*"])), Named("docs", .init(paths: ["/d/*"])), Named("host", .init(hosts: ["a.example.com"])),
        ]).priorities
        let removed = ListenerRulePriorities.assign(Array(base.dropFirst())).priorities
        for (name, priority) in before {
            #expect(added[name] == priority, "\(name)")
            if name != "web" { #expect(removed[name] == priority, "\(name)") }
        }
        // More specific still comes first.
        #expect(added["host"]! < added["admin"]! && added["admin"]! < added["api"]! && added["api"]! < added["docs"]! && added["docs"]! < added["web"]!)
    }

    /// Two names that hash to one number (s1 and s30: the band's first, computed apart): the
    /// name that sorts first keeps it, the other takes the band's next free number; a number
    /// set by hand is never taken. Fifty services of one band all get numbers of their own.
    @Test func twoNamesOnOneNumberArePartedInNameOrder() {
        let (priorities, problems) = ListenerRulePriorities.assign([
            Named("s30", .init(paths: ["/b/*"])), Named("s1", .init(paths: ["/a/*"])),
        ])
        #expect(problems.isEmpty)
        #expect(priorities == ["s1": 48_261, "s30": 48_262])
        let pinned = ListenerRulePriorities.assign([Named("s1", .init(paths: ["/a/*"])), Named("b", .init(paths: ["/x/*"], priority: 48_261))])
        #expect(pinned.problems.isEmpty)
        #expect(pinned.priorities == ["s1": 48_262, "b": 48_261])
        let many = ListenerRulePriorities.assign((10..<60).map { Named("svc\($0)", .init(paths: ["/svc\($0)/*"])) })
        #expect(many.problems.isEmpty)
        #expect(Set(many.priorities.values).count == 50)
        #expect(many.priorities.values.allSatisfy { $0 % 10 != 0 && (47_501...47_690).contains($0) })
        // A band holds 171 rules: the 172nd is asked for a number of its own.
        let full = ListenerRulePriorities.assign((100..<272).map { Named("s\($0)", .init(paths: ["/s\($0)/*"])) })
        #expect(full.problems.count == 1)
        #expect(full.problems.first?.message.hasPrefix("no priority is left in its rule's band") == true)
    }

    /// A number set by hand may put a rule before a more specific one that it takes every request
    /// of, or a catch-all before the derived rules: refused at the key set by hand.
    @Test func aPrioritySetByHandThatHidesAnotherRuleIsRefused() {
        let hiding = ListenerRulePriorities.assign([Named("api", .init(paths: ["/api/*"], priority: 15)), Named("v2", .init(paths: ["/api/v2/*"]))])
        #expect(hiding.problems.map { "\($0.service) \($0.location): \($0.message)" } == [
            "api routing.priority: api's rule (15) comes before v2's (47424) and takes every request of it, so v2's would never be reached; "
                + "give the more specific rule the lower priority (routing.priority)"
        ])
        // Both derived: a broad rule with one long path too is banded by that path, before v2.
        let broad = ListenerRulePriorities.assign([
            Named("api", .init(paths: ["/api/*", "/internal/metrics/health/*"])), Named("v2", .init(paths: ["/api/v2/*"])),
        ])
        #expect(broad.problems.map { "\($0.service) \($0.location)" } == ["api routing"])
        // Rules that do not overlap may come in any order.
        #expect(ListenerRulePriorities.assign([Named("api", .init(paths: ["/api/*"], priority: 15)), Named("v2", .init(paths: ["/v2/*"]))]).problems.isEmpty)
        let catchAll = ListenerRulePriorities.assign([Named("web", .init(priority: 900)), Named("api", .init(paths: ["/api/*"]))])
        #expect(catchAll.problems.map { "\($0.service) \($0.location)" } == ["web routing.priority"])
        #expect(catchAll.problems.first?.message.hasPrefix("900 puts this rule, which takes every request, before the priorities Berth derives for the others' (up to 48053)") == true)
    }

    @Test func clashingRoutingIsReportedOnTheServiceThatClashes() {
        let (_, problems) = ListenerRulePriorities.assign([
            Named("web", .init(priority: 30_000)), Named("site", .init(paths: ["/*"])),
            Named("a", .init(paths: ["/x/*"], priority: 5)), Named("b", .init(paths: ["/x/*"], priority: 5)),
            Named("late", .init(paths: ["/late/*"], priority: 40_000)),
        ])
        #expect(problems.map { "\($0.service) \($0.location)" } == [
            "b routing.priority", "site routing", "b routing", "late routing.priority",
        ])
        #expect(problems[0].message == "5 is also the priority of a's rule; each rule needs its own")
        #expect(problems[1].message == "takes every request, as web does; give one of them routing.paths or routing.hosts")
    }

    /// A rule takes every request when one of its paths is `*` alone after its `/` and it has no
    /// host, or one of its hosts is `*` alone: it is the catch-all, which a second one clashes
    /// with, not a rule that would sit before the catch-all and take its requests.
    @Test func everyPatternThatMatchesEveryRequestIsACatchAll() {
        for routing: FargateService.Routing in [
            .init(paths: ["/**"]), .init(paths: ["*"]), .init(paths: ["/*", "/x"]), .init(hosts: ["*"]), .init(hosts: ["**"]),
            .init(paths: ["/*"], hosts: ["*", "api.example.com"]),
        ] {
            #expect(routing.isCatchAll, "\(routing)")
            let (priorities, problems) = ListenerRulePriorities.assign([Named("web", .init()), Named("api", routing)])
            #expect(problems.map { "\($0.service) \($0.location): \($0.message)" } == [
                "api routing: takes every request, as web does; give one of them routing.paths or routing.hosts"
            ], "\(routing)")
            #expect(priorities["api"] == ListenerRulePriorities.catchAllPriority)
        }
        for routing: FargateService.Routing in [.init(paths: ["/"]), .init(paths: ["/api*"]), .init(hosts: ["*.example.com"]), .init(paths: ["/*"], hosts: ["a.example.com"])] {
            #expect(!routing.isCatchAll, "\(routing)")
        }
        // A path that ends in several wildcards covers what it starts with, as one does.
        let hiding = ListenerRulePriorities.assign([Named("api", .init(paths: ["/api/**"], priority: 15)), Named("v2", .init(paths: ["/api/v2/*"]))])
        #expect(hiding.problems.map { "\($0.service) \($0.location)" } == ["api routing.priority"])
        // A host of * alone is any host: its rule is banded as one without hosts, and covers.
        let anyHost = ListenerRulePriorities.assign([Named("api", .init(paths: ["/api/*"], hosts: ["*"])), Named("v2", .init(paths: ["/api/v2/*"]))])
        #expect(anyHost.problems.isEmpty, "\(anyHost.problems)")
        #expect((anyHost.priorities["api"] ?? 0) > (anyHost.priorities["v2"] ?? 0))
        let anyHostFirst = ListenerRulePriorities.assign([Named("api", .init(paths: ["/api/*"], hosts: ["*"], priority: 15)), Named("v2", .init(paths: ["/api/v2/*"]))])
        #expect(anyHostFirst.problems.map { "\($0.service) \($0.location)" } == ["api routing.priority"])
    }

    @Test func routingProblemsLandInTheServiceStack() {
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        environment.services = [Named("web", settings()), Named("site", settings())]
        let problems = AppBlueprint(name: "shop", environments: [environment]).build().validate()
        #expect(problems.map(\.description) == [
            "shop-site-dev: routing: takes every request, as web does; give one of them routing.paths or routing.hosts"
        ])
    }

    @Test func customizationsReachTheirServicesAndNamesAreChecked() throws {
        var blueprint = blueprint()
        blueprint.configureService("api") { service, environment in
            service.taskRoleStatements.append(.allow(["s3:GetObject"], on: ["arn:aws:s3:::\(environment.name)-assets/*"]))
        }
        blueprint.extendServiceStack { stack, handles, _ in
            stack.override(handles.taskDefinition.logicalID, "ContainerDefinitions.0.StopTimeout", with: 60)
        }
        blueprint.configureService("billing") { _, _ in }
        let app = blueprint.build()
        let api = try #require(app.stacks.first { $0.name == "shop-api-prod" })
        let statement = api.template.resource("TaskRole")?.properties["Policies"]?.elements?.first?["PolicyDocument"]?["Statement"]
        #expect(statement?.elements?.first?["Resource"] == "arn:aws:s3:::prod-assets/*")
        #expect(app.stacks.first { $0.name == "shop-web-prod" }?.template.resource("TaskRole")?.properties["Policies"] == nil)
        for stack in app.stacks where stack.phase == .ecs && stack.service != nil {
            let container = stack.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
            #expect(container?["StopTimeout"] == 60, "\(stack.name)")
        }
        #expect(app.validate().map(\.description) == [
            "app definition: customizes service billing, which no environment defines; the services are web, api, worker "
                + "(a service renamed in the files but not in the Swift code, or this app's binary run on another app's files)"
        ])
    }
}
