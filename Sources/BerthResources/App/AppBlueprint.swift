import BerthModel
import BerthTemplate

/// An app of named services as its environment files describe it, and how it becomes stacks.
///
/// `build()` makes:
/// - phase 1: one stack per service, `<app>-<service>-ecr`, holding its repository
///   `<app>/<service>` (or the one its `repository` names) with a lifecycle policy that keeps
///   each environment's newest images and the `mutableTags` exceptions (a job that runs another
///   service's image has none);
/// - phase 2, per environment: the shared stack `<app>-<env>` (network, cluster, Service Connect
///   namespace, shared load balancer) and one stack per service or job, `<app>-<service>-<env>`,
///   which deploys after the Service Connect servers it is taken to call (`calls(_:_:)`).
///
/// Swift code adds what the files do not say: `configureService` changes a service before it
/// is added (sidecars, task-role statements, settings), `extendServiceStack` changes its stack
/// afterwards with handles to what the service added (overrides, extra resources and outputs).
public struct AppBlueprint {
    /// The app's name: the first part of every stack and repository name.
    public var name: String
    /// The environments, in the order they deploy and print.
    public var environments: [EnvironmentSettings]
    /// Templates of preview environments: they make no stacks, but their services have
    /// repositories and their lifecycle rules count every preview's images.
    public var templates: [EnvironmentSettings] = []
    /// The one environment whose phase-2 stacks `build()` makes, when a command needs only
    /// those (`synth --env`); `nil` for every environment. The phase-1 stacks are always made,
    /// from every environment's lifecycle settings; the app's `outline` lists every stack.
    public var selectedEnvironment: String?
    /// Signatures required of the images of every environment (and template) whose file does not
    /// say its own: the app's Swift code requires them once for all.
    public var signatures: SignatureRequirement?

    private var configurations: [(service: String?, body: (inout FargateService, EnvironmentSettings) -> Void)] = []
    private var extensions: [(service: String?, body: (inout Stack, FargateService.Handles, EnvironmentSettings) -> Void)] = []

    /// The app `name` of `environments`, and of the preview `templates` (`Configuration.blueprint()`
    /// makes it from the environment files).
    public init(name: String, environments: [EnvironmentSettings], templates: [EnvironmentSettings] = []) {
        self.name = name
        self.environments = environments
        self.templates = templates
    }

    /// Changes the service called `service` (every service when `nil`) in every environment,
    /// before it adds its resources: add sidecars or task-role statements, tune settings.
    public mutating func configureService(
        _ service: String? = nil, _ body: @escaping (inout FargateService, EnvironmentSettings) -> Void
    ) {
        configurations.append((service, body))
    }

    /// Changes the stack of the service called `service` (every service when `nil`) in every
    /// environment, after the service added its resources.
    public mutating func extendServiceStack(
        _ service: String? = nil, _ body: @escaping (inout Stack, FargateService.Handles, EnvironmentSettings) -> Void
    ) {
        extensions.append((service, body))
    }

    /// The services of every environment and template, in the order they first appear.
    public var serviceNames: [String] {
        var seen: Set<String> = []
        return (environments + templates).flatMap { $0.services.map(\.name) }.filter { seen.insert($0).inserted }
    }

    /// `<app>-<service>-ecr`: the phase-1 stack of a service's repository.
    public func repositoryStackName(_ service: String) -> String { StackName.repository(service, app: name) }
    /// The last part of every repository stack's name, which no environment may take as its name:
    /// its service stacks (`<app>-<service>-<environment>`) would take the repository stacks' names.
    public static let repositoryStackSuffix = StackName.repositorySuffix
    /// The service's image repository: the one its settings' `repository` names, `<app>/<service>`
    /// otherwise.
    public func repositoryName(_ service: String) -> String {
        (environments + templates).lazy.compactMap { $0.service(service)?.repository }.first ?? "\(name)/\(service)"
    }
    /// `<app>-<env>`: the environment's shared stack.
    public func sharedStackName(_ environment: String) -> String { StackName.shared(app: name, environment: environment) }
    /// `<app>-<service>-<env>`: a service's stack in an environment.
    public func serviceStackName(_ service: String, environment: String) -> String { StackName.service(service, app: name, environment: environment) }

