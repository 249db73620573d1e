/// A duration as people write it on Berth's command line and read it in its messages: `40s`,
/// `15m`, `1h30m`, to the nearest second.
public enum DurationText {
    /// `duration` to the nearest second, in hours, minutes and seconds, the zero parts left out
    /// (`0s` for less than half a second).
    public static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let total = max(0, seconds + (attoseconds >= 500_000_000_000_000_000 ? 1 : 0))
        guard total > 0 else { return "0s" }
        let parts = [(total / 3600, "h"), (total % 3600 / 60, "m"), (total % 60, "s")].filter { $0.0 > 0 }
        return parts.map { "\($0.0)\($0.1)" }.joined()
    }
}
