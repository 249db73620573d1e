import AWS
import ArgumentParser
import CloudFormation
import Foundation
import Resources

/// `berth images`: which image tags the app's repositories hold, newest first.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List the images in the app's repositories, what runs where, and what the lifecycle policy will expire.",
        discussion: """
            Use it to choose a tag to deploy, or an earlier one to roll back to. Each image says which \
            environments run it (the tag their service stack was deployed with) and whether the \
            repository's lifecycle policy will expire it, worked out with ECR's rules; an image that runs \
            and would be expired is a warning.

            Examples:
              berth images --env prod                      prod's tags in every repository
              berth images --service api --limit 5

            Exit codes: 0 listed; 1 an AWS call failed or a repository does not exist yet; 2 invalid \
            input or no credentials; 4 not finished within --timeout.
            """)

    @OptionGroup var appOptions: AppOptions
    @OptionGroup var awsOptions: AWSOptions

    @Option(help: "Only this environment's images (tags starting with <env>-).")
    var env: String?

    @Option(name: .customLong("service"), help: ArgumentHelp("Only this service's repository (repeatable).", valueName: "name"))
    var services: [String] = []

    @Option(help: "At most this many images per repository.")
    var limit = 20

    @Option(help: "Give up after this long.")
    var timeout = DurationArgument(.seconds(300))

    @Flag(help: "Print a JSON document instead of tables (see the README for its fields).")
    var json = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more, got \(limit)") }
    }

    func run() async throws {
        guard let context = Berth.context else { return }
        let app = try context.app.makeApp(configuration: try appOptions.configuration(environment: env))
        if let env, !app.stacks.contains(where: { $0.environment == env }) {
            let known = Set(app.stacks.compactMap(\.environment)).sorted().joined(separator: ", ")
            throw CommandFailure(.inputError, "no environment \(env); the app has \(known)")
        }
        let unknown = services.filter { !app.serviceNames.contains($0) }
        guard unknown.isEmpty else {
            throw CommandFailure(
                .inputError, "no service \(unknown.joined(separator: ", ")); the app has \(app.serviceNames.joined(separator: ", "))")
        }
        let repositories = app.stacks.filter { stack in
            stack.phase == .ecr && (services.isEmpty || stack.service.map(services.contains) == true)
        }.flatMap { stack in
            Self.repositoryNames(in: stack.template).map { (stack: stack, name: $0) }
        }
        guard !repositories.isEmpty else { throw CommandFailure(.inputError, "the app has no image repository") }
        var configurations: [String: AWSConfiguration] = [:]
        for region in Set(repositories.map(\.stack.region)) {
            configurations[region] = try awsOptions.configuration(stackRegion: region, context: context, within: timeout.duration)
        }
        let listings = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted",
            whenTimedOut: "the listing did not finish within --timeout \(timeout.defaultValueDescription)"
        ) { [configurations] in
            try await Self.listings(repositories.map { ($0.stack, $0.name) }, app: app, configurations: configurations)
        }
        let prefix = env.map { "\($0)-" }
        if json {
            context.console.write(JSONValue.object(["version": 1, "repositories": .array(listings.map { $0.json(prefix: prefix) })]).jsonText())
        } else {
            for listing in listings { context.console.write(listing.table(prefix: prefix, limit: limit)) }
        }
        for listing in listings {
            for warning in listing.warnings { context.warn(warning) }
        }
    }

    /// What each repository holds, what runs where, and what its lifecycle policy will expire.
    private static func listings(
        _ repositories: [(stack: Stack, name: String)], app: App, configurations: [String: AWSConfiguration]
    ) async throws -> [RepositoryListing] {
        var listings: [RepositoryListing] = []
        for repository in repositories {
            guard let configuration = configurations[repository.stack.region] else { continue }
            let ecr = ECRClient(configuration: configuration)
            let cloudFormation = CloudFormationClient(configuration: configuration)
            let images: [ECRClient.Image]
            let deployedPolicy: String?
            do {
                images = try await ecr.describeImages(repository: repository.name).collect()
                deployedPolicy = try await ecr.getLifecyclePolicy(repository: repository.name)
            } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
                throw CommandFailure(
                    .failure,
                    "repository \(repository.name) does not exist in \(configuration.region) yet; deploy the \(repository.stack.name) stack first")
            }
            // ECR's own policy when it has one; else the one the repository stack will set.
            let templatePolicy = repository.stack.template.resources.first { $0.value.type == ECR.Repository.resourceType }?
                .value.properties["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue
            var running: [(environment: String, tag: String?, digest: String?)] = []
            for stack in app.stacks where stack.phase == .ecs && stack.service == repository.stack.service {
                guard let environment = stack.environment, let deployed = try await cloudFormation.describeStack(stack.name),
                    deployed.status.holdsDeployment
                else { continue }
                let digest = deployed.parameters[FargateService.ParameterName.imageDigest].flatMap { $0.isEmpty ? nil : $0 }
                running.append((environment, deployed.parameters[FargateService.ParameterName.imageTag], digest))
            }
            listings.append(
                try RepositoryListing(
                    repository: repository.name, images: images, policyText: deployedPolicy ?? templatePolicy,
                    policySource: deployedPolicy != nil ? .deployed : templatePolicy != nil ? .template : .none, running: running,
                    now: Date()))
        }
        return listings
    }

    /// The names of the ECR repositories a template creates.
    static func repositoryNames(in template: Template) -> [String] {
        template.resources.compactMap { entry in
            entry.value.type == ECR.Repository.resourceType ? entry.value.properties["RepositoryName"]?.stringValue : nil
        }
    }

    static func timestamp(_ date: Date) -> String { UTCDateComponents(date).readable }
}
