import BerthAWS
import Foundation

/// Runs one task of a job and waits for it: RunTask, then DescribeTasks until it stops, with the
/// container's log lines shown as they come; StopTask when it takes too long or is interrupted.
/// The container's exit code decides: 0 is success when the task stopped because the container
/// finished (ECS's `stopCode`), anything else `JobRunError.failed`.
public struct JobRunner: Sendable {
    let ecs: ECSClient
    let logs: LogsClient
    /// Where each log line goes as it comes.
    let show: @Sendable (String) -> Void
    /// How long to wait before each look at the task: fast at first, then every few seconds.
    let schedule: PollSchedule
    let clock: PollClock
    /// How many of the last log lines a failure shows.
    static let lastLineCount = 20

    public init(
        ecs: ECSClient, logs: LogsClient, show: @escaping @Sendable (String) -> Void, schedule: PollSchedule = PollSchedule(), clock: PollClock = .system
    ) {
        self.ecs = ecs
        self.logs = logs
        self.show = show
        self.schedule = schedule
        self.clock = clock
    }

    /// Starts `run` and waits until its task stops; the outcome of a run that exited 0.
    public func run(_ run: JobRun) async throws -> JobOutcome {
        // Each run's tasks are started by a name of their own, so that one whose RunTask answer
        // was lost can be found (ListTasks' startedBy filter).
        let hex = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let startedBy = "berth-" + String(repeating: "0", count: 8 - hex.count) + hex
        let request = ECSClient.RunTaskRequest(
            cluster: run.cluster, taskDefinition: run.taskDefinition, subnets: run.subnets, securityGroups: run.securityGroups,
            assignPublicIp: run.assignPublicIp, startedBy: startedBy, container: run.container, command: run.command)
        let started: (task: ECSClient.Task?, failures: [ECSClient.Failure])
        do {
            started = try await ecs.runTask(request)
        } catch let error as AWSServiceError where Self.refusalsThatStartNoTask.contains(error.code) {
            // The request itself refused (denied, a subnet or cluster gone, an invalid parameter):
            // no try of it started a task.
            throw JobRunError.neverRan(job: run.job, taskArn: nil, reason: "RunTask was refused: \(error.summary)")
        } catch {
            // Any other failure (no answer, throttled or expired credentials on a later try, Ctrl-C
            // between tries) may follow a try that started a task: stopped, never left running unwatched.
            throw await stopLostStart(of: run, startedBy: startedBy, after: error)
        }
        guard let task = started.task, let taskArn = task.taskArn else {
            let reasons = started.failures.map { ServerText.line([$0.reason, $0.detail].compactMap { $0 }.joined(separator: ": ")) }
            throw JobRunError.neverRan(
                job: run.job, taskArn: nil, reason: reasons.isEmpty ? "RunTask started no task and gave no reason" : reasons.joined(separator: "; "))
        }
        show("\(run.job): started task \(Self.id(taskArn))")
        let deadline = clock.now() + run.timeout
        var tail = LogFollower(run: run, taskID: Self.id(taskArn), logs: logs)
        var poll = 0
        var missing = 0
        do {
            while true {
                try await clock.sleep(schedule.delay(beforePoll: poll))
                poll += 1
                let current = try await ecs.describeTasks(cluster: run.cluster, tasks: [taskArn]).first
                // ECS may not know a task it just started for a moment (MISSING among the
                // failures); one it never finds again is not waited for until --timeout.
                missing = current == nil ? missing + 1 : 0
                if missing >= Self.missingPolls { throw TaskMissing(taskArn: taskArn, polls: missing) }
                for line in await tail.newLines() { show(line) }
                if current?.lastStatus == "STOPPED" {
                    // The last lines may reach CloudWatch Logs a moment after the task stops.
                    for line in await tail.newLines() { show(line) }
                    let outcome = try outcome(of: current, arn: taskArn, run: run, lastLines: tail.lastLines)
                    try await checkOtherEssentialContainers(of: current, outcome: outcome, run: run)
                    return outcome
                }
                if clock.now() >= deadline {
                    let stopped = (try? await ecs.stopTask(
                        cluster: run.cluster, task: taskArn, reason: "berth: \(run.job) took longer than \(JobRunError.text(run.timeout))")) != nil
                    throw JobRunError.timedOut(job: run.job, taskArn: taskArn, after: run.timeout, stopped: stopped)
                }
            }
        } catch let error as JobRunError {
            throw error
        } catch {
            // Stopped rather than left running unwatched: a task nobody follows (a migration,
            // say) would still be running when the deploy is tried again. An unstructured task
            // does not inherit a cancellation, so StopTask goes out even after Ctrl-C.
            let ecs = self.ecs
            let interrupted = Task.isCancelled || error is CancellationError
            let stopped = (try? await Task {
                try await ecs.stopTask(cluster: run.cluster, task: taskArn, reason: interrupted ? "berth: interrupted or out of time" : "berth: lost track of the task")
            }.value) != nil
            if interrupted { throw JobRunError.interrupted(job: run.job, taskArn: taskArn, stopped: stopped) }
            throw JobRunError.lostTrack(job: run.job, taskArn: taskArn, cause: error, stopped: stopped)
        }
    }

