import BerthAWS
import BerthResources
import BerthTemplate
import Foundation
import BerthModel

/// A running ECS service turned into a service of an environment file: what `berth init
/// --from-service` writes. The translation carries the task's size, the main container's port,
/// plain variables, secrets (by ARN), health check, user and read-only root filesystem, the
/// service's count, deployment percentages and ECS exec; everything else the service or its task
/// definition has (sidecars, volumes, load balancer rules, roles and their policies, the network)
/// is listed in `notes`, one line each, for the file's header and the command's warnings.
public struct ServiceImport: Sendable {
    /// The service's settings as Berth's.
    public var settings: FargateService.Settings
    /// The main container's image, as the task definition names it.
    public var image: String?
    /// The ECR repository of that image, when it is one (`shop/api`).
    public var repository: String?
    /// What was not carried over, or was changed to fit, one sentence each.
    public var notes: [String]
    /// The environment's network: the VPC of the service's subnets, when EC2 could say which
    /// it is and which subnets the load balancer can use; `nil` for a new VPC.
    public var network: EnvironmentSettings.Network?

    /// Reads `service` of `cluster` and its task definition, and translates them; with `ec2`,
    /// the VPC of the service's subnets too (see `network`).
    public static func read(cluster: String, service: String, ecs: ECSClient, ec2: EC2Client? = nil) async throws -> ServiceImport {
        let found: [ECSClient.Service]
        do {
            found = try await ecs.describeServices(cluster: cluster, services: [service])
        } catch let error as AWSServiceError where error.code == "ClusterNotFoundException" {
            throw ServiceImportError.noCluster(cluster)
        }
        guard let described = found.first(where: { $0.status != "INACTIVE" }) else {
            throw ServiceImportError.noService(cluster: cluster, service: service)
        }
        guard let arn = described.taskDefinition else { throw ServiceImportError.noTaskDefinition(service: service) }
        guard let taskDefinition = try await ecs.describeTaskDefinition(arn) else {
            throw ServiceImportError.noTaskDefinition(service: service)
        }
        var subnets: (task: [EC2Client.Subnet], vpc: [EC2Client.Subnet])?
        var subnetProblem: String?
        if let ec2, let ids = described.networkConfiguration?.awsvpcConfiguration?.subnets, !ids.isEmpty {
            do {
                let task = try await ec2.describeSubnets(ids: ids)
                let vpcs = Set(task.map(\.vpcID))
                subnets = (task, vpcs.count == 1 ? try await ec2.describeSubnets(vpcID: vpcs.first ?? "") : [])
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                subnetProblem = "EC2 DescribeSubnets failed (\(error))"
            }
        }
        return ServiceImport(service: described, taskDefinition: taskDefinition, subnets: subnets, subnetProblem: subnetProblem)
    }

