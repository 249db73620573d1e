import ArgumentParser
import BerthModel

/// A `--timeout`: a duration as `DurationArgument` reads it (`90s`, `10m`, `1h30m`, plain
/// seconds), and more than zero: a command given no time at all could only give up at once.
struct TimeoutArgument: ExpressibleByArgument, Sendable, Hashable {
    let duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        guard let read = DurationArgument(argument: argument), read.duration > .zero else { return nil }
        duration = read.duration
    }

    /// How the default reads in `--help`: `30m`, not the type's name.
    var defaultValueDescription: String { DurationText.text(duration) }

    static var defaultCompletionKind: CompletionKind { .default }
}
