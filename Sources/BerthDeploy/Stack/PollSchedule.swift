/// How long to wait between polls of a stack: fast at first, so that a quick deploy is noticed
/// within about half a second, then slower, so that a long one makes about one call per second
/// or fewer, with jitter so that parallel deploys do not poll in step.
public struct PollSchedule: Sendable {
    public var delays: [Duration]
    public var jitter: Double
    public var random: @Sendable () -> Double

    public init(
        delays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(1), .seconds(2), .seconds(2), .seconds(3), .seconds(5)],
        jitter: Double = 0.2, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.delays = delays
        self.jitter = jitter
        self.random = random
    }

    /// The wait before poll number `poll` (0 for the first); the last delay repeats.
    public func delay(beforePoll poll: Int) -> Duration {
        guard let last = delays.last else { return .seconds(1) }
        let base = poll < delays.count ? delays[poll] : last
        return base * (1 - jitter + 2 * jitter * random())
    }
}