    /// The translation of an ECS service and its task definition; `subnets` are the service's
    /// subnets and those of their VPC as EC2 describes them, or `nil` (with `subnetProblem`
    /// saying why, when it was asked).
    public init(
        service: ECSClient.Service, taskDefinition: ECSClient.TaskDefinition,
        subnets: (task: [EC2Client.Subnet], vpc: [EC2Client.Subnet])? = nil, subnetProblem: String? = nil
    ) {
        var notes: [String] = []
        let containers = taskDefinition.containerDefinitions ?? []
        let main = Self.mainContainer(of: containers, service: service)
        if let name = main?.name, containers.count > 1 { notes.append("container: \(name) is the service's; the others are sidecars") }
        let (region, account) = Self.regionAndAccount(of: taskDefinition.taskDefinitionArn ?? service.serviceArn ?? "")

        // The task's size: the task's own, else the main container's.
        let cpu = taskDefinition.cpu.flatMap { Int($0) } ?? main?.cpu
        let memory = taskDefinition.memory.flatMap { Int($0) } ?? main?.memory ?? main?.memoryReservation
        var size = FargateSize(cpu: cpu ?? 256, memory: memory ?? 512)
        if cpu == nil || memory == nil {
            notes.append("cpu/memory: the task definition sets no task-level size; written as \(size.cpu)/\(size.memory): check it")
        } else if let problem = size.problem {
            size = FargateSize(cpu: 256, memory: 512)
            notes.append("cpu/memory: \(cpu ?? 0)/\(memory ?? 0) is not a Fargate size (\(problem)); written as 256/512: choose a Fargate pair")
        }

        let loadBalancers = service.loadBalancers ?? []
        let ports = main?.portMappings?.compactMap(\.containerPort) ?? []
        let balancedPort = loadBalancers.first(where: { $0.containerName == main?.name })?.containerPort ?? loadBalancers.first?.containerPort
        let kind: FargateService.Kind = balancedPort != nil || !ports.isEmpty ? .web : .worker
        var settings = FargateService.Settings(size: size, kind: kind)
        if kind == .web, let port = balancedPort ?? ports.first {
            if (1...65_535).contains(port) { settings.containerPort = port } else { notes.append("containerPort: \(port) is out of range; 8080 written") }
        }
        if ports.count > 1 {
            notes.append("containerPort: the container maps ports \(ports.map(String.init).joined(separator: ", ")); only \(settings.containerPort) is carried over")
        }
        if let count = service.desiredCount {
            settings.desiredCount = min(max(count, 0), 10_000)
        }
        if let percent = service.deploymentConfiguration?.minimumHealthyPercent, (0...100).contains(percent) {
            settings.minimumHealthyPercent = percent
        }
        if let percent = service.deploymentConfiguration?.maximumPercent {
            if (100...200).contains(percent) {
                settings.maximumPercent = percent
            } else {
                notes.append("deployment.maximumPercent: \(percent) is outside Berth's 100-200; the default 200 is written")
            }
        }
        if let strategy = service.deploymentConfiguration?.strategy, strategy != "ROLLING" {
            notes.append("deployment: the service deploys \(strategy); Berth's file says rolling: set deployment.strategy")
        }
        if service.enableExecuteCommand == true { settings.enableExecuteCommand = true }
        if kind == .web, let grace = service.healthCheckGracePeriodSeconds, grace >= 0 {
            settings.healthCheck.gracePeriodSeconds = grace
        }
        if taskDefinition.runtimePlatform?.cpuArchitecture == "ARM64" { settings.cpuArchitecture = .arm64 }

        if let main {
            for variable in main.environment ?? [] {
                guard let name = variable.name else { continue }
                let value = variable.value ?? ""
                // This file is meant to be committed: a value whose name or form says it is a
                // secret's is never written into it, nor into its notes.
                let why = value.isEmpty ? nil : FargateService.looksSecret(name) ? "its name says it holds a secret" : FargateService.holdsURLPassword(value) ? "its value is a URL with a password" : nil
                if let why {
                    notes.append(
                        "environment.\(name): left out: \(why), and this file is meant to be committed; "
                            + "store the value in Secrets Manager or SSM and give its ARN as secrets.\(name) (if it is no secret, add it under environment: yourself), "
                            + "or the service's tasks start without it")
                    continue
                }
                settings.environment[name] = value
            }
            for secret in main.secrets ?? [] {
                guard let name = secret.name, let valueFrom = secret.valueFrom else { continue }
                settings.secrets[name] = Self.secretARN(valueFrom, region: region, account: account)
            }
            if let check = main.healthCheck, let command = check.command,
                command.dropFirst().flatMap({ $0.split(whereSeparator: { $0.isWhitespace }).map(String.init) }).contains(where: Self.mayCarryPassword)
            {
                // A check such as `redis-cli -a s3cret ping` carries its password: not written.
                notes.append(
                    "containerHealthCheck: left out: its command may hold a secret (\(command.count - 1) word\(command.count == 2 ? "" : "s")), and this file is meant to be "
                        + "committed; write containerHealthCheck yourself, reading the secret from the environment")
            } else if let check = main.healthCheck, let command = check.command, let form = command.first {
                let shell = form == "CMD-SHELL" ? command.dropFirst().joined(separator: " ") : command.dropFirst().map(ShellWords.quoted).joined(separator: " ")
                var converted = FargateService.ContainerHealthCheck(command: ["CMD-SHELL", shell])
                for (value, rule) in [(check.interval, 0), (check.timeout, 1), (check.retries, 2), (check.startPeriod, 3)] {
                    guard let value else { continue }
                    let rules = FargateService.Settings.Rules.containerHealthCheck
                    guard rules[rule].range.contains(value) else {
                        notes.append("\(rules[rule].path): \(value) is outside \(rules[rule].range.lowerBound)-\(rules[rule].range.upperBound); the default is written")
                        continue
                    }
                    rules[rule].assign(value, to: &converted)
                }
                if form == "NONE" || shell.isEmpty {
                    notes.append("containerHealthCheck: the container's health check is \(form); not carried over")
                } else {
                    settings.containerHealthCheck = converted
                }
            }
            if main.readonlyRootFilesystem == true { settings.readonlyRootFilesystem = true }
            if let user = main.user, !user.isEmpty { settings.user = user }
            notes += Self.containerNotes(main)
        }

        // What Berth's settings refuse (a variable named as Berth's own, a secret that is no ARN)
        // is left out, each named.
        for problem in settings.validate() {
            let parts = problem.location.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "environment":
                settings.environment[parts[1]] = nil
                notes.append("environment.\(parts[1]): left out: it \(problem.message)")
            case "secrets":
                settings.secrets[parts[1]] = nil
                notes.append("secrets.\(parts[1]): left out: it \(problem.message)")
            case "user":
                settings.user = nil
                notes.append("user: left out: \(problem.message)")
            default: continue
            }
        }

