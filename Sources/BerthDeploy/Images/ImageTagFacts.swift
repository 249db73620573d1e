import Foundation

/// What a tag made by an `ImageTagTemplate` tells about its build: the start of the commit
/// (`{sha8}`, …) and the time `berth tag` ran, in UTC (`{timestamp}`, or `{date}` and `{time}`).
public struct ImageTagFacts: Sendable, Hashable {
    /// The commit or its first digits, lowercase.
    public var commitPrefix: String?
    public var time: Date?

    /// Reads `tag` as `template` would have made it; `nil` when it does not fit the template.
    public init?(_ tag: String, template: ImageTagTemplate) {
        var pattern = "^"
        var groups: [String] = []
        var rest = Substring(template.text)
        while let open = rest.firstIndex(of: "{") {
            pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open]))
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            let name = String(rest[rest.index(after: open)..<close])
            switch name {
            case "env": pattern += "([a-z0-9][a-z0-9-]*?)"
            case "sha": pattern += "([0-9a-f]{64}|[0-9a-f]{40})"
            case "sha7": pattern += "([0-9a-f]{7})"
            case "sha8": pattern += "([0-9a-f]{8})"
            case "sha12": pattern += "([0-9a-f]{12})"
            case "date": pattern += "([0-9]{8})"
            case "time": pattern += "([0-9]{6})"
            case "timestamp": pattern += "([0-9]{8}-[0-9]{6})"
            case "run": pattern += "([0-9]+)"
            default: return nil
            }
            groups.append(name)
            rest = rest[rest.index(after: close)...]
        }
        pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        guard let expression = try? NSRegularExpression(pattern: pattern),
            let match = expression.firstMatch(in: tag, range: NSRange(tag.startIndex..., in: tag))
        else { return nil }
        var values: [String: String] = [:]
        for (index, name) in groups.enumerated() {
            guard let range = Range(match.range(at: index + 1), in: tag) else { continue }
            values[name] = String(tag[range])
        }
        commitPrefix = ["sha", "sha12", "sha8", "sha7"].lazy.compactMap { values[$0] }.first
        let stamp = values["timestamp"].map { $0.split(separator: "-").map(String.init) } ?? [values["date"], values["time"]].compactMap { $0 }
        if stamp.count == 2 { time = Self.date(day: stamp[0], time: stamp[1]) }
    }

    /// `20261122` and `093000`, in UTC.
    private static func date(day: String, time: String) -> Date? {
        let digits = Array(day + time)
        guard digits.count == 14 else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(digits[range])) }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        components.year = number(0..<4)
        components.month = number(4..<6)
        components.day = number(6..<8)
        components.hour = number(8..<10)
        components.minute = number(10..<12)
        components.second = number(12..<14)
        guard components.isValidDate, let date = components.date else { return nil }
        return date
    }
}
