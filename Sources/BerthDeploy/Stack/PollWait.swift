/// Waits between polls of one operation on a `PollSchedule`, and gives up at a deadline.
struct PollWait: Sendable {
    let schedule: PollSchedule
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    /// The whole time allowed, for the error.
    let timeout: Duration
    private var poll = 0

    init(
        schedule: PollSchedule, timeout: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.schedule = schedule
        self.timeout = timeout
        self.sleep = sleep
        self.now = now
        self.deadline = now() + timeout
    }

    /// The same deadline, with the schedule started again (fast polls first) for a new wait.
    var restarted: PollWait {
        var wait = self
        wait.poll = 0
        return wait
    }

    /// Sleeps before the next poll of `stack`, or throws `DeployError.timedOut` (naming what it
    /// was waiting on, `status`) when that poll would come after the deadline.
    mutating func pause(stack: String, status: String?) async throws {
        let delay = schedule.delay(beforePoll: poll)
        poll += 1
        guard now() + delay <= deadline else { throw DeployError.timedOut(stack: stack, status: status, waited: timeout) }
        try await sleep(delay)
    }
}