    /// What a RunTask that failed without saying it started nothing leaves: the task it started
    /// anyway, found by `startedBy` and stopped (`lostTrack`, or `interrupted` after Ctrl-C).
    /// ListTasks is asked three times, a second apart (ECS lists a task it just started a moment
    /// later); none found, `error` goes on, saying how to look (`UnconfirmedRunTask`). Outside
    /// the caller's task, so that a Ctrl-C does not cancel the cleaning up.
    private func stopLostStart(of run: JobRun, startedBy: String, after error: any Error) async -> any Error {
        let interrupted = Task.isCancelled || error is CancellationError
        let (ecs, clock) = (self.ecs, self.clock)
        let (found, looked) = await Task { () -> ([String: Bool], Bool) in
            var looked = false
            for attempt in 0..<3 {
                if attempt > 0 { try? await clock.sleep(.seconds(1)) }
                // startedBy must be ListTasks' only filter; the tasks listed are those still to run or running.
                guard let arns = try? await ecs.listTasks(cluster: run.cluster, startedBy: startedBy).collect() else { continue }
                looked = true
                guard !arns.isEmpty else { continue }
                var stopped: [String: Bool] = [:]
                for arn in arns {
                    let reason = interrupted ? "berth: interrupted or out of time" : "berth: lost RunTask's answer"
                    stopped[arn] = (try? await ecs.stopTask(cluster: run.cluster, task: arn, reason: reason)) != nil
                }
                return (stopped, true)
            }
            return ([:], looked)
        }.value
        guard let (taskArn, stopped) = found.sorted(by: { $0.key < $1.key }).first else {
            return interrupted ? error : UnconfirmedRunTask(cause: error, cluster: run.cluster, startedBy: startedBy, looked: looked)
        }
        if interrupted { return JobRunError.interrupted(job: run.job, taskArn: taskArn, stopped: stopped) }
        return JobRunError.lostTrack(job: run.job, taskArn: taskArn, cause: error, stopped: stopped)
    }

    /// RunTask failed without saying it started nothing, and no task it started was found.
    struct UnconfirmedRunTask: Error, CustomStringConvertible {
        let cause: any Error
        let cluster: String
        let startedBy: String
        /// Whether ListTasks answered (no task listed), or could not be asked.
        let looked: Bool

        var description: String {
            "\(cause); \(looked ? "no task it started is listed" : "whether it started a task could not be looked up"), "
                + "should one start late, see it with aws ecs list-tasks --cluster \(cluster) --started-by \(startedBy)"
        }
    }

    /// RunTask's errors that say the request itself is refused, whichever try answered them.
    static let refusalsThatStartNoTask: Set<String> = [
        "AccessDeniedException", "InvalidParameterException", "ClientException", "ClusterNotFoundException", "PlatformUnknownException",
        "PlatformTaskDefinitionIncompatibilityException", "UnsupportedFeatureException", "BlockedException",
    ]

    /// How many polls in a row may find no task before Berth gives up following it.
    static let missingPolls = 10

