import BerthModel
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// Which log groups the logs action reads, against CloudFormation and CloudWatch Logs answers
/// scripted from the API reference (DescribeStacks' XML with a stack's tags and outputs,
/// FilterLogEvents' JSON). moto serves both too; what it cannot give at will is a stack that
/// appears between two polls.
@Suite struct LogTailTests {
    /// The stacks the script knows, by name: the app its berth:app tag names, its outputs, its
    /// status, and its log group resource (physical ID and status) when it has one.
    final class Script: @unchecked Sendable {
        typealias Stack = (app: String, outputs: [String: String], status: String, group: (name: String, status: String)?)
        private let lock = NSLock()
        private var stacks: [String: Stack]
        private var read: [String] = []
        private var described = 0

        init(_ stacks: [String: Stack]) { self.stacks = stacks }

        /// The log groups FilterLogEvents was asked for, in order.
        var groupsRead: [String] { lock.withLock { read } }
        /// How many DescribeStacks calls came.
        var descriptions: Int { lock.withLock { described } }
        func deploy(_ name: String, _ stack: Stack) { lock.withLock { stacks[name] = stack } }

        func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
            lock.withLock {
                if request.headers["x-amz-target"] == "Logs_20140328.FilterLogEvents" {
                    let body = try? JSONSerialization.jsonObject(with: Data(request.text.utf8)) as? [String: Any]
                    let group = body?["logGroupName"] as? String ?? ""
                    read.append(group)
                    let service = group.split(separator: "-").last.map(String.init) ?? ""
                    return .respond(
                        status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                        body: #"{"events":[{"eventId":"\#(group)","timestamp":1764950400000,"message":"hello from \#(service)","logStreamName":"\#(service)/app/0123"}],"searchedLogStreams":[]}"#)
                }
                let name = request.form["StackName"] ?? ""
                if request.form["Action"] == "DescribeStacks" { described += 1 }
                if request.form["Action"] == "ListStackResources", let stack = stacks[name] {
                    let member = stack.group.map {
                        "<member><LogicalResourceId>LogGroup</LogicalResourceId><PhysicalResourceId>\($0.name)</PhysicalResourceId>"
                            + "<ResourceType>AWS::Logs::LogGroup</ResourceType><ResourceStatus>\($0.status)</ResourceStatus></member>"
                    }
                    return .respond(
                        status: 200, headers: [("Content-Type", "text/xml")],
                        body: "<ListStackResourcesResponse><ListStackResourcesResult><StackResourceSummaries>\(member ?? "")"
                            + "</StackResourceSummaries></ListStackResourcesResult></ListStackResourcesResponse>")
                }
                guard request.form["Action"] == "DescribeStacks", let stack = stacks[name] else {
                    return .respond(
                        status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(name) does not exist</Message></Error></ErrorResponse>")
                }
                let outputs = stack.outputs.sorted { $0.key < $1.key }.map { "<member><OutputKey>\($0.key)</OutputKey><OutputValue>\($0.value)</OutputValue></member>" }
                return .respond(
                    status: 200, headers: [("Content-Type", "text/xml")],
                    body: """
                        <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>\(name)</StackName>\
                        <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/\(name)/1</StackId><StackStatus>\(stack.status)</StackStatus>\
                        <Outputs>\(outputs.joined())</Outputs>\(TestHTTPServer.Reply.stackTags([StackTags.appKey: stack.app]))</member></Stacks>\
                        </DescribeStacksResult></DescribeStacksResponse>
                        """)
            }
        }
    }

    final class Shown: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    /// The sample plan's dev service stacks, each with the log group the blueprint gives it.
    private func plan() throws -> DeployPlan {
        let dev = try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev"))
        return DeployPlan(
            stacks: dev.stacks.map { stack in
                var stack = stack
                stack.logGroup = stack.service.map { "/berth/app-dev-\($0)" }
                return stack
            })
    }

