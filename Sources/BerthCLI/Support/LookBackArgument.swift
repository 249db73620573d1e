import ArgumentParser
import BerthModel

/// How far back `logs --since` starts: a duration as `DurationArgument` reads it, which may
/// carry a minus (`-5m`, as CloudWatch's own consoles write "five minutes ago") meaning the same.
struct LookBackArgument: ExpressibleByArgument, Sendable, Hashable {
    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        let unsigned = argument.hasPrefix("-") ? String(argument.dropFirst()) : argument
        guard !unsigned.hasPrefix("-"), !unsigned.hasPrefix("+"), let read = DurationArgument(argument: unsigned) else { return nil }
        duration = read.duration
    }

    /// How the default reads in `--help`: `10m`, not the type's name.
    var defaultValueDescription: String { DurationText.text(duration) }

    static var defaultCompletionKind: CompletionKind { .default }
}
