import BerthResources
import BerthTemplate
import Foundation

/// An environment file as `berth init` writes it: the app, the region, its services' settings,
/// and comment lines at the top (what an imported service had that the file does not carry).
///
/// `text` is the one place the YAML of a new environment file is written. It writes the keys
/// `init` sets (`kind`, `repository`, `cpu`, `memory`, `desiredCount`, `containerPort`, `architecture`,
/// `healthCheck.gracePeriodSeconds`, `containerHealthCheck`, `environment`, `secrets`,
/// `deployment`'s percentages, `readonlyRootFilesystem`, `user`, `execCommand`,
/// `logs.retentionDays`), each only when it differs from its default, apart from the size and a
/// web service's port; the same settings always give the same text.
public struct EnvironmentFile: Sendable, Hashable {
    /// The app's name (`app:`).
    public var app: String
    /// The region (`region:`).
    public var region: String
    /// The services, in the order they are written.
    public var services: [Named<FargateService.Settings>]
    /// Lines written as comments at the top of the file.
    public var notes: [String]
    /// The environment's network; `nil` leaves the key out (a new VPC with Berth's range).
    public var network: EnvironmentSettings.Network?

    /// A file of `services` in `region`, with `notes` at the top and `network` when given.
    public init(
        app: String, region: String, services: [Named<FargateService.Settings>], notes: [String] = [],
        network: EnvironmentSettings.Network? = nil
    ) {
        self.app = app
        self.region = region
        self.services = services
        self.notes = notes
        self.network = network
    }

    /// The file's YAML text.
    public var text: String {
        var lines: [String] = []
        for note in notes { lines.append("# " + Self.oneLine(note)) }
        lines.append("app: \(Self.scalar(app))")
        lines.append("region: \(Self.scalar(region))")
        switch network {
        case .newVPC(let cidr, let privateSubnets):
            lines += ["network:", "  vpc: new", "  cidr: \(Self.scalar(cidr))"]
            if let privateSubnets { lines.append("  privateSubnets: \(privateSubnets)") }
        case .existing(let vpcID, let publicSubnetIDs, let privateSubnetIDs):
            lines += ["network:", "  vpc: existing", "  vpcId: \(Self.scalar(vpcID))", "  publicSubnetIds: \(Self.list(publicSubnetIDs))"]
            if !privateSubnetIDs.isEmpty { lines.append("  privateSubnetIds: \(Self.list(privateSubnetIDs))") }
        case nil: break
        }
        lines.append("services:")
        for service in services {
            lines.append("  \(Self.key(service.name)):")
            lines += Self.lines(of: service.value).map { "    " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One service's keys, unindented.
    private static func lines(of settings: FargateService.Settings) -> [String] {
        let defaults = FargateService.Settings(size: settings.size, kind: settings.kind)
        var lines: [String] = []
        if settings.kind != .web { lines.append("kind: \(settings.kind.rawValue)") }
        if let repository = settings.repository {
            // A repository name (lowercase letters, digits, . _ - and /) starting with a letter is a
            // plain scalar, unless YAML reads it as something else (`null`, `yes`).
            let plain = repository.first?.isLetter == true
                && repository.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-/".contains($0)) }
                && scalar(repository.replacingOccurrences(of: "/", with: "-")) == repository.replacingOccurrences(of: "/", with: "-")
            lines.append("repository: \(plain ? repository : scalar(repository))")
        }
        lines.append("cpu: \(settings.size.cpu)")
        lines.append("memory: \(settings.size.memory)")
        if settings.desiredCount != defaults.desiredCount { lines.append("desiredCount: \(settings.desiredCount)") }
        if settings.kind == .web { lines.append("containerPort: \(settings.containerPort)") }
        if settings.cpuArchitecture == .arm64 { lines.append("architecture: arm64") }
        if settings.kind == .web, settings.healthCheck.gracePeriodSeconds != defaults.healthCheck.gracePeriodSeconds {
            lines += ["healthCheck:", "  gracePeriodSeconds: \(settings.healthCheck.gracePeriodSeconds)"]
        }
        if let check = settings.containerHealthCheck {
            let command = check.command.first == "CMD-SHELL" ? check.command.dropFirst().joined(separator: " ") : check.command.joined(separator: " ")
            lines += [
                "containerHealthCheck:", "  command: \(scalar(command))", "  intervalSeconds: \(check.intervalSeconds)",
                "  timeoutSeconds: \(check.timeoutSeconds)", "  retries: \(check.retries)", "  startPeriodSeconds: \(check.startPeriodSeconds)",
            ]
        }
        if !settings.environment.isEmpty {
            lines.append("environment:")
            for (name, value) in settings.environment.sorted(by: { $0.key < $1.key }) { lines.append("  \(key(name)): \(scalar(value))") }
        }
        if !settings.secrets.isEmpty {
            lines.append("secrets:")
            for (name, value) in settings.secrets.sorted(by: { $0.key < $1.key }) { lines.append("  \(key(name)): \(scalar(value))") }
        }
        if settings.minimumHealthyPercent != defaults.minimumHealthyPercent || settings.maximumPercent != defaults.maximumPercent {
            lines += [
                "deployment:", "  minimumHealthyPercent: \(settings.minimumHealthyPercent)", "  maximumPercent: \(settings.maximumPercent)",
            ]
        }
        if settings.readonlyRootFilesystem { lines.append("readonlyRootFilesystem: true") }
        if let user = settings.user { lines.append("user: \(scalar(user))") }
        if settings.enableExecuteCommand { lines.append("execCommand: true") }
        if settings.logRetentionDays != defaults.logRetentionDays { lines += ["logs:", "  retentionDays: \(settings.logRetentionDays)"] }
        return lines
    }

    /// A flow sequence of values.
    static func list(_ items: [String]) -> String { "[" + items.map(scalar).joined(separator: ", ") + "]" }

    /// A mapping key, written as a value is: `ON`, `NO` or `NULL` (valid variable names) plain
    /// would read as a boolean or null.
    static func key(_ text: String) -> String { scalar(text) }

    /// A value: plain for a word YAML cannot read as anything but a string, double-quoted otherwise.
    static func scalar(_ text: String) -> String {
        let resolvesElsewhere = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"].contains(text.lowercased())
            || Double(text) != nil || Int(text) != nil || text.first?.isNumber == true
        return isPlainWord(text) && !resolvesElsewhere ? text : quoted(text)
    }

    private static func isPlainWord(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-".contains($0)) }
    }

    /// YAML's double-quoted form, with JSON's escapes (a subset of YAML's).
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A comment's text on one line: line breaks and other control characters (C1's NEL ends a
    /// comment in libyaml), and what libyaml refuses to read (U+FEFF, U+FFFE, U+FFFF), become spaces.
    private static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    let value = scalar.value
                    let unsafe = value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
                        || value == 0xFEFF || value == 0xFFFE || value == 0xFFFF
                    return unsafe ? " " : scalar
                }))
    }
}
