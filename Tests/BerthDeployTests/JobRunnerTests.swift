import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// The runner when ECS answers go wrong, scripted from the API reference (RunTask, DescribeTasks,
/// StopTask; errors as `{"__type", "message"}` with HTTP 400): the task Berth started is never
/// left running unwatched without saying so.
@Suite struct JobRunnerTests {
    private let denied = #"{"__type":"AccessDeniedException","message":"not authorized"}"#
    private let started = #"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/c/0a1b2c","lastStatus":"PROVISIONING"}],"failures":[]}"#
    private let running = #"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/c/0a1b2c","lastStatus":"RUNNING"}],"failures":[]}"#
    private let stopping = #"{"task":{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/c/0a1b2c","lastStatus":"STOPPING"}}"#

    /// A runner against a server that answers each ECS operation with `answers[operation]`,
    /// and the operations it was asked for, in order.
    private func run(
        _ answers: [String: (status: Int, body: String)], timeout: Duration = .seconds(600)
    ) async throws -> (error: JobRunError?, operations: [String]) {
        let server = try TestHTTPServer { request in
            let operation = String((request.headers["x-amz-target"] ?? "").split(separator: ".").last ?? "")
            guard let answer = answers[operation] else { return .respond(status: 200, body: "{}") }
            return .respond(status: answer.status, headers: [("Content-Type", "application/x-amz-json-1.1")], body: answer.body)
        }
        defer { server.stop() }
        let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
        // Each sleep moves a clock of our own on by a minute.
        let minutes = Counter()
        let start = ContinuousClock.now
        let clock = PollClock(sleep: { _ in minutes.add() }, now: { start + .seconds(60 * minutes.value) })
        let runner = JobRunner(
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration), show: { _ in }, clock: clock)
        let job = JobRun(
            job: "migrate", cluster: "c", taskDefinition: "migrate:1", subnets: ["subnet-1"], securityGroups: ["sg-1"],
            assignPublicIp: "DISABLED", container: "migrate", logGroup: nil, timeout: timeout)
        let operations = { server.requests.compactMap { $0.headers["x-amz-target"]?.split(separator: ".").last.map(String.init) } }
        do {
            _ = try await runner.run(job)
            return (nil, operations())
        } catch let error as JobRunError {
            return (error, operations())
        }
    }

    /// A task stopped because an essential container exited, with the job's container at 0 (it
    /// answered ECS's SIGTERM): when that was an essential sidecar failing (a database proxy), the
    /// run failed; a sidecar stopped by ECS (0, 137, 143) or one the task definition does not
    /// call essential does not fail it.
    @Test func aJobWhoseEssentialSidecarFailedFails() async throws {
        func stopped(sidecarExit: Int) -> String {
            #"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/c/0a1b2c","taskDefinitionArn":"arn:aws:ecs:eu-west-1:123456789012:task-definition/migrate:1","lastStatus":"STOPPED","stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited","containers":[{"name":"migrate","exitCode":0},{"name":"proxy","exitCode":\#(sidecarExit)}]}],"failures":[]}"#
        }
        func definition(proxyEssential: Bool?) -> String {
            let flag = proxyEssential.map { #","essential":\#($0)"# } ?? ""
            return #"{"taskDefinition":{"family":"migrate","containerDefinitions":[{"name":"migrate","essential":true},{"name":"proxy"\#(flag)}]}}"#
        }
        let crashed = try await run(["RunTask": (200, started), "DescribeTasks": (200, stopped(sidecarExit: 1)), "DescribeTaskDefinition": (200, definition(proxyEssential: nil))])
        guard case .failed(let job, let outcome)? = crashed.error else { Issue.record("\(String(describing: crashed.error))"); return }
        #expect(job == "migrate" && outcome.exitCode == 1)
        #expect("\(crashed.error.map { "\($0)" } ?? "")".contains("essential container proxy exited 1"))
        // The task definition cannot be read: the run is failed, saying so, not lost track of.
        let unread = try await run(["RunTask": (200, started), "DescribeTasks": (200, stopped(sidecarExit: 1)), "DescribeTaskDefinition": (400, denied)])
        guard case .failed? = unread.error else { Issue.record("\(String(describing: unread.error))"); return }
        #expect(!unread.operations.contains("StopTask"))
        #expect("\(unread.error.map { "\($0)" } ?? "")".contains("whether it is essential could not be read"))
        for answers in [
            ["DescribeTasks": (200, stopped(sidecarExit: 143)), "DescribeTaskDefinition": (200, definition(proxyEssential: nil))],
            ["DescribeTasks": (200, stopped(sidecarExit: 1)), "DescribeTaskDefinition": (200, definition(proxyEssential: false))],
        ] {
            let fine = try await run(answers.merging(["RunTask": (200, started)]) { first, _ in first })
            #expect(fine.error == nil, "\(String(describing: fine.error))")
        }
    }

    @Test func aTaskItCannotFollowIsStoppedAndNamed() async throws {
        let result = try await run(["RunTask": (200, started), "DescribeTasks": (400, denied), "StopTask": (200, stopping)])
        guard case .lostTrack(let job, _, _, let stopped)? = result.error else { Issue.record("\(String(describing: result.error))"); return }
        #expect(job == "migrate" && stopped)
        #expect(result.operations == ["RunTask", "DescribeTasks", "StopTask"])
        #expect("\(result.error.map { "\($0)" } ?? "")".contains("Berth could not follow its task 0a1b2c, so it stopped it"))

        let unstoppable = try await run(["RunTask": (200, started), "DescribeTasks": (400, denied), "StopTask": (400, denied)])
        guard case .lostTrack(_, _, _, let stopped)? = unstoppable.error else { Issue.record("\(String(describing: unstoppable.error))"); return }
        #expect(!stopped)
        #expect("\(unstoppable.error.map { "\($0)" } ?? "")".contains("could not be stopped either and may still run"))
    }

    /// RunTask refused outright (denied: never retried) started no task: it never ran. A
    /// throttled last try may follow a try whose answer was lost, so it is not said to have
    /// started nothing: the error goes on as it is (exit 1, not 125).
    @Test func onlyARefusalThatIsNeverRetriedIsANeverRanRun() async throws {
        let refused = try await run(["RunTask": (400, denied)])
        guard case .neverRan(_, nil, let reason)? = refused.error else { Issue.record("\(String(describing: refused.error))"); return }
        #expect(reason == "RunTask was refused: AccessDeniedException: not authorized")
        #expect(refused.operations == ["RunTask"])
        await #expect {
            _ = try await run(["RunTask": (400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)])
        } throws: { error in
            // None listed under the run's startedBy: the throttling goes on, saying how to look.
            ((error as? JobRunner.UnconfirmedRunTask)?.cause as? AWSServiceError)?.code == "ThrottlingException"
        }
    }

    /// A task DescribeTasks keeps answering MISSING for (its failures, as the API reference shows
    /// them) is not waited for until the timeout: after ten polls Berth stops it and says so.
    @Test func aTaskECSNoLongerFindsIsNotWaitedForUntilTheTimeout() async throws {
        let missing = #"{"tasks":[],"failures":[{"arn":"arn:aws:ecs:eu-west-1:123456789012:task/c/0a1b2c","reason":"MISSING"}]}"#
        let result = try await run(["RunTask": (200, started), "DescribeTasks": (200, missing), "StopTask": (200, stopping)], timeout: .seconds(3600))
        guard case .lostTrack(_, _, let cause, let stopped)? = result.error else { Issue.record("\(String(describing: result.error))"); return }
        #expect(stopped && "\(cause)".contains("did not find task"))
        #expect(result.operations.filter { $0 == "DescribeTasks" }.count == JobRunner.missingPolls)
        #expect(result.operations.last == "StopTask")
    }

    /// RunTask whose every try went unanswered (500s, as a lost answer looks) may still have
    /// started the task: Berth finds it by the run's own startedBy (ListTasks' filter) and
    /// stops it, rather than leaving it running unwatched; none found, the error goes on.
    @Test func aTaskStartedByARunTaskWhoseAnswerWasLostIsFoundAndStopped() async throws {
        let arn = "arn:aws:ecs:eu-west-1:123456789012:task/c/0a1b2c"
        let bodies = Bodies()
        for startsOne in [true, false] {
            let server = try TestHTTPServer { request in
                let operation = String((request.headers["x-amz-target"] ?? "").split(separator: ".").last ?? "")
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
                bodies.add(operation, body)
                let json = [("Content-Type", "application/x-amz-json-1.1")]
                switch operation {
                case "RunTask": return .respond(status: 500, headers: json, body: #"{"__type":"ServerException","message":"internal error"}"#)
                case "ListTasks": return .respond(status: 200, headers: json, body: startsOne ? #"{"taskArns":["\#(arn)"]}"# : #"{"taskArns":[]}"#)
                case "StopTask": return .respond(status: 200, headers: json, body: stopping)
                default: return .respond(status: 400, headers: json, body: #"{"__type":"UnexpectedCall"}"#)
                }
            }
            defer { server.stop() }
            let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
            let runner = JobRunner(
                ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration), show: { _ in },
                clock: PollClock(sleep: { _ in }))
            let job = JobRun(
                job: "migrate", cluster: "c", taskDefinition: "migrate:1", subnets: ["subnet-1"], securityGroups: ["sg-1"],
                assignPublicIp: "DISABLED", container: "migrate", logGroup: nil, timeout: .seconds(60))
            await #expect {
                _ = try await runner.run(job)
            } throws: { error in
                if startsOne {
                    guard case .lostTrack(_, let taskArn, _, let stopped)? = error as? JobRunError else { return false }
                    return taskArn == arn && stopped
                }
                return "\(error)".hasPrefix("ecs RunTask failed: ServerException") && "\(error)".contains("list-tasks --cluster c --started-by berth-")
            }
            let startedBy = bodies.first("RunTask")?["startedBy"] as? String
            #expect(startedBy?.hasPrefix("berth-") == true && startedBy?.count == 14)
            // startedBy must be ListTasks' only filter.
            #expect(bodies.first("ListTasks")?["startedBy"] as? String == startedBy && bodies.first("ListTasks")?["desiredStatus"] == nil)
            #expect(bodies.first("StopTask")?["task"] as? String == (startsOne ? arn : nil))
            bodies.clear()
        }
    }

    @Test func aTimeoutSaysWhetherTheTaskWasStopped() async throws {
        let stopped = try await run(["RunTask": (200, started), "DescribeTasks": (200, running), "StopTask": (200, stopping)], timeout: .seconds(90))
        guard case .timedOut(_, _, _, true)? = stopped.error else { Issue.record("\(String(describing: stopped.error))"); return }
        #expect(stopped.operations.last == "StopTask")

        let left = try await run(["RunTask": (200, started), "DescribeTasks": (200, running), "StopTask": (400, denied)], timeout: .seconds(90))
        guard case .timedOut(_, _, _, false)? = left.error else { Issue.record("\(String(describing: left.error))"); return }
        #expect("\(left.error.map { "\($0)" } ?? "")".contains("its task 0a1b2c could not be stopped and may still run"))
    }
}