        var network: EnvironmentSettings.Network?
        if let awsvpc = service.networkConfiguration?.awsvpcConfiguration, let ids = awsvpc.subnets, !ids.isEmpty {
            if let subnets {
                let worked = Self.network(assignPublicIP: awsvpc.assignPublicIp, taskSubnetIDs: ids, taskSubnets: subnets.task, vpcSubnets: subnets.vpc)
                network = worked.network
                notes.append(worked.note)
            } else {
                notes.append(Self.fallbackNote(ids, assignPublicIP: awsvpc.assignPublicIp, why: subnetProblem ?? "their VPC was not read"))
            }
        }
        notes += Self.serviceNotes(service, loadBalancers: loadBalancers, kind: kind)
        notes += Self.taskNotes(taskDefinition, main: main, others: containers.filter { $0.name != main?.name })
        let image = main?.image
        let repository = image.flatMap(Self.ecrRepository)
        let registry = image.flatMap(Self.ecrRegistry)
        if let image, let repository, let registry, registry.account == account, registry.region == region {
            // The service's own repository: named in the file, so that phase 1 adopts it with its images.
            settings.repository = repository
            notes.append(
                "image: the service runs \(image) from ECR repository \(repository), in the service's account and region: "
                    + "phase 1's deploy can adopt it into Berth with every image "
                    + "(the file names it, repository:, when it is not <app>/<service>; should another stack, Copilot's or CDK's, hold it, "
                    + "take it out of that stack first, or remove the repository: line to start a new one)")
        } else if let image, let repository, let registry {
            notes.append(
                "image: the service runs \(image) from ECR repository \(repository) in account \(registry.account), region \(registry.region): "
                    + "to adopt it there, give the environment repositories: {account: \"\(registry.account)\", region: \(registry.region)} "
                    + "and the service repository: \(repository); else push the images to <app>/<service>")
        } else if let image {
            notes.append(
                "image: the service runs \(image); Berth deploys the image tagged for each environment from its own repository <app>/<service>: push it there")
        }
        self.settings = settings
        self.image = image
        self.repository = repository
        self.notes = notes
        self.network = network
    }

    /// The container the service is about: the one the load balancer sends to, else the only
    /// essential one with ports, else the first essential one.
    private static func mainContainer(of containers: [ECSClient.TaskDefinition.Container], service: ECSClient.Service) -> ECSClient.TaskDefinition.Container? {
        if let name = service.loadBalancers?.compactMap(\.containerName).first, let container = containers.first(where: { $0.name == name }) {
            return container
        }
        let essential = containers.filter { $0.essential ?? true }
        let withPorts = essential.filter { !($0.portMappings ?? []).isEmpty }
        if withPorts.count == 1 { return withPorts.first }
        return essential.first ?? containers.first
    }

    /// `arn:aws:ecs:<region>:<account>:…` → region and account.
    private static func regionAndAccount(of arn: String) -> (String?, String?) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 6, parts[0] == "arn" else { return (nil, nil) }
        return (parts[3].isEmpty ? nil : parts[3], parts[4].isEmpty ? nil : parts[4])
    }

    /// A secret's `valueFrom` as an ARN: an SSM parameter named without one (in the task's
    /// region and account) gets its ARN; an ARN stays as it is.
    static func secretARN(_ valueFrom: String, region: String?, account: String?) -> String {
        guard !valueFrom.hasPrefix("arn:"), let region, let account else { return valueFrom }
        let name = valueFrom.hasPrefix("/") ? String(valueFrom.dropFirst()) : valueFrom
        return "arn:\(ImageRepository.partition(ofRegion: region)):ssm:\(region):\(account):parameter/\(name)"
    }

    /// The account and region of an ECR image reference's registry
    /// (`<account>.dkr.ecr.<region>.amazonaws.com[.cn]`), `nil` for an image from elsewhere.
    static func ecrRegistry(_ image: String) -> (account: String, region: String)? {
        guard let slash = image.firstIndex(of: "/") else { return nil }
        let parts = image[..<slash].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[1] == "dkr", parts[2] == "ecr", parts[4] == "amazonaws",
            parts[0].count == 12, DecimalText.isDigits(parts[0]), !parts[3].isEmpty
        else { return nil }
        return (String(parts[0]), String(parts[3]))
    }

    /// The ECR repository of an image reference, `nil` for an image from elsewhere.
    static func ecrRepository(_ image: String) -> String? {
        guard let slash = image.firstIndex(of: "/") else { return nil }
        let host = image[..<slash]
        guard host.contains(".dkr.ecr.") else { return nil }
        var path = image[image.index(after: slash)...]
        if let at = path.firstIndex(of: "@") { path = path[..<at] }
        if let colon = path.lastIndex(of: ":") { path = path[..<colon] }
        return path.isEmpty ? nil : String(path)
    }


    /// `serve`, `serve (and 2 more words)` or, when the first word is itself an option or an
    /// assignment (`--password=…`), `(3 words)`: a command named without its arguments. A first
    /// element holding a whole command line (`["sh", "-c", "node app --token abc"]`'s last, or
    /// `["node app --token abc"]`) is named by its first word only.
    private static func firstWord(_ first: String, of count: Int) -> String {
        let words = first.split(whereSeparator: { $0.isWhitespace })
        let total = count - 1 + max(words.count, 1)
        let plural = { (count: Int) in "\(count) word\(count == 1 ? "" : "s")" }
        guard let head = words.first.map(String.init), !head.hasPrefix("-"), !head.contains("="), !mayHoldSecret(text: head) else {
            return "(\(plural(total)))"
        }
        let word = head.count > 80 ? "\(head.prefix(80))…" : head
        return total == 1 ? word : "\(word) (and \(total - 1) more \(total == 2 ? "word" : "words"))"
    }

    /// Whether a word of a command may carry a secret: it names one (`--password`, `token=…`),
    /// or is a URL with a password.
    static func mayHoldSecret(text: String) -> Bool {
        let lower = text.lowercased()
        return ["pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "credential", "private"].contains(where: lower.contains)
            || FargateService.holdsURLPassword(text)
    }

    /// Whether a word of a health check may carry a password: as `mayHoldSecret(text:)` says, or
    /// the password options of the tools health checks call (`redis-cli -a PASSWORD`, `mysql
    /// -pPASSWORD`).
    static func mayCarryPassword(_ word: String) -> Bool {
        mayHoldSecret(text: word) || word == "-a" || (word.hasPrefix("-p") && word.count > 2 && !word.hasPrefix("--"))
    }

    /// What the main container has that an environment file does not say.
    private static func containerNotes(_ main: ECSClient.TaskDefinition.Container) -> [String] {
        var notes: [String] = []
        let name = main.name ?? "the main container"
        // Only a command's first word is named: its arguments may hold a password.
        if let command = main.command, let first = command.first {
            notes.append("\(name): command \(Self.firstWord(first, of: command.count)) is not carried over: build it into the image")
        }
        if let entryPoint = main.entryPoint, let first = entryPoint.first {
            notes.append("\(name): entryPoint \(Self.firstWord(first, of: entryPoint.count)) is not carried over: build it into the image")
        }
        if let mounts = main.mountPoints, !mounts.isEmpty {
            notes.append("\(name): mount points \(mounts.compactMap(\.containerPath).joined(separator: ", ")) are not carried over (scratchPaths makes empty writable directories)")
        }
        if let files = main.environmentFiles, !files.isEmpty { notes.append("\(name): environment files (S3) are not carried over") }
        if let driver = main.logConfiguration?.logDriver, driver != "awslogs" { notes.append("\(name): the \(driver) log driver is not carried over: Berth logs to CloudWatch Logs") }
        if let dependsOn = main.dependsOn, !dependsOn.isEmpty { notes.append("\(name): dependsOn is not carried over: add it in Swift (configureService, dependsOn)") }
        if main.linuxParameters != nil { notes.append("\(name): linuxParameters are not carried over") }
        if let ulimits = main.ulimits, !ulimits.isEmpty { notes.append("\(name): ulimits are not carried over") }
        if let labels = main.dockerLabels, !labels.isEmpty { notes.append("\(name): docker labels \(labels.keys.sorted().joined(separator: ", ")) are not carried over") }
        if let timeout = main.stopTimeout { notes.append("\(name): stopTimeout \(timeout) is not carried over: set it with an override in Swift") }
        return notes
    }

    /// What the ECS service has that an environment file does not say.
    private static func serviceNotes(_ service: ECSClient.Service, loadBalancers: [ECSClient.Service.LoadBalancer], kind: FargateService.Kind) -> [String] {
        var notes: [String] = []
        if let launchType = service.launchType, launchType != "FARGATE" { notes.append("launch type: the service runs on \(launchType); Berth runs on Fargate") }
        if service.launchType == nil { notes.append("capacity: the service uses a capacity provider strategy; Berth runs on Fargate") }
        for balancer in loadBalancers {
            let target = balancer.targetGroupArn ?? balancer.loadBalancerName ?? "a load balancer"
            notes.append("load balancer: \(target) and its listener rules are not carried over: Berth makes its own target group behind the environment's load balancer (routing, healthCheck.path and matcher are defaults: check them)")
        }
        if kind == .web, loadBalancers.isEmpty {
            notes.append("load balancer: the service has none, but its container maps a port: Berth puts a web service behind one (make it kind: worker if nothing should reach it)")
        }
        if let registries = service.serviceRegistries, !registries.isEmpty {
            notes.append("service discovery: \(registries.compactMap(\.registryArn).joined(separator: ", ")) is not carried over")
        }
        if let network = service.networkConfiguration?.awsvpcConfiguration {
            if let groups = network.securityGroups, !groups.isEmpty {
                notes.append("security groups: \(groups.joined(separator: ", ")) are not carried over: Berth makes the service's own")
            }
        }
        return notes
    }

    /// What the task definition has beyond its main container.
    private static func taskNotes(
        _ taskDefinition: ECSClient.TaskDefinition, main: ECSClient.TaskDefinition.Container?, others: [ECSClient.TaskDefinition.Container]
    ) -> [String] {
        var notes: [String] = []
        for other in others {
            notes.append("sidecar: the container \(other.name ?? "?") (\(other.image ?? "no image")) is not carried over: add it in Swift (configureService, sidecars)")
        }
        if let volumes = taskDefinition.volumes, !volumes.isEmpty {
            notes.append("volumes: \(volumes.compactMap(\.name).joined(separator: ", ")) are not carried over")
        }
        if let role = taskDefinition.taskRoleArn {
            notes.append("task role: \(role) and its policies are not carried over: Berth makes the service's own role; add statements in Swift (taskRoleStatements)")
        }
        if let role = taskDefinition.executionRoleArn {
            notes.append("execution role: \(role) is not carried over: Berth makes its own, allowed to read exactly the secrets listed")
        }
        if let storage = taskDefinition.ephemeralStorage?.sizeInGiB { notes.append("ephemeral storage: \(storage) GiB is not carried over (Fargate's default is 20)") }
        if let mode = taskDefinition.networkMode, mode != "awsvpc" { notes.append("network mode: \(mode); Berth's tasks use awsvpc") }
        if let family = taskDefinition.runtimePlatform?.operatingSystemFamily, family != "LINUX" { notes.append("platform: \(family); Berth runs Linux tasks") }
        return notes
    }
}
