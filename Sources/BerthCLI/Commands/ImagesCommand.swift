import BerthAWS
import ArgumentParser
import BerthTemplate
import Foundation
import BerthDeploy

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

    @OptionGroup var serviceOptions: ServiceOptions

    // Unconditional: a negative number is the option's value (refused by its range), not a flag.
    @Option(parsing: .unconditional, help: "At most this many images per repository in the table (--json lists every image).")
    var limit = 20

    @Option(parsing: .unconditional, help: "Give up after this long (90s, 10m, 1h30m).")
    var timeout = TimeoutArgument(.seconds(300))

    @Flag(help: "Print a JSON document instead of tables (see the README for its fields).")
    var json = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more, got \(limit)") }
    }

    func run() async throws {
        let session = try AppSession(
            appOptions, environment: env, selecting: .init(phases: [.ecr], environment: env, services: serviceOptions.services),
            everyEnvironment: true)
        let inventory = RepositoryInventory(plan: session.plan, clients: try await session.clients(awsOptions, within: timeout.duration, usesRepositories: true))
        guard !inventory.repositories.isEmpty else { throw CommandFailure(.inputError, "the app has no image repository") }
        let listings = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted",
            whenTimedOut: "the listing did not finish within --timeout \(timeout.defaultValueDescription)"
        ) { try await inventory.listings() }
        let context = session.context
        let prefix = env.map { "\($0)-" }
        if json {
            context.console.write(JSONValue.object(["version": 1, "repositories": .array(listings.map { $0.json(environment: env) })]).jsonText())
        } else {
            for listing in listings { context.console.write(listing.table(prefix: prefix, limit: limit)) }
        }
        for listing in listings {
            for warning in listing.warnings(in: env) { context.warn(warning) }
        }
    }
}