    private func tail(_ plan: DeployPlan, _ server: TestHTTPServer, pause: @escaping @Sendable () async throws -> Void = {}) throws -> LogTail {
        let configuration = AWSConfiguration(
            region: "eu-west-1",
            endpoints: EndpointResolver(region: "eu-west-1", override: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(maxAttempts: 1))
        let clients = AppDeployer.Clients(
            cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration), kms: KMSClient(configuration: configuration))
        return LogTail(plan: plan, clients: { _ in clients }, pause: pause)
    }

    @Test func onlyTheLogGroupsOfTheAppsOwnDeployedServiceStacksAreRead() async throws {
        // web is the app's, and its output names its group; api's stack name is another app's stack.
        let script = Script([
            "app-web-dev": ("app", [OutputName.logGroupName: "/berth/app-dev-web-from-output"], "UPDATE_COMPLETE", nil),
            "app-api-dev": ("app-api", [OutputName.logGroupName: "/berth/app-api-dev-web"], "UPDATE_COMPLETE", nil),
        ])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        let (shown, passed) = (Shown(), Shown())
        try await tail(try plan(), server).run(
            since: 0, follow: false, passedOver: { passed.add("\($0): \($1)") }, show: { shown.add("\($0.service): \($0.event.message ?? "")") })
        #expect(shown.all == ["web: hello from output"])
        #expect(passed.all == ["api: app-api-dev belongs to app app-api (its berth:app tag)"])
        #expect(script.groupsRead == ["/berth/app-dev-web-from-output"])
    }

    /// A first create that failed (as it does when a group of the service's name exists, made
    /// by another app) leaves the app's stack with no output and its group resource deleted (or
    /// never made): no group is read for it. A stack that reports no outputs (moto, for a stack
    /// made by a change set) is read by the group it holds.
    @Test func onlyAGroupTheStackHoldsIsRead() async throws {
        let script = Script([
            "app-web-dev": ("app", [:], "ROLLBACK_COMPLETE", ("/berth/app-dev-web", "DELETE_COMPLETE")),
            "app-api-dev": ("app", [:], "CREATE_IN_PROGRESS", ("/berth/app-dev-api", "CREATE_IN_PROGRESS")),
        ])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        try await tail(try plan(), server).run(since: 0, follow: false, show: { _ in })
        #expect(script.groupsRead.isEmpty)
        #expect(script.descriptions == 2)
        script.deploy("app-api-dev", ("app", [:], "CREATE_COMPLETE", ("/berth/app-dev-api-held", "CREATE_COMPLETE")))
        try await tail(try plan(), server).run(since: 0, follow: false, show: { _ in })
        #expect(script.groupsRead == ["/berth/app-dev-api-held"])
    }

    @Test func aServiceNotDeployedHasNoGroupReadUntilItsStackAppears() async throws {
        // Neither is deployed at first: a group named /berth/app-dev-web now would not be the app's.
        let script = Script([:])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        let polls = Shown()
        let pause: @Sendable () async throws -> Void = {
            polls.add("poll")
            if polls.all.count == 1 {
                script.deploy("app-web-dev", ("app", [OutputName.logGroupName: "/berth/app-dev-web"], "CREATE_COMPLETE", nil))
            }
            if polls.all.count == LogTail.pendingRecheck + 1 { throw CancellationError() }
        }
        let shown = Shown()
        let waited = Shown()
        await #expect(throws: CancellationError.self) {
            try await tail(try plan(), server, pause: pause).run(
                since: 0, follow: true, waitingFor: { service, stack in waited.add("\(service) \(stack)") },
                show: { shown.add("\($0.service): \($0.event.message ?? "")") })
        }
        // Each service not deployed at the first poll is said once, not at each poll.
        #expect(waited.all.sorted() == ["api app-api-dev", "web app-web-dev"], "\(waited.all)")
        // Looked for at the first poll and again LogTail.pendingRecheck polls later, not at each.
        #expect(script.descriptions == 4)
        #expect(script.groupsRead == ["/berth/app-dev-web"])
        #expect(shown.all == ["web: hello from web"])
    }

