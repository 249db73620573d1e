import CloudFormation
import Resources
import Yams

/// One environment's settings, read from `stacks/environments/<name>.yaml`.
public struct EnvironmentConfig: Sendable {
    /// The environment's name: the file's name without `.yaml`.
    public var name: String
    /// The file it was read from, as given.
    public var file: String
    public var app: String
    public var service: String
    public var region: String
    /// The service's settings in this environment.
    public var settings: FargateService.Settings
    /// How many of this environment's images the repository keeps.
    public var keepImages = 10
    /// Where each key was found: `healthCheck.path` → line and column.
    public var positions: [String: Mark] = [:]

    /// The position of a settings key, for placing a problem found later (`file:line:column`).
    public func location(of key: String) -> String? {
        guard let mark = positions[key] else { return nil }
        return "\(file):\(mark.line):\(mark.column)"
    }

    /// The image tag prefix of this environment, which the lifecycle policy counts by: `dev-`.
    public var tagPrefix: String { "\(name)-" }
}

extension EnvironmentConfig {
    /// Environment names: they go into stack names and image tags.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isLowercase, first.isASCII, name.count <= 32 else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// Reads and checks one environment file's text; every mistake is reported, not only the first.
    static func parse(_ text: String, name: String, file: String) throws(ConfigurationError) -> EnvironmentConfig {
        let root: Node?
        do {
            root = try YAMLScalar.compose(text)
        } catch {
            throw ConfigurationError(errors: [SourceError(file: file, yamlError: error)])
        }
        guard let root else {
            throw ConfigurationError(errors: [
                SourceError(file: file, line: 1, column: 1, message: "the file is empty; expected app, service, region, cpu and memory")
            ])
        }
        var reader = YAMLMappingReader(file: file, path: "", node: root)
        let nameRule = "lowercase letters, digits and hyphens, starting with a letter"
        let app = reader.string("app", required: true, expected: nameRule, where: isValidName)
        let service = reader.string("service", required: true, expected: nameRule, where: isValidName)
        let region = reader.string("region", required: true, expected: "an AWS region such as eu-west-1", where: isRegion)
        let cpu = reader.int("cpu", required: true, in: 256...16384)
        let memory = reader.int("memory", required: true, in: 512...122_880)
        var config = EnvironmentConfig(
            name: name, file: file, app: app ?? "", service: service ?? "", region: region ?? "",
            settings: FargateService.Settings(size: FargateSize(cpu: cpu ?? 0, memory: memory ?? 0)))
        if let value = reader.int("desiredCount", in: 0...10_000) { config.settings.desiredCount = value }
        if let value = reader.int("containerPort", in: 1...65_535) { config.settings.containerPort = value }
        if let value = reader.choice("architecture", ["x86_64", "arm64"]) {
            config.settings.cpuArchitecture = value == "arm64" ? .arm64 : .x86_64
        }
        if var nested = reader.mapping("healthCheck") {
            if let value = nested.string("path", expected: "a path starting with /", where: { $0.hasPrefix("/") }) {
                config.settings.healthCheck.path = value
            }
            if let value = nested.string("matcher") { config.settings.healthCheck.matcher = value }
            if let value = nested.int("intervalSeconds", in: 5...300) { config.settings.healthCheck.intervalSeconds = value }
            if let value = nested.int("timeoutSeconds", in: 2...120) { config.settings.healthCheck.timeoutSeconds = value }
            if let value = nested.int("healthyThreshold", in: 2...10) { config.settings.healthCheck.healthyThreshold = value }
            if let value = nested.int("unhealthyThreshold", in: 2...10) { config.settings.healthCheck.unhealthyThreshold = value }
            if let value = nested.int("gracePeriodSeconds", in: 0...2_147_483_647) {
                config.settings.healthCheck.gracePeriodSeconds = value
            }
            reader.finish(nested)
        }
        if var nested = reader.mapping("containerHealthCheck") {
            if let command = nested.string("command", required: true, expected: "a shell command such as curl -f http://localhost:8080/health") {
                var check = FargateService.ContainerHealthCheck(command: ["CMD-SHELL", command])
                if let value = nested.int("intervalSeconds", in: 5...300) { check.intervalSeconds = value }
                if let value = nested.int("timeoutSeconds", in: 2...60) { check.timeoutSeconds = value }
                if let value = nested.int("retries", in: 1...10) { check.retries = value }
                if let value = nested.int("startPeriodSeconds", in: 0...300) { check.startPeriodSeconds = value }
                config.settings.containerHealthCheck = check
            }
            reader.finish(nested)
        }
        for (key, value) in reader.stringMap("environment") ?? [] { config.settings.environment[key] = value }
        for (key, value) in reader.stringMap("secrets") ?? [] { config.settings.secrets[key] = value }
        if var nested = reader.mapping("logs") {
            if let value = nested.int("retentionDays", in: 1...3653) { config.settings.logRetentionDays = value }
            reader.finish(nested)
        }
        if var nested = reader.mapping("network") {
            switch nested.choice("vpc", ["new", "existing"]) {
            case "existing":
                let vpcID = nested.string("vpcId", required: true, expected: "a VPC ID (vpc-…)")
                let publicSubnets = nested.stringList("publicSubnetIds", required: true)
                let privateSubnets = nested.stringList("privateSubnetIds") ?? []
                config.settings.network = .existing(
                    vpcID: vpcID ?? "", publicSubnetIDs: publicSubnets ?? [], privateSubnetIDs: privateSubnets)
            default:
                config.settings.network = .newVPC(cidr: nested.string("cidr") ?? "10.0.0.0/16")
            }
            reader.finish(nested)
        }
        if var nested = reader.mapping("autoscaling") {
            let minCount = nested.int("minCount", required: true, in: 0...10_000)
            let maxCount = nested.int("maxCount", required: true, in: 1...10_000)
            let cpuTarget = nested.int("cpuTargetPercent", in: 1...100)
            if let minCount, let maxCount {
                config.settings.autoscaling = .init(minCount: minCount, maxCount: maxCount, cpuTargetPercent: cpuTarget ?? 60)
            }
            reader.finish(nested)
        }
        if var nested = reader.mapping("https") {
            if let arn = nested.string("certificateArn", required: true, expected: "an ACM certificate ARN") {
                config.settings.https = .init(certificateArn: arn)
            }
            reader.finish(nested)
        }
        if var nested = reader.mapping("lifecycle") {
            if let value = nested.int("keepImages", in: 1...10_000) { config.keepImages = value }
            reader.finish(nested)
        }
        if var nested = reader.mapping("deployment") {
            if let value = nested.int("minimumHealthyPercent", in: 0...100) { config.settings.minimumHealthyPercent = value }
            if let value = nested.int("maximumPercent", in: 100...200) { config.settings.maximumPercent = value }
            reader.finish(nested)
        }
        if let value = reader.bool("execCommand") { config.settings.enableExecuteCommand = value }
        if let value = reader.bool("containerInsights") { config.settings.containerInsights = value }
        reader.reportUnknownKeys()
        guard reader.errors.isEmpty else { throw ConfigurationError(errors: reader.errors) }
        config.positions = reader.positions
        return config
    }

    /// `eu-west-1`, `us-gov-east-1`, `ap-southeast-2`.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, Int(last) != nil else { return false }
        return parts.dropLast().allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isLowercase } }
    }
}