    /// The service whose image `service` runs in `environment`: another service's for a job
    /// with `image: {service: …}`, its own otherwise.
    func imageService(of service: Named<FargateService.Settings>) -> String {
        service.value.kind == .job ? service.value.job.imageOf ?? service.name : service.name
    }

    /// The services that have a repository of their own: all but the jobs that run another
    /// service's image.
    public var servicesWithRepositories: [String] {
        let borrowing = Set(
            (environments + templates).flatMap(\.services).filter { imageService(of: $0) != $0.name }.map(\.name))
        return serviceNames.filter { !borrowing.contains($0) }
    }

    /// Whether a service of kind `client` is taken to call the Service Connect servers of kind
    /// `server`, and so deploys after them. Which server a service calls is said nowhere, so Berth
    /// assumes: web services and workers call backends, workers also call web services, and
    /// backends call each other (a cycle, so backends deploy at the same time). Stacks deploy
    /// backends first, then web services, then workers.
    static func calls(_ client: FargateService.Kind, _ server: FargateService.Kind) -> Bool {
        switch (client, server) {
        case (.web, .backend), (.worker, .backend), (.worker, .web): true
        default: false
        }
    }

    /// The services of `environment` as its files describe them, each changed by the
    /// `configureService` bodies that name it (or every service), in the files' order. A job the
    /// code points at another service's image runs from that service's repository.
    private func configuredServices(of environment: EnvironmentSettings) -> [FargateService] {
        environment.services.map { entry in
            let image = imageService(of: entry)
            var service = FargateService(
                name: entry.name, qualifiedName: "\(name)-\(environment.name)-\(entry.name)", environment: environment,
                settings: entry.value, repositoryStack: repositoryStackName(image), repositoryName: repositoryName(image),
                sharedStack: sharedStackName(environment.name), rulePriority: nil)
            for configuration in configurations where configuration.service == nil || configuration.service == entry.name {
                configuration.body(&service, environment)
            }
            let configuredImage = imageService(of: Named(entry.name, service.settings))
            if configuredImage != image, service.repositoryStack == repositoryStackName(image) {
                service.repositoryStack = repositoryStackName(configuredImage)
                service.repositoryName = repositoryName(configuredImage)
            }
            return service
        }
    }