    /// app-web-dev deployed, and FilterLogEvents as the API reference says: of the events that
    /// have `arrived` (JSON objects), those at or after startTime.
    private func webLogs(_ arrived: Shown) throws -> TestHTTPServer {
        let script = Script(["app-web-dev": ("app", [OutputName.logGroupName: "/berth/app-dev-web"], "UPDATE_COMPLETE", nil)])
        return try TestHTTPServer { request in
            guard request.headers["x-amz-target"] == "Logs_20140328.FilterLogEvents" else { return script.answer(request) }
            let body = try? JSONSerialization.jsonObject(with: Data(request.text.utf8)) as? [String: Any]
            let start = (body?["startTime"] as? NSNumber)?.int64Value ?? 0
            let events = arrived.all.filter { event in
                let stamp = event.components(separatedBy: #""timestamp":"#).dropFirst().first?.prefix(13)
                return (stamp.flatMap { Int64($0) } ?? 0) >= start
            }
            return .respond(
                status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                body: #"{"events":[\#(events.joined(separator: ","))],"searchedLogStreams":[]}"#)
        }
    }

    /// Several groups, each over several pages, are shown merged, oldest first, as they are
    /// read: an event is shown before the later pages are asked for, so a long window is not
    /// held in memory first. A group deleted while it is read (its next page is a
    /// ResourceNotFoundException) gives no more and stops nothing.
    @Test func theGroupsAreMergedOldestFirstAsTheirPagesAreRead() async throws {
        let script = Script([
            "app-web-dev": ("app", [OutputName.logGroupName: "/berth/app-dev-web"], "UPDATE_COMPLETE", nil),
            "app-api-dev": ("app", [OutputName.logGroupName: "/berth/app-dev-api"], "UPDATE_COMPLETE", nil),
        ])
        // Each group's pages, by token, as FilterLogEvents sorts them: by timestamp.
        let pages: [String: [String: (stamps: [Int64], next: String?)]] = [
            "/berth/app-dev-web": ["": ([1, 3], "w2"), "w2": ([5, 7], nil)],
            "/berth/app-dev-api": ["": ([2], "a2"), "a2": ([], "a3"), "a3": ([6, 7], "a4")],
        ]
        let shown = Shown()
        let asked = Shown()
        let server = try TestHTTPServer { request in
            guard request.headers["x-amz-target"] == "Logs_20140328.FilterLogEvents" else { return script.answer(request) }
            let body = try? JSONSerialization.jsonObject(with: Data(request.text.utf8)) as? [String: Any]
            let group = body?["logGroupName"] as? String ?? ""
            let token = body?["nextToken"] as? String ?? ""
            asked.add("\(group) \(token) after \(shown.all.count)")
            guard let page = pages[group]?[token] else {
                return .respond(
                    status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"__type":"ResourceNotFoundException","message":"The specified log group does not exist."}"#)
            }
            let service = group.split(separator: "-").last.map(String.init) ?? ""
            let events = page.stamps.map { #"{"eventId":"\#(group)\#($0)","timestamp":\#($0),"message":"\#(service) \#($0)","logStreamName":"\#(service)/app/0123"}"# }
            let next = page.next.map { #","nextToken":"\#($0)""# } ?? ""
            return .respond(
                status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                body: #"{"events":[\#(events.joined(separator: ","))],"searchedLogStreams":[]\#(next)}"#)
        }
        defer { server.stop() }
        try await tail(try plan(), server).run(since: 0, follow: false, show: { shown.add($0.event.message ?? "") })
        #expect(shown.all == ["web 1", "api 2", "web 3", "web 5", "api 6", "web 7", "api 7"])
        // web's second page is asked for once two events are shown, not after every page is read.
        #expect(asked.all.contains("/berth/app-dev-web w2 after 2"), "\(asked.all)")
        #expect(asked.all.contains { $0.hasPrefix("/berth/app-dev-api a4 ") }, "\(asked.all)")
    }

    /// What `berth logs --follow` shows of web's group when `first` is there at the start and
    /// `second` arrives after the first poll, reading from `since` over three polls.
    private func followed(first: String, second: String, since: Int64) async throws -> [String] {
        let arrived = Shown()
        arrived.add(first)
        let server = try webLogs(arrived)
        defer { server.stop() }
        let polls = Shown()
        let pause: @Sendable () async throws -> Void = {
            polls.add("poll")
            if polls.all.count == 1 { arrived.add(second) }
            if polls.all.count == 3 { throw CancellationError() }
        }
        let plan = DeployPlan(stacks: try plan().stacks.filter { $0.service == "web" })
        let shown = Shown()
        await #expect(throws: CancellationError.self) {
            try await tail(plan, server, pause: pause).run(since: since, follow: true, show: { shown.add($0.event.message ?? "") })
        }
        return shown.all
    }

    /// Two tasks' events: task B's older event arrives after task A's newer one (the awslogs
    /// driver sends each task's buffer on its own). Following shows it, once, and A once.
    @Test func anEventThatArrivesAfterANewerOneIsShownWhenFollowing() async throws {
        let shown = try await followed(
            first: #"{"eventId":"a","timestamp":1764950405000,"message":"A","logStreamName":"web/app/aaaa"}"#,
            second: #"{"eventId":"b","timestamp":1764950402000,"message":"B","logStreamName":"web/app/bbbb"}"#, since: 1764950400000)
        #expect(shown == ["A", "B"])
    }

    /// A long window of many events is remembered only as far back as the next read reaches
    /// (pruned during the read, not after it), and each event is still shown once.
    @Test func manyEventsOverALongWindowAreEachShownOnce() async throws {
        let since = Int64(Date().timeIntervalSince1970 * 1000) - 900_000
        // 6,000 events a tenth of a second apart (ten minutes), then one that arrives late.
        let many = (0..<6000).map { #"{"eventId":"e\#($0)","timestamp":\#(since + Int64($0) * 100),"message":"m\#($0)","logStreamName":"web/app/aaaa"}"# }
        let shown = try await followed(
            first: many.joined(separator: ","),
            second: #"{"eventId":"late","timestamp":\#(since + 599_000),"message":"late","logStreamName":"web/app/bbbb"}"#, since: since)
        #expect(shown.count == 6001 && Set(shown).count == 6001, "\(shown.count) shown, \(Set(shown).count) distinct")
        #expect(shown.last == "late")
    }

    /// An event stamped an hour ahead (a task's clock) does not hide the events after it.
    @Test func anEventStampedAheadDoesNotHideTheNextOnes() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let shown = try await followed(
            first: #"{"eventId":"ahead","timestamp":\#(now + 3_600_000),"message":"ahead","logStreamName":"web/app/aaaa"}"#,
            second: #"{"eventId":"now","timestamp":\#(now + 1000),"message":"now","logStreamName":"web/app/aaaa"}"#, since: now - 60_000)
        #expect(shown == ["ahead", "now"])
    }

    @Test func everySelectedServiceBeingAnotherAppsIsRefused() async throws {
        let script = Script(["app-web-dev": ("app-web", [:], "UPDATE_COMPLETE", nil), "app-api-dev": ("", [:], "UPDATE_COMPLETE", nil)])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        let polls = Shown()
        await #expect(throws: DeployError.self) {
            try await tail(try plan(), server, pause: {
                polls.add("poll")
                if polls.all.count > 3 { throw CancellationError() }
            }).run(since: 0, follow: true, show: { _ in })
        }
        #expect(polls.all.isEmpty)
        #expect(script.groupsRead.isEmpty)
    }
}
