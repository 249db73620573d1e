import ArgumentParser
import BerthModel

/// A duration on the command line: `90s`, `10m`, `1h30m`, or plain seconds; at most a year.
struct DurationArgument: ExpressibleByArgument, Sendable, Hashable {
    /// The longest duration taken: beyond it, a wait is a mistake, and deadlines computed from
    /// it could overflow.
    static let maximumSeconds = 366 * 24 * 3600

    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        guard let seconds = Self.seconds(argument) else { return nil }
        duration = .seconds(seconds)
    }

    private static func seconds(_ argument: String) -> Int? {
        if let seconds = Int(argument) { return (0...maximumSeconds).contains(seconds) ? seconds : nil }
        var total = 0
        var number = ""
        for character in argument {
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number), value <= maximumSeconds else { return nil }
            let unit: Int
            switch character {
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            default: return nil
            }
            total += value * unit
            guard total <= maximumSeconds else { return nil }
            number = ""
        }
        guard number.isEmpty, !argument.isEmpty else { return nil }
        return total
    }

    /// How the default reads in `--help`: `30m`, not the type's name.
    var defaultValueDescription: String { DurationText.text(duration) }

    static var defaultCompletionKind: CompletionKind { .default }
}
