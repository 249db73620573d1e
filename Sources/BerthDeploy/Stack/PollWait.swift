/// Waits between polls of one operation on a `PollSchedule`, and gives up at a deadline.
struct PollWait: Sendable {
    let schedule: PollSchedule
    let clock: PollClock
    let deadline: ContinuousClock.Instant
    /// The whole time allowed, for the error.
    let timeout: Duration
    private var poll = 0

    init(schedule: PollSchedule, timeout: Duration, clock: PollClock) {
        self.schedule = schedule
        self.timeout = timeout
        self.clock = clock
        self.deadline = clock.now() + timeout
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
        guard clock.now() + delay <= deadline else { throw DeployError.timedOut(stack: stack, status: status, waited: timeout) }
        try await clock.sleep(delay)
    }
}
