import BerthModel

/// A `cron(…)` expression as EventBridge Scheduler and Application Auto Scaling take it: six
/// fields (minutes, hours, day of the month, month, day of the week, year), each a list of
/// values, ranges and steps within its own range, with `?` in exactly one of the two day fields,
/// and `L`, `W` and `#` where AWS's documentation allows them.
enum CronExpression {
    private struct Field {
        enum Kind { case minutes, hours, dayOfMonth, month, dayOfWeek, year }
        let kind: Kind
        let name: String
        let range: ClosedRange<Int>
        /// Names that stand for the range's values in order (`JAN` is 1), in any case.
        var names: [String] = []

        func value(_ text: Substring) -> Int? {
            if let number = DecimalText.value(text), range.contains(number) { return number }
            return names.firstIndex { CronExpression.equalsIgnoringCase(text, $0) }.map { $0 + range.lowerBound }
        }

        var valuesText: String {
            "\(range.lowerBound)-\(range.upperBound)" + (names.isEmpty ? "" : " or \(names[0])-\(names[names.count - 1])")
        }
    }

    private static let fields = [
        Field(kind: .minutes, name: "minutes", range: 0...59), Field(kind: .hours, name: "hours", range: 0...23),
        Field(kind: .dayOfMonth, name: "day-of-month", range: 1...31),
        Field(kind: .month, name: "month", range: 1...12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        Field(kind: .dayOfWeek, name: "day-of-week", range: 1...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
        Field(kind: .year, name: "year", range: 1970...2199),
    ]

    /// Whether `text` is `upper` (uppercase ASCII) in any case, by bytes: no string is made (and
    /// no `zip`, whose generic iterator the runtime would make on first use).
    private static func equalsIgnoringCase(_ text: Substring, _ upper: String) -> Bool {
        guard text.utf8.count == upper.utf8.count else { return false }
        var wanted = upper.utf8.makeIterator()
        for byte in text.utf8 {
            guard let letter = wanted.next(), byte == letter || (letter >= UInt8(ascii: "A") && byte == letter + 32) else { return false }
        }
        return true
    }

    /// Whether AWS takes `text`: its shape (`cron(…)`, six fields of the characters cron takes,
    /// `?` in exactly one of the two day fields and nowhere else) and every field's values.
    static func isValid(_ text: String) -> Bool {
        guard let parts = shapedFields(of: text) else { return false }
        return valueProblem(of: parts) == nil
    }

    /// What is wrong with the values of a cron expression of the right shape (`minutes: 60 is not
    /// one of 0-59`); `nil` when they are right, or the shape is not (which the callers' own
    /// words describe).
    static func valueProblem(_ text: String) -> String? {
        shapedFields(of: text).flatMap(valueProblem(of:))
    }

    /// For a `cron(…)` or `rate(…)` whose parts are not separated by single spaces, the
    /// expression spaced as AWS takes it; `nil` for any other text.
    static func spacingProblem(_ text: String) -> String? {
        guard text.hasPrefix("rate(") || text.hasPrefix("cron("), text.hasSuffix(")"), case let inner = text.dropFirst(5).dropLast(),
            inner.first == " " || inner.last == " " || inner.contains("  ")
        else { return nil }
        return "separate its parts by single spaces: \(text.prefix(5))\(inner.split(separator: " ").joined(separator: " ")))"
    }

    private static func valueProblem(of parts: [Substring]) -> String? {
        for (index, part) in parts.enumerated() where part != "?" {
            let field = fields[index]
            let items = part.split(separator: ",", omittingEmptySubsequences: false)
            for item in items {
                if let problem = problem(of: item, in: field) { return "\(field.name): \(problem)" }
            }
            // AWS's reference: with #, the day-of-week field holds that one expression only.
            if field.kind == .dayOfWeek, items.count > 1, part.utf8.contains(UInt8(ascii: "#")) {
                return "\(field.name): \(part): an item with # is the field's only one (3#1,6#3 is two expressions, which AWS refuses)"
            }
        }
        return neverFires(parts)
    }

    /// The days of each month in a leap year.
    private static let monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// A day of the month that none of the months named has (`30 FEB`, `31 APR,JUN`, the
    /// weekday nearest `30W` in February), or 29 February in years of which none is a leap year
    /// (`29 2 ? 2027`): AWS takes the expression, and the schedule never fires.
    private static func neverFires(_ parts: [Substring]) -> String? {
        let dayItem = parts[2].utf8.last.map { $0 & ~0x20 } == UInt8(ascii: "W") ? parts[2].dropLast() : parts[2]
        guard let day = DecimalText.value(dayItem) else { return nil }
        var longest = 0
        for item in parts[3].split(separator: ",") {
            guard let month = fields[3].value(item) else { return nil }  // a range, a step or *
            longest = max(longest, monthLengths[month - 1])
        }
        if day > longest {
            return "day-of-month: \(parts[2]) is in none of the months named (\(parts[3]) has at most \(longest) days), so the schedule never fires"
        }
        guard day == 29, longest == 29, let years = years(parts[5]), !years.isEmpty, !years.contains(where: isLeapYear) else { return nil }
        return "day-of-month: \(parts[2]) of February is in none of the years named (\(parts[5]) holds no leap year), so the schedule never fires"
    }

    /// The years a year field names when it lists years and ranges of them only; `nil` for `*`
    /// or a step.
    private static func years(_ field: Substring) -> [Int]? {
        var years: [Int] = []
        for item in field.split(separator: ",") {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let start = fields[5].value(bounds[0]), let end = fields[5].value(bounds[bounds.count - 1]),
                start <= end
            else { return nil }
            years += Array(start...end)
        }
        return years
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The six fields of `text` when it has a cron expression's shape; `nil` when not. Split by
    /// bytes: the fields are ASCII, and the split needs no character boundaries.
    private static func shapedFields(of text: String) -> [Substring]? {
        guard text.hasPrefix("cron("), text.hasSuffix(")") else { return nil }
        // Fields separated by single spaces, as AWS writes them: another spacing is refused, not
        // passed on as written (nor would two spellings of one schedule be seen as the same).
        let parts = text.utf8.dropFirst(5).dropLast().split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { Substring($0) }
        guard parts.count == 6, !parts.contains(where: \.isEmpty) else { return nil }
        for (index, part) in parts.enumerated() {
            guard part.utf8.allSatisfy(FargateService.Autoscaling.isCronFieldByte) else { return nil }
            if ![2, 4].contains(index) && part.utf8.contains(UInt8(ascii: "?")) { return nil }
        }
        return (parts[2] == "?") != (parts[4] == "?") ? parts : nil
    }

    /// What is wrong with one item of a field's list.
    private static func problem(of item: Substring, in field: Field) -> String? {
        guard !item.isEmpty else { return "an empty item" }
        let last = item.utf8.last.map { $0 & ~0x20 }  // an ASCII letter in upper case
        switch field.kind {
        case .dayOfMonth where equalsIgnoringCase(item, "L") || equalsIgnoringCase(item, "LW"):
            return nil
        case .dayOfMonth where last == UInt8(ascii: "W"):
            return field.value(item.dropLast()) == nil ? "\(item): W follows a day of the month (\(field.valuesText))" : nil
        case .dayOfWeek where equalsIgnoringCase(item, "L"):
            return nil
        case .dayOfWeek where last == UInt8(ascii: "L"):
            return field.value(item.dropLast()) == nil ? "\(item): L follows a day of the week (\(field.valuesText))" : nil
        case .dayOfWeek where item.utf8.contains(UInt8(ascii: "#")):
            let sides = item.split(separator: "#", omittingEmptySubsequences: false)
            guard sides.count == 2, field.value(sides[0]) != nil, let nth = DecimalText.value(sides[1]), (1...5).contains(nth) else {
                return "\(item): # goes between a day of the week and its week of the month (1-5), as in 2#1"
            }
            return nil
        case .dayOfWeek where item.utf8.contains(UInt8(ascii: "/")):
            // AWS's reference lists , - * ? L # for the day of the week, and no step.
            return "\(item): the day of the week takes no / (list the days: MON,WED,FRI)"
        default:
            break
        }
        let stepped = item.split(separator: "/", omittingEmptySubsequences: false)
        guard stepped.count <= 2 else { return "\(item) holds more than one /" }
        if stepped.count == 2 {
            guard let step = DecimalText.value(stepped[1]), (1...field.range.upperBound).contains(step) else {
                return "\(item): the step after / is a whole number from 1 to \(field.range.upperBound)"
            }
        }
        let base = stepped[0]
        if base == "*" { return nil }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { return "\(item) holds more than one -" }
        for bound in bounds where field.value(bound) == nil {
            return "\(bound.isEmpty ? "an empty value" : String(bound)) is not one of \(field.valuesText)"
        }
        // Years do not wrap around as the days of a week do.
        if field.kind == .year, bounds.count == 2, let start = field.value(bounds[0]), let end = field.value(bounds[1]), start > end {
            return "\(item) ends before it starts, so the schedule never fires"
        }
        return nil
    }
}