/// A count shared with a `@Sendable` closure.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }

    /// A task's lines are each shown once, across reads that start at the newest timestamp seen
    /// (inclusive, so events at it come again), and only those at it are remembered.
    @Test func eachLogLineIsShownOnceAcrossReads() async throws {
        // FilterLogEvents as its API reference answers: each read gives every event from
        // startTime on; the stream gains events between reads.
        let all: [(id: String, time: Int, text: String)] = [
            ("e1", 1000, "one"), ("e2", 2000, "two"), ("e3", 2000, "three"), ("e4", 3000, "four"), ("e5", 3000, "five"),
        ]
        let available = Counter()
        let server = try TestHTTPServer { request in
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            let start = body["startTime"] as? Int ?? 0
            let events = all.prefix(available.value).filter { $0.time >= start }
                .map { ["eventId": $0.id, "timestamp": $0.time, "message": $0.text + "\n", "logStreamName": "s"] as [String: Any] }
            let data = (try? JSONSerialization.data(withJSONObject: ["events": events])) ?? Data()
            return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
        }
        defer { server.stop() }
        var follower = try logFollower(of: server)
        var shown: [String] = []
        for count in [2, 3, 3, 5, 5] {
            while available.value < count { available.add() }
            shown += await follower.newLines()
        }
        #expect(shown == ["one", "two", "three", "four", "five"].map { "migrate | \($0)" })
    }

    /// FilterLogEvents may answer empty pages with a token for more (its API reference says so),
    /// page after page: one read asks for at most ten, and the next goes on from the last token
    /// with the start time it was given with, so that the task's state and deadline are checked
    /// in between. A log that cannot be read is said once, with its group.
    @Test func aReadOfTheLogIsBoundedAndAFailedOneIsSaidOnce() async throws {
        let bodies = Bodies()
        let pages = Counter()
        let denying = Counter()
        let server = try TestHTTPServer { request in
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            bodies.add("FilterLogEvents", body)
            if denying.value > 0 {
                return .respond(
                    status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"__type":"AccessDeniedException","message":"not authorized to read"}"#)
            }
            pages.add()
            return .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: #"{"events":[],"nextToken":"t\#(pages.value)"}"#)
        }
        defer { server.stop() }
        var follower = try logFollower(of: server)
        #expect(await follower.newLines().isEmpty)
        #expect(pages.value == LogFollower.pagesPerRead)
        #expect(await follower.newLines().isEmpty)
        #expect(pages.value == 2 * LogFollower.pagesPerRead)
        let resumed = try #require(bodies.all("FilterLogEvents").dropFirst(LogFollower.pagesPerRead).first)
        #expect(resumed["nextToken"] as? String == "t\(LogFollower.pagesPerRead)")
        denying.add()
        #expect(await follower.newLines().first?.hasPrefix(
            "migrate: its log cannot be read (logs FilterLogEvents failed: AccessDeniedException: not authorized to read") == true)
        #expect(await follower.newLines().isEmpty)
    }
}

/// The JSON bodies a scripted server received, by operation, in order.
private final class Bodies: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [(String, [String: Any])] = []
    func add(_ operation: String, _ body: [String: Any]) { lock.withLock { received.append((operation, body)) } }
    func first(_ operation: String) -> [String: Any]? { lock.withLock { received.first { $0.0 == operation }?.1 } }
    func all(_ operation: String) -> [[String: Any]] { lock.withLock { received.filter { $0.0 == operation }.map(\.1) } }
    func clear() { lock.withLock { received.removeAll() } }
}

/// Migrate's log follower, reading the log of task 0a1b2c from `server`.
private func logFollower(of server: TestHTTPServer) throws -> LogFollower {
    let configuration = try MotoHelpers.configuration(Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), region: "eu-west-1")
    let job = JobRun(
        job: "migrate", cluster: "c", taskDefinition: "migrate:1", subnets: ["subnet-1"], securityGroups: ["sg-1"],
        assignPublicIp: "DISABLED", container: "migrate", logGroup: "/berth/shop-dev-migrate", timeout: .seconds(60))
    return LogFollower(run: job, taskID: "0a1b2c", logs: LogsClient(configuration: configuration))
}
