import Foundation

/// The shared `credentials` and `config` files of the AWS CLI, read as the CLI reads them:
/// `[name]` sections in `credentials`, `[profile name]` (and `[default]`) in `config`; a
/// setting is `key = value` or `key: value`.
public struct SharedConfigFiles: Sendable {
    /// Settings per profile; a key in `credentials` wins over the same key in `config`.
    public let profiles: [String: [String: String]]
    public let credentialsPath: String
    public let configPath: String
    /// What makes a file unusable (it cannot be read, or names a section or a key twice, which
    /// the AWS CLI refuses too), named by file and line: the profiles hold what could be read,
    /// but no credentials or region should be taken from them while there is a problem.
    public let problems: [String]

    /// Reads the files that the environment names (`AWS_SHARED_CREDENTIALS_FILE`,
    /// `AWS_CONFIG_FILE`), or `~/.aws/credentials` and `~/.aws/config`. Missing files are empty.
    public init(environment: [String: String]) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        credentialsPath = environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.aws/credentials"
        configPath = environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.aws/config"
        var profiles: [String: [String: String]] = [:]
        var problems: [String] = []
        for (path, isConfigFile) in [(configPath, true), (credentialsPath, false)] {
            let parsed: Parsed
            do {
                parsed = Self.parse(try Self.read(path), isConfigFile: isConfigFile)
            } catch {
                problems.append("the AWS \(isConfigFile ? "config" : "credentials") file \(path) \(error.problem)")
                continue
            }
            problems += parsed.problems.map { "\(path):\($0)" }
            for (name, settings) in parsed.profiles {
                profiles[name, default: [:]].merge(settings) { _, new in new }
            }
        }
        self.profiles = profiles
        self.problems = problems
    }

    /// The profile a command uses: `given` (`--profile`), else `AWS_PROFILE`, else `default`;
    /// an empty name counts as none.
    public static func profileName(given: String?, environment: [String: String]) -> String {
        given.flatMap { $0.isEmpty ? nil : $0 } ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The file's text; a missing file is empty. A file that is there but cannot be read (a
    /// directory, no permission, over 16 MiB) is an error: taking it for empty would sign with
    /// other credentials without a word.
    private static func read(_ path: String) throws(RegularFileError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: 16 << 20)
        } catch where error.reason == .missing {
            return ""
        }
        // A byte-order mark, as some Windows editors write, is not part of the first line.
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return String(decoding: text, as: UTF8.self)
    }

    /// Profiles and problems (`line: what`) of one file.
    struct Parsed {
        var profiles: [String: [String: String]] = [:]
        var problems: [String] = []
    }

    /// Parses INI text into profile → settings. In the config file, `[profile x]` names profile
    /// `x`; `[default]` is `default` in both. A key is split from its value at the first `=` or
    /// `:`, as Python's configparser (the CLI's reader) splits it; a line indented deeper than the
    /// key above it continues that key's value (a nested setting such as `s3 =` with its indented
    /// keys) and is skipped.
    static func parse(_ text: String, isConfigFile: Bool) -> Parsed {
        var parsed = Parsed()
        /// The current section's profile (`nil` in a section that is not a profile), the indent of
        /// its last key, and where each section header and key was first seen.
        var current: String?
        var keyIndent: Int?
        var sectionLines: [String: Int] = [:]
        var keyLines: [String: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let indent = rawLine.prefix { $0 == " " || $0 == "\t" }.count
            if let keyIndent, indent > keyIndent { continue }
            // A section header is `[` to the last `]`, as configparser matches it: what follows
            // (`[prod]  # production`) is not part of it.
            if line.hasPrefix("["), let close = line.lastIndex(of: "]"), close > line.startIndex {
                let raw = String(line[line.index(after: line.startIndex)..<close])
                keyIndent = nil
                keyLines = [:]
                if let first = sectionLines[raw] {
                    parsed.problems.append("\(number): section [\(raw)] is there twice (first on line \(first)); merge them into one")
                } else {
                    sectionLines[raw] = number
                }
                var name = raw.trimmingCharacters(in: .whitespaces)
                if isConfigFile {
                    if name.hasPrefix("profile ") {
                        name = String(name.dropFirst("profile ".count)).trimmingCharacters(in: .whitespaces)
                    } else if name != "default" {
                        current = nil  // [sso-session x], [services x]: not profiles
                        continue
                    }
                }
                current = name
                parsed.profiles[name, default: [:]] = parsed.profiles[name, default: [:]]
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            if let first = keyLines[key] {
                parsed.problems.append("\(number): \(key) is set twice in its section (first on line \(first)); keep one")
                continue
            }
            keyLines[key] = number
            keyIndent = indent
            guard let current else { continue }
            parsed.profiles[current, default: [:]][key] = value
        }
        return parsed
    }
}