    /// DescribeTasks did not find the task, `polls` times in a row.
    struct TaskMissing: Error, CustomStringConvertible {
        let taskArn: String
        let polls: Int
        var description: String { "ECS did not find task \(taskArn) in \(polls) DescribeTasks in a row" }
    }

    private func outcome(of task: ECSClient.Task?, arn: String, run: JobRun, lastLines: [String]) throws -> JobOutcome {
        let container = task?.containers?.first { $0.name == run.container } ?? task?.containers?.first
        let outcome = JobOutcome(taskArn: arn, exitCode: container?.exitCode, stoppedReason: task?.stoppedReason, lastLines: lastLines)
        guard let code = container?.exitCode else {
            let reason = [container?.reason, task?.stoppedReason].compactMap { $0 }.map(ServerText.line).joined(separator: "; ")
            throw JobRunError.neverRan(job: run.job, taskArn: arn, reason: reason.isEmpty ? "the container never started" : reason)
        }
        guard code == 0 else { throw JobRunError.failed(job: run.job, outcome: outcome) }
        // Exit 0 counts only when the task stopped because its container was done: a task stopped
        // by someone's StopTask or a scale-in (ECS's stopCode) sends SIGTERM, which many programs
        // answer with 0, midway through a migration.
        if let stopCode = task?.stopCode, stopCode != "EssentialContainerExited" {
            let reason = "\(stopCode): \(task?.stoppedReason ?? "no reason given")"
            throw JobRunError.failed(
                job: run.job, outcome: JobOutcome(taskArn: arn, exitCode: code, stoppedReason: reason, lastLines: lastLines))
        }
        return outcome
    }

    /// Exit codes a container has when ECS stops it (SIGTERM, then SIGKILL) because another
    /// essential container exited: its own ending, not a failure.
    static let stoppedByECSExitCodes: Set<Int> = [0, 137, 143]

    /// A task stopped because an essential container exited, with the job's container at 0: the
    /// job's container may only have answered ECS's SIGTERM, midway, after an essential sidecar
    /// (a database proxy) failed. The run failed when another container the task definition calls
    /// essential exited with any other code.
    private func checkOtherEssentialContainers(of task: ECSClient.Task?, outcome: JobOutcome, run: JobRun) async throws {
        guard let task, task.stopCode == "EssentialContainerExited" else { return }
        let failed = (task.containers ?? []).filter { container in
            container.name != run.container && container.exitCode.map { !Self.stoppedByECSExitCodes.contains($0) } ?? false
        }
        guard !failed.isEmpty else { return }
        let definition: ECSClient.TaskDefinition?
        do {
            definition = try await ecs.describeTaskDefinition(task.taskDefinitionArn ?? run.taskDefinition)
        } catch {
            if error is CancellationError || Task.isCancelled { throw error }
            // Not a task lost track of (it stopped): the run is failed, saying what is not known.
            let sidecar = failed[0]
            let reason = "container \(sidecar.name ?? "?") exited \(sidecar.exitCode ?? -1) and stopped the task; whether it is essential "
                + "could not be read (DescribeTaskDefinition: \(error)), so the run is not taken as a success"
            throw JobRunError.failed(
                job: run.job, outcome: JobOutcome(taskArn: outcome.taskArn, exitCode: sidecar.exitCode, stoppedReason: reason, lastLines: outcome.lastLines))
        }
        // A container the task definition does not mark is essential, as ECS reads it.
        let essential = Set((definition?.containerDefinitions ?? []).filter { $0.essential ?? true }.compactMap(\.name))
        guard let sidecar = failed.first(where: { $0.name.map(essential.contains) ?? false }) else { return }
        let reason = "essential container \(sidecar.name ?? "?") exited \(sidecar.exitCode ?? -1)"
            + (task.stoppedReason.map { ": \(ServerText.line($0))" } ?? "")
        throw JobRunError.failed(
            job: run.job, outcome: JobOutcome(taskArn: outcome.taskArn, exitCode: sidecar.exitCode, stoppedReason: reason, lastLines: outcome.lastLines))
    }

    static func id(_ arn: String) -> String { arn.split(separator: "/").last.map(String.init) ?? arn }
}