    /// Every stack of the app, with every problem found on the way recorded in it.
    public func build() -> App {
        if let signatures {
            var required = self
            required.signatures = nil
            required.environments = environments.map { environment in
                var environment = environment
                if environment.signatures == nil { environment.signatures = signatures }
                return environment
            }
            required.templates = templates.map { template in
                var template = template
                if template.signatures == nil { template.signatures = signatures }
                return template
            }
            return required.build()
        }
        var app = App(name: name)
        var outline: [StackOutline] = []
        for service in servicesWithRepositories {
            // Each environment counts its own images; previews are counted by their template.
            let serving = (environments.filter { $0.template == nil } + templates).filter { $0.service(service) != nil }
            var stack = Stack(
                name: repositoryStackName(service), phase: .ecr, region: serving.first?.repositoryRegion ?? "",
                description: "\(name) \(service): image repository (phase 1, managed by Berth)")
            stack.service = service
            var lifecycle = LifecyclePolicy()
            // No prefix extends another's (`sharedTagPrefixes`): each rule counts one environment's images.
            for environment in serving { lifecycle.keepMostRecent(environment.keepImages, tagPrefix: environment.tagPrefix) }
            // No rule counts Cosign's signatures (images tagged sha256-<hex>.sig), so none
            // expires: their tags say nothing of the environment, and any one count of them
            // would let a busy environment's pushes expire the signatures of a slower one's
            // images, which its deploys and rollbacks then refuse as unsigned.
            let signed = serving.contains { $0.signatures != nil }
            lifecycle.expireUntagged(afterDays: 1)
            var repository = ImageRepository(name: repositoryName(service), lifecyclePolicy: lifecycle)
            repository.kmsKeyArn = serving.first?.repositoryKMSKeyArn
            repository.mutableTags = serving.first?.service(service)?.mutableTags ?? []
            let repositoriesAccount = serving.first?.repositories?.account
            repository.pullAccounts = serving.compactMap(\.stacksAccount).filter { $0 != repositoriesAccount }
            repository.partition = ImageRepository.partition(ofRegion: stack.region)
            if signed && !repository.mutableTags.contains(SignatureRequirement.signatureTagFilter) {
                // Re-signing rewrites the signature's tag, which an immutable repository refuses.
                repository.mutableTags.append(SignatureRequirement.signatureTagFilter)
            }
            repository.add(to: &stack)
            outline.append(StackOutline(stack))
            app.add(stack)
        }
        if name.isEmpty {
            app.problems.append(ValidationProblem(location: "app", message: "the app has no name, the first part of every stack's and repository's name"))
        }
        app.problems += repositoryProblems()
        app.problems += Self.sharedTagPrefixes(environments.filter { $0.template == nil } + templates)
        for environment in environments {
            if let selectedEnvironment, environment.name != selectedEnvironment {
                outline.append(
                    StackOutline(name: sharedStackName(environment.name), phase: .ecs, environment: environment.name, service: nil))
                for entry in environment.services {
                    let image = imageService(of: entry)
                    outline.append(
                        StackOutline(
                            name: serviceStackName(entry.name, environment: environment.name), phase: .ecs,
                            environment: environment.name, service: entry.name, kind: entry.value.kind,
                            imageService: image == entry.name ? nil : image))
                }
                continue
            }
            // configureService first: what it sets is what the shared stack (ports, endpoints), the
            // listener rules, the order and the checks below see.
            let configured = configuredServices(of: environment)
            var environment = environment
            environment.services = configured.map { Named($0.name, $0.settings) }
            var shared = Stack(
                name: sharedStackName(environment.name), phase: .ecs, environment: environment.name, region: environment.region,
                description: "\(name) in \(environment.name): network, cluster and load balancer its services share (phase 2, managed by Berth)")
            shared.cloudFormationRoleArn = environment.cloudFormationRoleArn
            SharedEnvironment(environment: environment, qualifiedName: "\(name)-\(environment.name)").add(to: &shared)
            if let boundary = environment.permissionsBoundary { shared.applyPermissionsBoundary(boundary) }
            outline.append(StackOutline(shared))
            app.add(shared)
            let routed = environment.services.filter { $0.value.usesSharedLoadBalancer }.map { Named($0.name, $0.value.routing) }
            let rules = ListenerRulePriorities.assign(routed)
            // Each service's name and kind, and the jobs that run before the services, once: the
            // order below filters them per service, and filtering the settings themselves would
            // copy every service's settings once per service.
            let kinds = environment.services.map { (name: $0.name, kind: $0.value.kind) }
            let jobsBefore = environment.services.filter { $0.value.kind == .job && $0.value.job.runOnDeploy == .beforeServices }.map(\.name)
            for (entry, configuredService) in zip(environment.services, configured) {
                var stack = Stack(
                    name: serviceStackName(entry.name, environment: environment.name), phase: .ecs, environment: environment.name,
                    region: environment.region,
                    description: "\(name) \(entry.name) in \(environment.name): Fargate \(entry.value.kind == .job ? "job" : entry.value.kind.rawValue + " service") (phase 2, managed by Berth)")
                stack.cloudFormationRoleArn = environment.cloudFormationRoleArn
                let image = imageService(of: entry)
                // Services deploy after the jobs that run before them (a migration runs in between),
                // and after the Service Connect servers they are taken to call. The other jobs
                // (scheduled ones, after-services ones) deploy after the services: a scheduled job
                // on a service's image never runs the new image before the migration has, and
                // its stack's failure never stops a service once the migration ran.
                let followed: [String]
                if entry.value.kind != .job {
                    followed = jobsBefore + kinds.filter { Self.calls(entry.value.kind, $0.kind) }.map(\.name)
                } else if entry.value.job.runOnDeploy != .beforeServices {
                    followed = kinds.filter { $0.kind != .job }.map(\.name)
                } else {
                    followed = []
                }
                stack.deployAfter = followed.map { serviceStackName($0, environment: environment.name) }
                var service = configuredService
                if service.rulePriority == nil { service.rulePriority = rules.priorities[entry.name] }
                let handles = service.add(to: &stack)
                stack.signatures = environment.signatures
                // As phase 1 grants pull (`ImageRepository.pullAccounts`).
                stack.pullAccount = environment.stacksAccount.flatMap { $0 == environment.repositories?.account ? nil : $0 }
                for problem in rules.problems where problem.service == entry.name {
                    stack.report(problem.location, problem.message)
                }
                if entry.value.kind == .backend, entry.name == "localhost" {
                    // Its Service Connect name would be every task's own address.
                    stack.report(
                        "kind",
                        "a backend named localhost is reached at http://localhost:<containerPort>, and every task of the environment "
                            + "would send its own localhost there; rename the service")
                }
                if entry.value.kind == .job, entry.value.job.imageOf == entry.name {
                    stack.report(
                        "image.service",
                        "names the job itself: a job runs its own repository's image unless it names a service's; leave image out, or name a service")
                } else if image != entry.name {
                    let source = environment.service(image)
                    if source == nil || source?.kind == .job {
                        let others = environment.services.filter { $0.value.kind != .job }.map(\.name)
                        let what = source == nil ? "which is not a service of \(environment.name)" : "which is a job of \(environment.name), not a service"
                        stack.report(
                            "image.service",
                            "names \(image), \(what)\(others.isEmpty ? "" : "; its services are \(others.joined(separator: ", "))")")
                    } else if let source, source.cpuArchitecture != entry.value.cpuArchitecture {
                        // The image is built for its service's architecture: on another, every run
                        // fails to start, unless the image is built for both (Berth cannot tell).
                        let theirs = source.cpuArchitecture.rawValue.lowercased(), own = entry.value.cpuArchitecture.rawValue.lowercased()
                        stack.warn(
                            "architecture",
                            "runs \(image)'s image, which \(image) runs on \(theirs): unless that image is built for \(own) too, "
                                + "every run fails to start; set architecture: \(theirs)")
                    }
                }
                for extension_ in extensions where extension_.service == nil || extension_.service == entry.name {
                    extension_.body(&stack, handles, environment)
                }
                // After the extensions: a role one adds is bounded too.
                if let boundary = environment.permissionsBoundary { stack.applyPermissionsBoundary(boundary) }
                outline.append(StackOutline(stack))
                app.add(stack)
            }
        }
        var imagesByService: [String: Set<String>] = [:]
        for environment in environments + templates {
            for entry in environment.services { imagesByService[entry.name, default: []].insert(imageService(of: entry)) }
        }
        for service in serviceNames {
            if let images = imagesByService[service], images.count > 1 {
                app.problems.append(
                    ValidationProblem(
                        location: "services.\(service).image",
                        message: "every environment must run \(service) from the same repository; they name \(images.sorted().joined(separator: ", "))"))
            }
        }
        app.problems += Self.stackNameClashes(outline)
        app.problems += qualifiedNameClashes()
        if outline.count != app.stacks.count { app.outline = outline }
        let known = Set(serviceNames)
        let named = configurations.compactMap(\.service) + extensions.compactMap(\.service)
        var reported: Set<String> = []
        for service in named where !known.contains(service) && reported.insert(service).inserted {
            app.problems.append(
                ValidationProblem(
                    location: "app definition",
                    message: "customizes service \(service), which no environment defines; the services are \(serviceNames.joined(separator: ", ")) "
                        + "(a service renamed in the files but not in the Swift code, or this app's binary run on another app's files)"))
        }
        return app
    }
}
