import Foundation

/// The shared `credentials` and `config` files of the AWS CLI, read as the CLI reads them:
/// `[name]` sections in `credentials`, `[profile name]` (and `[default]`) in `config`.
public struct SharedConfigFiles: Sendable {
    /// Settings per profile; a key in `credentials` wins over the same key in `config`.
    public let profiles: [String: [String: String]]
    public let credentialsPath: String
    public let configPath: String

    /// Reads the files that the environment names (`AWS_SHARED_CREDENTIALS_FILE`,
    /// `AWS_CONFIG_FILE`), or `~/.aws/credentials` and `~/.aws/config`. Missing files are empty.
    public init(environment: [String: String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        configPath = environment["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        var profiles: [String: [String: String]] = [:]
        for (name, settings) in Self.parse(Self.read(configPath), isConfigFile: true) {
            profiles[name, default: [:]].merge(settings) { _, new in new }
        }
        for (name, settings) in Self.parse(Self.read(credentialsPath), isConfigFile: false) {
            profiles[name, default: [:]].merge(settings) { _, new in new }
        }
        self.profiles = profiles
    }

    private static func read(_ path: String) -> String {
        // A missing or unusable file (a directory, a FIFO) holds no profiles; it is never waited on.
        (try? RegularFile.read(path, limit: 16 << 20)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Parses INI text into profile → settings. In the config file, `[profile x]` names profile
    /// `x`; `[default]` is `default` in both.
    static func parse(_ text: String, isConfigFile: Bool) -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if isConfigFile {
                    if name.hasPrefix("profile ") {
                        name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                    } else if name != "default" {
                        current = nil  // [sso-session x], [services x]: not profiles
                        continue
                    }
                }
                current = name
                profiles[name, default: [:]] = profiles[name, default: [:]]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            profiles[current, default: [:]][key] = value
        }
        return profiles
    }
}
