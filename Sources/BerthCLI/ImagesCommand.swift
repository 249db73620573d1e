import AWS
import ArgumentParser
import CloudFormation
import Foundation
import Resources

/// `berth images`: which image tags the app's repositories hold, newest first.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List the images in the app's repositories, newest first.",
        discussion: """
            Use it to choose a tag to deploy, or an earlier one to roll back to.

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

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more, got \(limit)") }
    }

    func run() async throws {
        guard let context = Berth.context else { return }
        let app = try context.app.makeApp(configuration: Configuration(directory: appOptions.configDirectory))
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
        let tables = try await CommandDeadline.run(
            within: timeout.duration, whenInterrupted: "interrupted",
            whenTimedOut: "the listing did not finish within --timeout \(timeout.defaultValueDescription)"
        ) { [configurations, env, limit] in
            try await Self.tables(repositories.map { ($0.stack, $0.name) }, configurations: configurations, prefix: env.map { "\($0)-" }, limit: limit)
        }
        for table in tables { context.console.write(table) }
    }

    /// One table per repository, read one after the other.
    private static func tables(
        _ repositories: [(stack: Stack, name: String)], configurations: [String: AWSConfiguration], prefix: String?, limit: Int
    ) async throws -> [String] {
        var tables: [String] = []
        for repository in repositories {
            guard let configuration = configurations[repository.stack.region] else { continue }
            let ecr = ECRClient(configuration: configuration)
            let images: [ECRClient.Image]
            do {
                images = try await ecr.describeImages(repository: repository.name).collect()
            } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
                throw CommandFailure(
                    .failure,
                    "repository \(repository.name) does not exist in \(configuration.region) yet; deploy the \(repository.stack.name) stack first")
            }
            tables.append(table(images, repository: repository.name, prefix: prefix, limit: limit))
        }
        return tables
    }

    /// The names of the ECR repositories a template creates.
    static func repositoryNames(in template: Template) -> [String] {
        template.resources.compactMap { entry in
            entry.value.type == ECR.Repository.resourceType ? entry.value.properties["RepositoryName"]?.stringValue : nil
        }
    }

    /// One row per image (per matching tag), newest push first.
    static func table(_ images: [ECRClient.Image], repository: String, prefix: String?, limit: Int) -> String {
        let sorted = images.sorted { ($0.imagePushedAt ?? 0) > ($1.imagePushedAt ?? 0) }
        var rows: [[String]] = []
        for image in sorted {
            let tags = (image.imageTags ?? []).filter { prefix.map($0.hasPrefix) ?? true }
            guard !tags.isEmpty || (prefix == nil && image.imageTags?.isEmpty != false) else { continue }
            let digest = String(image.imageDigest.prefix(19))
            let pushed = image.pushedAt.map(Self.timestamp) ?? "-"
            let size = image.imageSizeInBytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "-"
            rows.append([tags.isEmpty ? "<untagged>" : tags.sorted().joined(separator: ","), digest, pushed, size])
            if rows.count == limit { break }
        }
        guard !rows.isEmpty else {
            return "\(repository): no images\(prefix.map { " tagged \($0)*" } ?? "")\n"
        }
        let header = ["tag", "digest", "pushed (UTC)", "size"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + rows).map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return "\(repository)\n" + lines.joined(separator: "\n") + "\n"
    }

    static func timestamp(_ date: Date) -> String { UTCDateComponents(date).readable }
}
