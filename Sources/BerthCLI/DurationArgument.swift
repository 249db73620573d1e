import ArgumentParser

/// A duration on the command line: `90s`, `10m`, `1h30m`, or plain seconds.
struct DurationArgument: ExpressibleByArgument, Sendable, Hashable {
    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        if let seconds = Int(argument), seconds >= 0 {
            duration = .seconds(seconds)
            return
        }
        var total = 0
        var number = ""
        for character in argument {
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, !argument.isEmpty else { return nil }
        duration = .seconds(total)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
