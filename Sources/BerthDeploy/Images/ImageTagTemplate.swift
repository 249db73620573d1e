import BerthAWS
import Foundation

/// How `berth tag` names an image: a template such as `{env}-{timestamp}-{sha8}` (the default)
/// or `{sha7}`, filled from the commit, the time (UTC) and the CI run.
///
/// Placeholders: `{env}`, `{sha}` (the whole commit), `{sha7}`, `{sha8}`, `{sha12}`, `{date}`
/// (`YYYYMMDD`), `{time}` (`HHMMSS`), `{timestamp}` (`YYYYMMDD-HHMMSS`), `{run}` (the CI run
/// number). The result must be a Docker tag that does not move, new for each commit or build (an
/// immutable tag is pushed once), and, for an environment, start with the environment's prefix
/// (`dev-`) so that its lifecycle rule counts it.
public struct ImageTagTemplate: Sendable, Hashable {
    /// `{env}-{YYYYMMDD-HHMMSS}-{sha8}`, spelled with placeholders.
    public static let standard = ImageTagTemplate("{env}-{timestamp}-{sha8}")

    public let text: String

    public init(_ text: String) { self.text = text }

    /// What fills the placeholders.
    public struct Values: Sendable, Hashable {
        public var environment: String?
        /// The commit, 40 (or 64) hexadecimal digits.
        public var commit: String
        public var time: Date
        public var run: String?

        public init(environment: String?, commit: String, time: Date, run: String?) {
            self.environment = environment
            self.commit = commit
            self.time = time
            self.run = run
        }
    }

    /// Why a template cannot make a tag.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownPlaceholder(String)
        case unclosedPlaceholder
        /// `{env}` without an environment.
        case missingEnvironment
        /// `{run}` without a run number (GitHub Actions sets `GITHUB_RUN_NUMBER`).
        case missingRunNumber
        /// `{run}` from a run number that is not one: GitHub's are whole numbers from 1.
        case notARunNumber(String)
        case notACommit(String)
        case missingPrefix(tag: String, prefix: String)
        case invalid(ImageGateError)
        /// No placeholder that changes from commit to commit (`{env}-web`, `{env}-{date}`): the
        /// second commit's push would meet the first's immutable tag.
        case sameForEveryCommit

        public var description: String {
            switch self {
            case .unknownPlaceholder(let name):
                "unknown placeholder {\(name)}; use {env}, {sha}, {sha7}, {sha8}, {sha12}, {date}, {time}, {timestamp} or {run}"
            case .unclosedPlaceholder: "a { has no closing }"
            case .missingEnvironment: "{env} has no value: name the environment"
            case .missingRunNumber: "{run} has no value: set GITHUB_RUN_NUMBER (GitHub Actions sets it)"
            case .notARunNumber(let run):
                "{run} is \"\(run.prefix(64))\" (GITHUB_RUN_NUMBER), not a run number: expected digits, as GitHub Actions sets it"
            case .notACommit(let commit): "\"\(commit)\" is not a commit: expected 40 hexadecimal digits (64 in a SHA-256 repository)"
            case .missingPrefix(let tag, let prefix):
                "\(tag) does not start with \(prefix): the environment's lifecycle rule counts only tags that do; start the template with {env}-"
            case .invalid(let error): "\(error)"
            case .sameForEveryCommit:
                "the format makes the same tag for every commit, and an immutable tag is pushed once: "
                    + "add {sha8} or {timestamp} so that each commit's image gets a tag of its own"
            }
        }
    }

    /// The tag, checked: Docker's grammar, not a moving name, the environment's prefix.
    public func tag(_ values: Values) throws(Problem) -> ImageTag {
        let commit = values.commit.lowercased()
        guard [40, 64].contains(commit.count), commit.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { throw .notACommit(values.commit) }
        let utc = UTCDateComponents(values.time)
        var output = ""
        var rest = Substring(text)
        var varying: Set<String> = []
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { throw .unclosedPlaceholder }
            let name = String(rest[rest.index(after: open)..<close])
            varying.insert(name)
            switch name {
            case "env":
                guard let environment = values.environment else { throw .missingEnvironment }
                output += environment
            case "sha": output += commit
            case "sha7": output += commit.prefix(7)
            case "sha8": output += commit.prefix(8)
            case "sha12": output += commit.prefix(12)
            case "date": output += utc.compactDay
            case "time": output += utc.compactTime
            case "timestamp": output += "\(utc.compactDay)-\(utc.compactTime)"
            case "run":
                guard let run = values.run, !run.isEmpty else { throw .missingRunNumber }
                guard run.utf8.count <= 20, run.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), !run.hasPrefix("0") else {
                    throw .notARunNumber(run)
                }
                output += run
            default: throw .unknownPlaceholder(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        if let environment = values.environment, !output.hasPrefix("\(environment)-") {
            throw .missingPrefix(tag: output, prefix: "\(environment)-")
        }
        let tag: ImageTag
        do {
            tag = try ImageTag(output)
        } catch {
            throw .invalid(error)
        }
        guard !varying.isDisjoint(with: ["sha", "sha7", "sha8", "sha12", "run", "timestamp"]) || varying.isSuperset(of: ["date", "time"]) else {
            throw .sameForEveryCommit
        }
        return tag
    }
}
