import ArgumentParser
import BerthAWS
import BerthTemplate
import Foundation

/// `berth init`: write a new app's package, optionally with an environment file read from a
/// running ECS service.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new app's package: Package.swift, the app's Swift file and an environment file.",
        discussion: """
            Writes, under --dir (default: a new directory named after the app), Package.swift with Berth as a \
            dependency, Sources/<app>/<App>App.swift that hands the app to Berth, and environments/<env>.yaml. \
            Berth is named by URL (\(AppScaffold.defaultBerthURL), from this version, unless --berth-url and \
            --berth-version say otherwise), or by a checkout on disk with --berth-path. Nothing is overwritten: when \
            any of the files exists, none is written.

            With --from-service CLUSTER/SERVICE, the environment file is read from a running ECS service \
            (DescribeServices, DescribeTaskDefinition; EC2 DescribeSubnets for the network): cpu, memory, port, \
            environment, secrets (by ARN), the container's health check, count, deployment percentages, ECS exec, \
            user, read-only root filesystem, and the VPC and subnets. What it cannot carry over (sidecars, volumes, \
            load balancer rules, roles and their policies, security groups, the image's repository), and the \
            guesses to check, are listed in comments at the top of the file and printed as warnings.

            The file's region (--region below does not default to an environment file's here, there being none \
            yet): --region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's region, else us-east-1; with \
            --from-service there is no us-east-1: the service is read in that region, which must be given.

            Examples:
              berth init shop                         writes shop/, one web service
              berth init shop --dir . --env staging --service api
              berth init shop --berth-path ../berth   Berth from a checkout on disk
              berth init shop --from-service prod-cluster/api --env prod --region eu-west-1
              berth init shop --environment-only --from-service prod-cluster/worker --env prod

            Exit codes: 0 written; 1 a file could not be written, or an AWS call failed; 2 invalid input (a name, \
            flags, a file that exists, no such cluster or service, no credentials); 4 not finished within --timeout. Nothing \
            is written on 2.
            """)

    @Argument(help: ArgumentHelp("The app's name: lowercase letters, digits and single hyphens.", valueName: "app"))
    var app: String

    @Option(help: ArgumentHelp("Where to write the package (default: ./<app>, or . with --environment-only).", valueName: "dir"))
    var dir: String?

    @Flag(
        name: .customLong("environment-only"),
        help: "Write only environments/<env>.yaml, for an app that exists (run from its root).")
    var environmentOnly = false

    @Option(help: "The environment the file is for.")
    var env = "dev"

    @Option(help: ArgumentHelp("The service's name (default: web, or the ECS service's name with --from-service).", valueName: "name"))
    var service: String?

    @Option(name: .customLong("berth-path"), help: ArgumentHelp("Depend on the Berth checkout in this directory instead of its URL.", valueName: "dir"))
    var berthPath: String?

    @Option(name: .customLong("berth-url"), help: ArgumentHelp("The Git URL of Berth.", valueName: "url"))
    var berthURL = AppScaffold.defaultBerthURL

    @Option(name: .customLong("berth-version"), help: ArgumentHelp("The version of Berth to start from.", valueName: "version"))
    var berthVersion = Berth.version

    @Option(
        name: .customLong("from-service"),
        help: ArgumentHelp("Read the environment file's service from this running ECS service.", valueName: "cluster/service"))
    var fromService: String?

    @OptionGroup var awsOptions: AWSOptions

    @Option(parsing: .unconditional, help: "Give up on AWS after this long (90s, 10m, 1h30m; with --from-service).")
    var timeout = TimeoutArgument(.seconds(60))

    func validate() throws {
        guard EnvironmentConfig.isValidName(app) else { throw ValidationError(ScaffoldError.invalidName("app", app).description) }
        if !environmentOnly, app == AppScaffold.berthsOwnName { throw ValidationError(ScaffoldError.berthsOwnName(app).description) }
        guard EnvironmentConfig.isValidName(env) else { throw ValidationError(ScaffoldError.invalidName("environment", env).description) }
        if let problem = EnvironmentConfig.reservedNameProblem(env) { throw ValidationError("--env " + problem) }
        if let service, !EnvironmentConfig.isValidServiceName(service) {
            throw ValidationError(ScaffoldError.invalidName("service", service).description)
        }
        if let fromService, Self.clusterAndService(fromService) == nil {
            throw ValidationError("--from-service takes CLUSTER/SERVICE (names or ARNs), got \"\(fromService.prefix(200))\"")
        }
        if berthPath != nil && (berthURL != AppScaffold.defaultBerthURL || berthVersion != Berth.version) {
            throw ValidationError("--berth-path names a checkout; --berth-url and --berth-version name a release: choose one")
        }
        if let problem = AppScaffold.BerthSource.versionProblem(berthVersion) {
            throw ValidationError("--berth-version \(String(berthVersion.prefix(64)).debugDescription) \(problem)")
        }
        if let problem = AppScaffold.BerthSource.urlProblem(berthURL) {
            throw ValidationError("--berth-url \(String(berthURL.prefix(200)).debugDescription) \(problem)")
        }
    }

    /// `cluster/service`: the cluster's name or ARN, then the service's name (the last `/`
    /// separates them, so that a cluster ARN works).
    static func clusterAndService(_ text: String) -> (cluster: String, service: String)? {
        guard let slash = text.lastIndex(of: "/") else { return nil }
        let cluster = String(text[..<slash]), service = String(text[text.index(after: slash)...])
        guard !cluster.isEmpty, !service.isEmpty, cluster.count <= 2048, service.count <= 255 else { return nil }
        return (cluster, service)
    }

    func run() async throws {
        let context = try Berth.currentContext()
        let directory = environmentOnly ? Self.environmentsParent(in: dir ?? ".") : dir ?? app
        let berth = try berthSource()
        var file = EnvironmentFile(app: app, region: "", services: [])
        var serviceName = service ?? "web"
        if let fromService, let target = Self.clusterAndService(fromService) {
            let configuration = try awsOptions.configuration(stackRegion: nil, context: context, within: timeout.duration)
            let ecs = ECSClient(configuration: configuration), ec2 = EC2Client(configuration: configuration)
            let imported: ServiceImport
            do {
                imported = try await CommandDeadline.run(
                    within: timeout.duration, whenInterrupted: "interrupted",
                    whenTimedOut: "reading \(fromService) did not finish within --timeout \(timeout.defaultValueDescription)"
                ) { try await ServiceImport.read(cluster: target.cluster, service: target.service, ecs: ecs, ec2: ec2) }
            } catch let error as ServiceImportError {
                throw CommandFailure(.inputError, error.description)
            }
            serviceName = try service ?? Self.serviceName(from: target.service)
            file.region = configuration.region
            var settings = imported.settings
            let notes = imported.notes + (settings.repository.map { [Self.adoptionNote($0)] } ?? [])
            // The name Berth gives the repository anyway is not written.
            if settings.repository == "\(app)/\(serviceName)" { settings.repository = nil }
            file.services = [Named(serviceName, settings)]
            file.network = imported.network
            file.notes =
                ["Written by berth init --from-service \(fromService): what the service has that this file does not carry over, or carries over by a guess to check:"]
                + notes.map { "- " + $0 }
            for note in notes { context.warn("\(serviceName): \(note)") }
        } else {
            file.region = try region(context: context)
            var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
            settings.containerPort = 8080
            file.services = [Named(serviceName, settings)]
        }
        // Where the file goes (`stacks/environments/` in the sample's layout), as errors name it.
        let others = (directory as NSString).appendingPathComponent("environments")
        let target = (others as NSString).appendingPathComponent("\(env).yaml")
        // What is written must read back as it is meant: a file Berth would refuse is never written.
        let readBack: EnvironmentConfig
        do {
            readBack = try EnvironmentConfig.parse(file.text, name: env, file: target)
        } catch {
            // Only values an ECS answer gave can come this far: Berth's own defaults read back.
            let what = fromService.map { "\($0) has settings an environment file cannot hold" } ?? "internal error: the environment file would not read back"
            throw CommandFailure(fromService == nil ? .failure : .inputError, "\(what); nothing was written:\n\(error.description)")
        }
        // Nor one that the app's other environment files would refuse beside them. (A file of
        // that name is refused below as one that exists, whatever it holds; one of the other
        // extension, which would define the environment twice, here.)
        let twin = (others as NSString).appendingPathComponent("\(env).yml")
        if FileManager.default.fileExists(atPath: twin) {
            throw CommandFailure(.inputError, "environment \(env) is already defined by \(twin); berth init overwrites nothing")
        }
        if environmentOnly, !FileManager.default.fileExists(atPath: target),
            case let problems = Configuration(directory: others).problems(adding: readBack), !problems.isEmpty
        {
            throw CommandFailure(
                .inputError,
                "\(target) would not fit the app's other environment files; nothing was written (the app's name and --region "
                    + "can be given as they have them; for a service they share, write the file with another --service, then copy its settings):\n"
                    + problems.map { "  - \($0)" }.joined(separator: "\n"))
        }
        let written = try Self.write(
            { () throws(ScaffoldError) in
                try AppScaffold(app: app, environment: env, berth: berth, environmentFile: file, environmentOnly: environmentOnly)
            }, into: directory)
        for path in written { context.console.write("wrote \(path)\n") }
        // The package's directory: an environment file may have gone into its stacks/ directory.
        let package = environmentOnly ? dir ?? "." : directory
        let build = package == "." ? "" : "cd \(package) && "
        context.console.write("next: \(build)swift build && .build/debug/\(app) synth\(environmentOnly ? " --env \(env)" : "")\n")
    }

    /// Where a new environment file goes in the app at `base`: beside the app's environment
    /// files, in the directory commands look in first (`environments/`, else
    /// `stacks/environments/`), so that it neither makes an `environments/` that would hide
    /// the others from every command nor goes where none looks.
    static func environmentsParent(in base: String) -> String {
        for candidate in ConfigurationLookup.candidates {
            var isDirectory: ObjCBool = false
            let path = base == "." ? candidate : (base as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let parent = (path as NSString).deletingLastPathComponent
                return parent.isEmpty ? "." : parent
            }
        }
        return base
    }

    /// Writes the scaffold that `make` makes: a file that could not be written fails (1), a
    /// name or a file that exists is the input's fault (2).
    private static func write(_ make: () throws(ScaffoldError) -> AppScaffold, into directory: String) throws -> [String] {
        let result: Result<[String], ScaffoldError>
        do throws(ScaffoldError) {
            result = .success(try make().write(into: directory))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let written): return written
        case .failure(let error):
            if case .cannotWrite = error { throw CommandFailure(.failure, error.description) }
            throw CommandFailure(.inputError, ErrorWording.text(error))
        }
    }

    private func berthSource() throws -> AppScaffold.BerthSource {
        guard let berthPath else { return .url(berthURL, from: berthVersion) }
        let absolute = URL(fileURLWithPath: berthPath, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: (absolute as NSString).appendingPathComponent("Package.swift")) else {
            throw CommandFailure(.inputError, "--berth-path \(berthPath): no Package.swift there; name the directory of a Berth checkout")
        }
        return .path(absolute)
    }

    /// The region of a new environment file: `--region`, else the AWS CLI's variables and
    /// profile, else us-east-1.
    private func region(context: Berth.Context) throws -> String {
        let files = SharedConfigFiles(environment: context.environment)
        if let problem = files.problems.first { throw CommandFailure(.inputError, problem) }
        let profileName = SharedConfigFiles.profileName(given: awsOptions.profile, environment: context.environment)
        do {
            return try RegionResolver.resolveChecked(
                given: awsOptions.region, environment: context.environment, profileRegion: files.profiles[profileName]?["region"],
                profileName: profileName) ?? "us-east-1"
        } catch {
            throw CommandFailure(.inputError, error.description)
        }
    }

    /// How the service's own ECR repository, which the new file names, comes into Berth.
    static func adoptionNote(_ repository: String) -> String {
        "repository: berth deploy --phase ecr lists what adopting \(repository) changes, and --adopt brings it into Berth with every image"
    }

    /// Berth's name for an ECS service: its own when valid, else asks for --service.
    static func serviceName(from ecsName: String) throws -> String {
        guard EnvironmentConfig.isValidServiceName(ecsName) else {
            throw CommandFailure(
                .inputError,
                "the ECS service's name \"\(ecsName.prefix(64))\" is not a valid service name (\(EnvironmentConfig.serviceNameRule)); name it with --service")
        }
        return ecsName
    }
}
