import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// The deployer against scripted CloudFormation sequences that moto cannot play.
@Suite struct StackDeployerTests {
    /// What the deployer reported.
    final class Report: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var reporter: DeployReporter {
            DeployReporter(
                message: { self.add("message: \($0)") },
                plannedChanges: { stack, changes in self.add("planned: \(changes.map(\.logicalID))") },
                event: { event, done, total in self.add("event: \(event.logicalID) \(event.status) \(done)/\(total)") },
                stackChanging: { self.add("changing: \($0)") })
        }
    }

    /// A clock that moves only when the deployer sleeps.
    final class ManualClock: @unchecked Sendable {
        private let lock = NSLock()
        private let start = ContinuousClock.now
        private var elapsed: Duration = .zero
        private var slept: [Duration] = []
        var now: ContinuousClock.Instant { lock.withLock { start + elapsed } }
        var sleeps: [Duration] { lock.withLock { slept } }
        func sleep(_ duration: Duration) { lock.withLock { elapsed += duration; slept.append(duration) } }
    }

    /// A deployer that talks to `fake` on loopback, sleeping on `clock`.
    static func deployer(
        _ fake: FakeCloudFormation, report: Report, clock: ManualClock, timeout: Duration = .seconds(600)
    ) throws -> (StackDeployer, TestHTTPServer) {
        try Crypto.load()
        let server = try TestHTTPServer { fake.handle($0) }
        let endpoint = Endpoint(scheme: "http", host: "127.0.0.1", port: server.port)
        let configuration = AWSConfiguration(
            region: "eu-west-1", endpoints: EndpointResolver(region: "eu-west-1", override: endpoint, environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(random: { 0 }), sleep: { clock.sleep($0) })
        let deployer = StackDeployer(
            cloudFormation: CloudFormationClient(configuration: configuration), ecs: ECSClient(configuration: configuration),
            reporter: report.reporter, timeout: timeout, schedule: PollSchedule(random: { 0.5 }),
            clock: PollClock(sleep: { clock.sleep($0) }, now: { clock.now }))
        return (deployer, server)
    }

    private let deployment = StackDeployment(stackName: "shop-api-dev", templateBody: "{}", resourceCount: 2)

    @Test func aStackInProgressIsWaitedForThenUpdatedWithEventsStreamedInOrder() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev",
            statuses: ["UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
            changeSetStatuses: [("CREATE_PENDING", nil), ("CREATE_COMPLETE", nil)],
            eventBatches: [
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_IN_PROGRESS", reason: "User Initiated"),
                 .init(logicalID: "TaskDefinition", type: "AWS::ECS::TaskDefinition", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
            ])
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        let (result, outputs) = try await deployer.deploy(deployment)
        #expect(result == .updated)
        #expect(outputs == ["Url": "http://x"])
        #expect(report.all == [
            "message: shop-api-dev is UPDATE_IN_PROGRESS; waiting for it to settle",
            "planned: [\"Service\"]",
            "changing: shop-api-dev",
            "event: shop-api-dev UPDATE_IN_PROGRESS 0/2",
            "event: TaskDefinition UPDATE_COMPLETE 1/2",
            "event: Service UPDATE_COMPLETE 2/2",
            "event: shop-api-dev UPDATE_COMPLETE 2/2",
        ])
        #expect(fake.calls.filter { $0 == "ExecuteChangeSet" }.count == 1)
        // Polling starts at half a second and never exceeds one call per second on average.
        #expect(clock.sleeps.first == .milliseconds(500))
        _ = server
    }

    /// A settled status read right after ExecuteChangeSet, before any event of the stack's own
    /// ended the update, is the stack as it was (a stale read): the deployer reads again and
    /// follows the update to its end, instead of calling it done before it began.
    @Test func aSettledReadBeforeTheUpdateShowsIsNotTakenForItsEnd() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev",
            statuses: ["UPDATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
            eventBatches: [
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
                [],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_IN_PROGRESS", reason: "User Initiated"),
                 .init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
            ])
        let report = Report()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: ManualClock())
        #expect(try await deployer.deploy(deployment).result == .updated)
        #expect(report.all.filter { $0.hasPrefix("event: ") } == [
            "event: shop-api-dev UPDATE_IN_PROGRESS 0/2", "event: Service UPDATE_COMPLETE 1/2", "event: shop-api-dev UPDATE_COMPLETE 2/2",
        ])
        _ = server
    }

    /// Where no event of the stack's own ever ends the update, the settled status is believed
    /// after `staleReadLimit` more reads: the wait is bounded, never a hang.
    @Test func aSettledStatusWithoutTheStacksOwnEventIsBelievedAfterAFewReads() async throws {
        let fake = FakeCloudFormation(stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"])
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        #expect(try await deployer.deploy(deployment).result == .updated)
        // The deploy's first read, then one read taken for stale per allowed time, then the one believed.
        #expect(fake.calls.filter { $0 == "DescribeStacks" }.count == 1 + StackDeployer.staleReadLimit + 1)
        _ = server
    }

    /// Right after DeleteStack, DescribeStacks may still answer the settled status from before:
    /// the delete is followed to its end, not reported as a stack left UPDATE_COMPLETE.
    @Test func aSettledReadBeforeTheDeleteShowsIsNotTakenForItsEnd() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_IN_PROGRESS", nil],
            eventBatches: [
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
                [],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "DELETE_IN_PROGRESS", reason: "User Initiated")],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "DELETE_COMPLETE", reason: nil)],
            ])
        let report = Report()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: ManualClock())
        #expect(try await deployer.delete("shop-api-dev") == .deleted)
        #expect(fake.calls.filter { $0 == "DeleteStack" }.count == 1)
        #expect(report.all.filter { $0.hasPrefix("event: ") }.first == "event: shop-api-dev DELETE_IN_PROGRESS 0/1")
        _ = server
    }

    @Test func aFailedServiceReportsTheFirstCauseAndWhyTasksStopped() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: [nil, "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"],
            eventBatches: [
                [],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "CREATE_IN_PROGRESS", reason: "User Initiated"),
                 .init(
                    logicalID: "Service", type: "AWS::ECS::Service", status: "CREATE_FAILED", reason: "Resource handler returned message: Circuit breaker triggered",
                    physicalID: "arn:aws:ecs:eu-west-1:123456789012:service/shop-api-dev-Service-X"),
                 .init(logicalID: "TargetGroup", type: "AWS::ElasticLoadBalancingV2::TargetGroup", status: "CREATE_FAILED", reason: "Resource creation cancelled")],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "ROLLBACK_COMPLETE", reason: nil)],
            ],
            stoppedTaskReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)")
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        await #expect {
            try await deployer.deploy(deployment)
        } throws: { error in
            guard case .stackFailed(let stack, let status, let causes, let stopped) = error as? DeployError else { return false }
            let text = "\(error)"
            return stack == "shop-api-dev" && status == "ROLLBACK_COMPLETE" && causes.map(\.logicalID) == ["Service"]
                && stopped.count == 1 && stopped[0].contains("CannotPullContainerError")
                && text.contains("What failed, first cause first:\n  Service (AWS::ECS::Service) CREATE_FAILED: Resource handler returned message: Circuit breaker triggered")
        }
        #expect(fake.calls.contains("ListTasks") && fake.calls.contains("DescribeTasks"))
        // A service ARN of the old format names no cluster: a stack holding its own cluster does.
        #expect(fake.calls.contains("ListStackResources"))
        #expect(fake.ecsRequests("ListTasks").first?.contains(#""serviceName":"shop-api-dev-Service-X""#) == true)
        _ = server
    }

    /// A Berth service stack's cluster is the shared stack's, passed as `ClusterName`: with an
    /// old-format service ARN, that is the cluster asked.
    @Test func anOldFormatServiceArnTakesTheClusterTheDeployPassed() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"],
            eventBatches: [
                [],
                [.init(
                    logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_FAILED", reason: "Circuit breaker triggered",
                    physicalID: "arn:aws:ecs:eu-west-1:123456789012:service/shop-api-dev-Service-X"),
                 .init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_ROLLBACK_COMPLETE", reason: nil)],
            ])
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        var deployment = StackDeployment(
            stackName: "shop-api-dev", templateBody: #"{"Resources":{}}"#, resourceCount: 2, parameters: [("ClusterName", "shop-dev-Cluster-1")])
        deployment.terminationProtection = false
        await #expect(throws: DeployError.self) { try await deployer.deploy(deployment) }
        let listed = try #require(fake.ecsRequests("ListTasks").first)
        #expect(listed.contains(#""cluster":"shop-dev-Cluster-1""#) && listed.contains(#""serviceName":"shop-api-dev-Service-X""#), "\(listed)")
        #expect(!fake.calls.contains("ListStackResources"))
        _ = server
    }

    /// The stopped tasks reported are the failed service's own (ListTasks' `serviceName`; the
    /// cluster's other services and jobs stop tasks too), the newest first, as DescribeTasks'
    /// `stoppedAt` orders them: ListTasks promises no order.
    @Test func theStoppedTasksReportedAreTheFailedServicesOwnNewestFirst() async throws {
        let serviceArn = "arn:aws:ecs:eu-west-1:123456789012:service/shop-dev-Cluster-1/shop-api-dev-Service-AbC"
        func task(_ id: String, stoppedAt: Double, reason: String) -> String {
            #"{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/shop-dev-Cluster-1/\#(id)","lastStatus":"STOPPED","stoppedAt":\#(stoppedAt),"stoppedReason":"\#(reason)"}"#
        }
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"],
            eventBatches: [
                [],
                [.init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_FAILED", reason: "Circuit breaker triggered", physicalID: serviceArn)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_ROLLBACK_COMPLETE", reason: nil)],
            ],
            ecsAnswers: [
                "ListTasks": [#"{"taskArns":["arn:aws:ecs:eu-west-1:123456789012:task/shop-dev-Cluster-1/older","arn:aws:ecs:eu-west-1:123456789012:task/shop-dev-Cluster-1/newer"]}"#],
                "DescribeTasks": [
                    #"{"tasks":["# + task("older", stoppedAt: 1_780_000_000, reason: "Essential container in task exited") + ","
                        + task("newer", stoppedAt: 1_780_000_300, reason: "CannotPullContainerError: not found") + "]}"
                ],
            ])
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        var deployment = self.deployment
        deployment.templateBody = #"{"Resources":{}}"#
        await #expect {
            try await deployer.deploy(deployment)
        } throws: { error in
            guard case .stackFailed(_, _, _, let stopped) = error as? DeployError else { return false }
            return stopped == ["newer: CannotPullContainerError: not found", "older: Essential container in task exited"]
        }
        let listed = try #require(fake.ecsRequests("ListTasks").first)
        let request = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any])
        #expect(request["cluster"] as? String == "shop-dev-Cluster-1")
        #expect(request["serviceName"] as? String == "shop-api-dev-Service-AbC")
        #expect(request["desiredStatus"] as? String == "STOPPED")
        #expect(!fake.calls.contains("ListStackResources"), "the service ARN names the cluster")
        _ = server
    }

    /// Right after ExecuteChangeSet, DescribeStacks may still answer the status from before
    /// (eventually consistent): a new stack's REVIEW_IN_PROGRESS is waited past, never taken
    /// for a created stack (whose outputs the next stacks need).
    @Test func aStaleReviewInProgressAfterExecuteIsWaitedPast() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: [nil, "REVIEW_IN_PROGRESS", "REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS", "CREATE_COMPLETE"],
            eventBatches: [[], [], [], [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "CREATE_COMPLETE", reason: nil)]])
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        let (result, outputs) = try await deployer.deploy(deployment)
        #expect(result == .created && outputs == ["Url": "http://x"])
        #expect(fake.calls.filter { $0 == "DescribeStacks" }.count == 5)
        _ = server
    }

    /// A first create that fails is deleted (OnStackFailure DELETE), and a deleted stack answers
    /// only by its ID: the stack is followed by the ID its change set named, so its failing
    /// events are still read and the error says what failed.
    @Test func aFailedFirstCreateThatIsDeletedStillSaysWhatFailed() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: [nil, "CREATE_IN_PROGRESS", "DELETE_COMPLETE"],
            eventBatches: [
                [],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "CREATE_IN_PROGRESS", reason: "User Initiated"),
                 .init(logicalID: "Repository", type: "AWS::ECR::Repository", status: "CREATE_FAILED", reason: "User is not authorized to perform: kms:CreateGrant"),
                 .init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "DELETE_COMPLETE", reason: nil)],
            ])
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        await #expect {
            try await deployer.deploy(deployment)
        } throws: { error in
            guard case .stackFailed(_, let status, let causes, _) = error as? DeployError else { return false }
            return status == "DELETE_COMPLETE" && causes.map(\.logicalID) == ["Repository"] && "\(error)".contains("kms:CreateGrant")
        }
        let afterExecute = server.requests.drop { $0.form["Action"] != "ExecuteChangeSet" }.dropFirst()
        #expect(!afterExecute.isEmpty && afterExecute.allSatisfy { $0.form["StackName"] == fake.stackID }, "\(afterExecute.map(\.form))")
    }

    @Test func aFailedFirstCreateIsDeletedAndCreatedAgain() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", nil, nil, "CREATE_COMPLETE"],
            eventBatches: [[.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "CREATE_COMPLETE", reason: nil)]])
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        let (result, _) = try await deployer.deploy(deployment)
        #expect(result == .created)
        #expect(report.all.first?.contains("first create failed") == true)
        // The delete changes the stack: said before it is sent, as an execute is.
        #expect(Array(report.all.dropFirst().prefix(1)) == ["changing: shop-api-dev"], "\(report.all)")
        let calls = fake.calls
        let deleteIndex = try #require(calls.firstIndex(of: "DeleteStack"))
        let createIndex = try #require(calls.firstIndex(of: "CreateChangeSet"))
        #expect(deleteIndex < createIndex)
        _ = server
    }

    @Test func throttlingWhileStreamingEventsIsRetried() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE", "UPDATE_COMPLETE"],
            eventBatches: [[], [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)]],
            throttles: 2)
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock)
        #expect(try await deployer.deploy(deployment).result == .updated)
        #expect(fake.calls.filter { $0 == "DescribeStackEvents" }.count == 4)
        _ = server
    }

    /// The events read just before the execute fail (throttled past every try): the change set
    /// that will not run is deleted, not left on the stack.
    @Test func aFailedReadBeforeTheExecuteDeletesTheChangeSet() async throws {
        let fake = FakeCloudFormation(stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"], throttles: 5)
        let report = Report()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: ManualClock())
        await #expect(throws: AWSServiceError.self) { try await deployer.deploy(deployment) }
        #expect(fake.calls.contains("DeleteChangeSet") && !fake.calls.contains("ExecuteChangeSet"), "\(fake.calls)")
        #expect(!report.all.contains("changing: shop-api-dev"), "\(report.all)")
        _ = server
    }

    @Test func aStackThatNeverSettlesTimesOut() async throws {
        let fake = FakeCloudFormation(stackName: "shop-api-dev", statuses: ["UPDATE_IN_PROGRESS"])
        let report = Report(), clock = ManualClock()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: clock, timeout: .seconds(20))
        await #expect {
            try await deployer.deploy(deployment)
        } throws: { error in
            guard case .timedOut(let stack, let status, _) = error as? DeployError else { return false }
            return stack == "shop-api-dev" && status == "UPDATE_IN_PROGRESS" && "\(error)".contains("run the same deploy again")
        }
        // Polls stayed below one per second.
        let polls = fake.calls.filter { $0 == "DescribeStacks" }.count
        #expect(polls <= 20)
        _ = server
    }

    /// A change set CloudFormation is still working out when the deploy times out is deleted:
    /// it would stay on the stack, one more for every such deploy.
    @Test func aChangeSetStillBeingWorkedOutAtTheTimeoutIsDeleted() async throws {
        // CloudFormation refuses to delete it while it works it out: asked again.
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"], changeSetStatuses: [("CREATE_PENDING", nil)], busyDeletes: 2)
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock(), timeout: .seconds(20))
        await #expect {
            try await deployer.deploy(deployment)
        } throws: { error in
            guard case .timedOut(let stack, _, _) = error as? DeployError else { return false }
            return stack == "shop-api-dev"
        }
        #expect(fake.calls.filter { $0 == "DescribeChangeSet" }.count > 1)
        #expect(fake.calls.suffix(3) == ["DeleteChangeSet", "DeleteChangeSet", "DeleteChangeSet"] && !fake.calls.contains("ExecuteChangeSet"), "\(fake.calls)")
        _ = server
    }

    /// One CloudFormation never lets go of is named, with the command that deletes it.
    @Test func aChangeSetThatCannotBeDeletedIsNamedWithTheCommand() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"], changeSetStatuses: [("CREATE_PENDING", nil)], busyDeletes: 10)
        let report = Report()
        let (deployer, server) = try Self.deployer(fake, report: report, clock: ManualClock(), timeout: .seconds(20))
        await #expect(throws: DeployError.self) { try await deployer.deploy(deployment) }
        #expect(fake.calls.filter { $0 == "DeleteChangeSet" }.count == 3)
        #expect(
            report.all.contains {
                $0.hasPrefix("message: shop-api-dev: could not delete the change set berth-") && $0.contains("InvalidChangeSetStatus")
                    && $0.contains("aws cloudformation delete-change-set --stack-name shop-api-dev --change-set-name berth-")
            }, "\(report.all)")
        _ = server
    }

    @Test func updateRollbackFailedStopsWithGuidance() async throws {
        let fake = FakeCloudFormation(stackName: "shop-api-dev", statuses: ["UPDATE_ROLLBACK_FAILED"])
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        await #expect {
            try await deployer.deploy(deployment)
        } throws: { "\($0)".contains("continue-update-rollback --stack-name shop-api-dev") }
        #expect(!fake.calls.contains("CreateChangeSet"))
        _ = server
    }

    /// A DeleteChangeSet whose answer was lost deleted the change set: its retry's
    /// ChangeSetNotFound (HTTP 404, as the API reference documents) is the delete done, not a
    /// failed deploy of a stack that needed no change.
    @Test func anEmptyChangeSetAlreadyDeletedByALostCallIsNoChanges() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"],
            changeSetStatuses: [("FAILED", "The submitted information didn't contain changes. Submit different information to create a change set.")],
            lostDeleteAnswers: 1)
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        #expect(try await deployer.deploy(deployment).result == .noChanges)
        #expect(fake.calls.filter { $0 == "DeleteChangeSet" }.count == 2)
        _ = server
    }

    @Test func anEmptyChangeSetIsDeletedAndReportedAsNoChanges() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"],
            changeSetStatuses: [("FAILED", "The submitted information didn't contain changes. Submit different information to create a change set.")])
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        #expect(try await deployer.deploy(deployment).result == .noChanges)
        #expect(fake.calls.contains("DeleteChangeSet"))
        #expect(!fake.calls.contains("ExecuteChangeSet"))
        _ = server
    }

    @Test func aRefusedChangeSetSaysWhatEarlyValidationFound() async throws {
        // As CloudFormation answers DescribeEvents for a change set that failed early validation.
        let events = """
            <member><EventId>1</EventId><EventType>VALIDATION_ERROR</EventType><LogicalResourceId>LogGroup</LogicalResourceId>\
            <ResourceType>AWS::Logs::LogGroup</ResourceType><ValidationName>NAME_CONFLICT_VALIDATION</ValidationName>\
            <ValidationStatus>FAILED</ValidationStatus><ValidationFailureMode>FAIL</ValidationFailureMode>\
            <ValidationStatusReason>Resource of type AWS::Logs::LogGroup with identifier /berth/shop-api-dev already exists.</ValidationStatusReason>\
            <ValidationPath>/Resources/LogGroup/Properties/LogGroupName</ValidationPath></member>\
            <member><EventId>2</EventId><EventType>VALIDATION_ERROR</EventType><LogicalResourceId>LogGroup</LogicalResourceId>\
            <ResourceType>AWS::Logs::LogGroup</ResourceType><ValidationName>NAME_CONFLICT_VALIDATION</ValidationName>\
            <ValidationStatusReason>Resource of type AWS::Logs::LogGroup with identifier /berth/shop-api-dev already exists.</ValidationStatusReason>\
            <ValidationPath>/Resources/LogGroup/Properties/LogGroupName</ValidationPath></member>\
            <member><EventId>3</EventId><EventType>HOOK_INVOCATION_ERROR</EventType><HookType>Org::Security::Tags</HookType>\
            <HookStatusReason>Every resource must carry a cost-center tag</HookStatusReason></member>\
            <member><EventId>4</EventId><EventType>STACK_EVENT</EventType></member>
            """
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: [nil], changeSetStatuses: [("FAILED", "The following hook(s)/validation failed: [NAME_CONFLICT_VALIDATION]")],
            operationEvents: events)
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        await #expect {
            _ = try await deployer.deploy(deployment)
        } throws: { error in
            "\(error)" == """
                shop-api-dev: CloudFormation refused the change set: The following hook(s)/validation failed: [NAME_CONFLICT_VALIDATION]
                What CloudFormation found:
                  LogGroup (AWS::Logs::LogGroup) NAME_CONFLICT_VALIDATION at /Resources/LogGroup/Properties/LogGroupName: \
                Resource of type AWS::Logs::LogGroup with identifier /berth/shop-api-dev already exists.
                  hook Org::Security::Tags: Every resource must carry a cost-center tag
                """
        }
        #expect(!fake.calls.contains("ExecuteChangeSet"))
        // The refused change set does not stay on the stack: what it found is in the error.
        #expect(server.requests.contains { $0.form["Action"] == "DeleteChangeSet" && $0.form["ChangeSetName"]?.hasPrefix("berth-") == true })
        _ = server
    }

    @Test func withoutDescribeEventsTheStatusReasonStandsAlone() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: [nil], changeSetStatuses: [("FAILED", "Template format error: Unresolved resource dependencies [Nope]")])
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        await #expect {
            _ = try await deployer.deploy(deployment)
        } throws: { error in
            "\(error)" == "shop-api-dev: CloudFormation refused the change set: Template format error: Unresolved resource dependencies [Nope]"
        }
        // The stack its CREATE made is looked for (this fake's DescribeStacks says there is none,
        // as a read too soon does): the change set is deleted by its name all the same.
        #expect(fake.calls.suffix(4) == ["DescribeChangeSet", "DescribeEvents", "DescribeStacks", "DeleteChangeSet"])
        _ = server
    }

    @Test func aChangeSetThatWouldReplaceARepositoryIsNeverExecuted() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-ecr", statuses: ["UPDATE_COMPLETE"],
            changes: """
                <member><ResourceChange><Action>Modify</Action><LogicalResourceId>Repository</LogicalResourceId>\
                <PhysicalResourceId>shop/api</PhysicalResourceId><ResourceType>AWS::ECR::Repository</ResourceType>\
                <Replacement>True</Replacement><Scope><member>Properties</member></Scope></ResourceChange></member>
                """)
        let (deployer, server) = try Self.deployer(fake, report: Report(), clock: ManualClock())
        await #expect {
            _ = try await deployer.deploy(StackDeployment(stackName: "shop-api-ecr", templateBody: "{}", resourceCount: 1))
        } throws: { error in
            "\(error)".hasPrefix("shop-api-ecr: the change would replace the image repository shop/api (Repository); Berth never replaces")
        }
        #expect(!fake.calls.contains("ExecuteChangeSet"))
        #expect(fake.calls.last == "DeleteChangeSet")
        _ = server
    }

    @Test func onlyRemovingOrReplacingARepositoryLosesIt() {
        func change(_ action: String, _ type: String, _ replacement: String?) -> ResourceChange {
            ResourceChange(action: action, logicalID: "R", physicalID: nil, resourceType: type, replacement: replacement, scope: [], details: [])
        }
        #expect(ChangeSetPolicy.losesRepository(change("Remove", "AWS::ECR::Repository", nil)))
        #expect(ChangeSetPolicy.losesRepository(change("Modify", "AWS::ECR::Repository", "Conditional")))
        #expect(!ChangeSetPolicy.losesRepository(change("Modify", "AWS::ECR::Repository", "False")))
        #expect(!ChangeSetPolicy.losesRepository(change("Add", "AWS::ECR::Repository", nil)))
        #expect(!ChangeSetPolicy.losesRepository(change("Modify", "AWS::ECS::Service", "True")))
    }
}
