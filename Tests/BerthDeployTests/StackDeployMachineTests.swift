import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// The deploy of one stack, as transitions: each observation and the action it leads to.
@Suite struct StackDeployMachineTests {
    static func stack(
        _ status: StackStatus, parameters: [String: String] = ["ImageTag": "dev-1"], outputs: [String: String] = ["Url": "u"],
        protected: Bool = false, tags: [String: String] = [:], role: String? = nil
    ) -> StackDescription {
        var description = StackDescription(
            stackID: "arn:stack/app-api-dev", name: "app-api-dev", status: status, statusReason: nil, parameters: parameters,
            outputs: outputs, tags: tags, creationTime: nil, lastUpdatedTime: nil, terminationProtection: protected)
        description.roleARN = role
        return description
    }

    static func changeSet(_ changes: [ResourceChange]) -> ChangeSetRun.Outcome {
        .ready(ChangeSetDescription(changeSetID: "cs", stackID: "s", status: "CREATE_COMPLETE", statusReason: nil, executionStatus: "AVAILABLE", changes: changes))
    }

    static func change(_ action: String, _ type: String, replacement: String? = nil) -> ResourceChange {
        ResourceChange(action: action, logicalID: "R", physicalID: "p", resourceType: type, replacement: replacement, scope: [], details: [])
    }

    static let deployment = StackDeployment(
        stackName: "app-api-dev", templateBody: "{}", resourceCount: 2, parameters: [("ImageTag", "dev-2")], terminationProtection: true)

    private func machine(skips: Bool = true, deployment: StackDeployment = Self.deployment) -> StackDeployMachine {
        StackDeployMachine(deployment: deployment, skipsUnchanged: skips)
    }

    @Test func anAbsentStackIsCreatedExecutedAndProtected() {
        var machine = machine()
        guard case .describeStack = machine.start() else { Issue.record("start describes"); return }
        guard case .makeChangeSet(.create) = machine.described(nil) else { Issue.record("create"); return }
        guard case .execute(.changes(let changes)) = machine.changeSetMade(Self.changeSet([Self.change("Add", "AWS::ECS::Service")])) else {
            Issue.record("execute")
            return
        }
        #expect(changes.map(\.action) == ["Add"])
        guard case .finish(let result, let outputs, let protect, nil) = machine.executed(Self.stack(.createComplete)) else {
            Issue.record("finish")
            return
        }
        #expect(result == .created)
        #expect(outputs == ["Url": "u"])
        #expect(protect)
    }

    /// Adopting imports with a CREATE change set. A stack that appeared since the adoption was
    /// planned (another pipeline) is not updated instead, which ImportExistingResources does not
    /// apply to: the deploy stops, changing nothing, and says to deploy again.
    @Test func anAdoptionWhoseStackAppearedMeanwhileStops() {
        var deployment = Self.deployment
        deployment.importExistingResources = true
        var machine = machine(deployment: deployment)
        _ = machine.start()
        guard case .fail(let error) = machine.described(Self.stack(.createComplete)) else { Issue.record("fail"); return }
        #expect("\(error)".contains("the stack was made after the adoption was planned"), "\(error)")
        var absent = self.machine(deployment: deployment)
        _ = absent.start()
        guard case .makeChangeSet(.create) = absent.described(nil) else { Issue.record("create"); return }
    }

    /// An adoption's change set executes only when it imports the repository: one that would
    /// add it (CloudFormation found no repository of that name) is discarded with the stack it
    /// made; a plain create's `Add` is executed.
    @Test func anAdoptionThatWouldAddTheRepositoryIsDiscarded() {
        var deployment = Self.deployment
        deployment.importExistingResources = true
        for (action, executes) in [("Import", true), ("Add", false)] {
            var machine = machine(deployment: deployment)
            _ = machine.start()
            _ = machine.described(nil)
            switch machine.changeSetMade(Self.changeSet([Self.change(action, "AWS::ECR::Repository")])) {
            case .execute: #expect(executes, "\(action)")
            case .discardStack(DeployError.stackBlocked(_, _, let guidance)):
                #expect(!executes && guidance.contains("instead of importing the one that exists"), "\(action): \(guidance)")
            default: Issue.record("\(action): neither executed nor discarded")
            }
        }
        var plain = machine()
        _ = plain.start()
        _ = plain.described(nil)
        guard case .execute = plain.changeSetMade(Self.changeSet([Self.change("Add", "AWS::ECR::Repository")])) else {
            Issue.record("a plain create adds its repository")
            return
        }
    }

    /// A change set given up on (refused or failed, or the deploy stopped while it was worked
    /// out) takes with it the stack its CREATE made, which holds nothing; a stack that was there
    /// before the deploy (left `REVIEW_IN_PROGRESS` by another, or deployed) keeps all but this
    /// deploy's change set.
    @Test func aChangeSetGivenUpOnTakesTheStackItMadeAndNoOther() {
        struct Refused: Error {}
        var adopting = Self.deployment
        adopting.importExistingResources = true
        let cases: [(before: StackDescription?, deployment: StackDeployment, takesStack: Bool)] = [
            (nil, Self.deployment, true), (Self.stack(.reviewInProgress), Self.deployment, false),
            (Self.stack(.updateComplete), Self.deployment, false), (nil, adopting, true), (Self.stack(.reviewInProgress), adopting, false),
        ]
        for (before, deployment, takesStack) in cases {
            let label = "\(before?.status.name ?? "no stack"), adopting: \(deployment.importExistingResources)"
            var failing = machine(skips: false, deployment: deployment)
            _ = failing.start()
            guard case .makeChangeSet = failing.described(before) else { Issue.record("\(label): a change set"); continue }
            switch failing.changeSetFailed(Refused()) {
            case .discardStack(let error): #expect(takesStack && error is Refused, "\(label)")
            case .discardChangeSet(let error): #expect(!takesStack && error is Refused, "\(label)")
            default: Issue.record("\(label): the change set was not given up on")
            }
            guard deployment.importExistingResources else { continue }
            var refusing = machine(deployment: deployment)
            _ = refusing.start()
            _ = refusing.described(before)
            switch refusing.changeSetMade(Self.changeSet([Self.change("Add", "AWS::ECR::Repository")])) {
            case .discardStack: #expect(takesStack, "\(label)")
            case .discardChangeSet: #expect(!takesStack, "\(label)")
            default: Issue.record("\(label): the adoption that adds was not refused")
            }
        }
        var finished = machine()
        _ = finished.start()
        _ = finished.described(nil)
        _ = finished.changeSetFailed(Refused())
        guard case .fail = finished.changeSetFailed(Refused()) else { Issue.record("a second failure is unexpected"); return }
    }

    /// While a change set is run, the deployer asks whether giving it up takes the stack: only a
    /// CREATE that made it, never a stack that was there (`REVIEW_IN_PROGRESS` before the
    /// deploy) or an update.
    @Test func onlyAStackTheDeployMadeIsGivenUpWithItsChangeSetAtTheExecute() {
        for (before, madeIt) in [(nil, true), (Self.stack(.reviewInProgress), false), (Self.stack(.updateComplete), false)] as [(StackDescription?, Bool)] {
            var machine = machine(skips: false)
            _ = machine.start()
            #expect(!machine.changeSetMadeTheStack, "before any change set")
            _ = machine.described(before)
            #expect(machine.changeSetMadeTheStack == madeIt, "\(before?.status.name ?? "no stack"): making")
            guard case .execute = machine.changeSetMade(Self.changeSet([Self.change("Add", "AWS::ECS::Service")])) else {
                Issue.record("execute")
                continue
            }
            #expect(machine.changeSetMadeTheStack == madeIt, "\(before?.status.name ?? "no stack"): running")
            _ = machine.executed(Self.stack(.createComplete))
            #expect(!machine.changeSetMadeTheStack, "once finished")
        }
    }

    @Test func aBusyStackIsWaitedForThenDecidedAgain() {
        var machine = machine()
        _ = machine.start()
        guard case .waitForSettle(let message) = machine.described(Self.stack(.updateInProgress)) else { Issue.record("wait"); return }
        #expect(message == "app-api-dev is UPDATE_IN_PROGRESS; waiting for it to settle")
        guard case .describeStack = machine.settled() else { Issue.record("describe again"); return }
        guard case .makeChangeSet(.update) = machine.described(Self.stack(.updateRollbackComplete)) else {
            Issue.record("a rolled-back stack gets a change set, never a skip")
            return
        }
    }

    @Test func aFailedFirstCreateIsDeletedThenCreated() {
        var machine = machine()
        _ = machine.start()
        guard case .deleteStack(let message) = machine.described(Self.stack(.rollbackComplete)) else { Issue.record("delete"); return }
        #expect(message.contains("first create failed (ROLLBACK_COMPLETE)"))
        guard case .describeStack = machine.settled() else { Issue.record("describe again"); return }
        guard case .makeChangeSet(.create) = machine.described(nil) else { Issue.record("create"); return }
    }

    @Test func aBlockedStackStopsWithGuidanceNamingIt() {
        var machine = machine()
        _ = machine.start()
        guard case .fail(.stackBlocked(let stack, let status, let guidance)) = machine.described(Self.stack(.updateRollbackFailed)) else {
            Issue.record("fail")
            return
        }
        #expect(stack == "app-api-dev")
        #expect(status == "UPDATE_ROLLBACK_FAILED")
        #expect(guidance.contains("--stack-name app-api-dev"))
    }

    @Test func anIdenticalDeployOfAHealthyStackFinishesWithoutAChangeSet() {
        var machine = machine()
        _ = machine.start()
        let deployed = Self.stack(.updateComplete, parameters: ["ImageTag": "dev-2"])
        guard case .fetchTemplate = machine.described(deployed) else { Issue.record("compare"); return }
        guard case .finish(.noChanges, let outputs, let protect, nil) = machine.templateFetched("{}") else { Issue.record("no changes"); return }
        #expect(outputs == ["Url": "u"])
        #expect(protect, "termination protection is still turned on when it is missing")
    }

    @Test func aDifferentTemplateGetsAnUpdateChangeSet() {
        var machine = machine()
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete, parameters: ["ImageTag": "dev-2"]))
        guard case .makeChangeSet(.update) = machine.templateFetched("{\"Resources\":{}}") else { Issue.record("update"); return }
    }

    @Test func withoutSkippingEveryUpdateGetsAChangeSet() {
        var machine = machine(skips: false)
        _ = machine.start()
        guard case .makeChangeSet(.update) = machine.described(Self.stack(.updateComplete, parameters: ["ImageTag": "dev-2"])) else {
            Issue.record("update")
            return
        }
    }

    @Test func anEmptyChangeSetIsDeletedAndTheOutputsRead() {
        var machine = machine(skips: false)
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete))
        guard case .deleteChangeSet = machine.changeSetMade(.noChanges(made: true)) else { Issue.record("delete it"); return }
        guard case .readOutputs = machine.changeSetDeleted() else { Issue.record("outputs"); return }
        guard case .finish(.noChanges, let outputs, let protect, nil) = machine.outputsRead(Self.stack(.updateComplete, outputs: ["A": "b"])) else {
            Issue.record("finish")
            return
        }
        #expect(outputs == ["A": "b"])
        #expect(protect, "termination protection is turned on when it is missing, change set or not")
        var protected = self.machine(skips: false)
        _ = protected.start()
        _ = protected.described(Self.stack(.updateComplete, protected: true))
        _ = protected.changeSetMade(.noChanges(made: false))
        guard case .finish(.noChanges, _, false, nil) = protected.outputsRead(Self.stack(.updateComplete, protected: true)) else {
            Issue.record("a protected stack is left as it is")
            return
        }
    }

    static let role = "arn:aws:iam::111111111111:role/cfn-exec"
    static let otherRole = "arn:aws:iam::111111111111:role/cfn-narrow"

    /// CloudFormation records a stack's role (CreateChangeSet's `RoleARN`) only with a change set
    /// that changes something (one of nothing but a new role holds no changes, as moto also
    /// answers), and keeps the last role it was given when none is given. A deploy that leaves
    /// another role acting than the one it gives says so, on each path that ends it.
    @Test func aRoleTheStackDoesNotTakeIsAWarning() {
        var deployment = Self.deployment
        deployment.cloudFormationRoleArn = Self.otherRole
        // Skipped as unchanged: the stack acts with the old role.
        var skipped = machine(deployment: deployment)
        _ = skipped.start()
        _ = skipped.described(Self.stack(.updateComplete, parameters: ["ImageTag": "dev-2"], role: Self.role))
        guard case .finish(.noChanges, _, _, let warning) = skipped.templateFetched("{}") else { Issue.record("no changes"); return }
        #expect(warning == .roleNotRecorded(stack: "app-api-dev", acting: Self.role, given: Self.otherRole))
        // An empty change set: the same, from the stack read afterwards; a stack that had no role.
        var empty = machine(skips: false, deployment: deployment)
        _ = empty.start()
        _ = empty.described(Self.stack(.updateComplete))
        _ = empty.changeSetMade(.noChanges(made: false))
        guard case .finish(.noChanges, _, _, let emptyWarning) = empty.outputsRead(Self.stack(.updateComplete)) else {
            Issue.record("no changes")
            return
        }
        #expect(emptyWarning == .roleNotRecorded(stack: "app-api-dev", acting: nil, given: Self.otherRole))
        // An executed change set records the role given: no warning.
        var changed = machine(skips: false, deployment: deployment)
        _ = changed.start()
        _ = changed.described(Self.stack(.updateComplete, role: Self.role))
        _ = changed.changeSetMade(Self.changeSet([Self.change("Modify", "AWS::ECS::Service")]))
        guard case .finish(.updated, _, _, nil) = changed.executed(Self.stack(.updateComplete, role: Self.otherRole)) else {
            Issue.record("updated without a warning")
            return
        }
        // The same role as deployed: no warning.
        var same = machine(deployment: deployment)
        _ = same.start()
        _ = same.described(Self.stack(.updateComplete, parameters: ["ImageTag": "dev-2"], role: Self.otherRole))
        guard case .finish(.noChanges, _, _, nil) = same.templateFetched("{}") else { Issue.record("no warning"); return }
    }

    /// A deploy that gives no role leaves the stack's last role acting, change or not.
    @Test func aRoleNoLongerGivenIsKeptAndSaidSo() {
        var machine = machine(skips: false)
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete, role: Self.role))
        _ = machine.changeSetMade(Self.changeSet([Self.change("Modify", "AWS::ECS::Service")]))
        guard case .finish(.updated, _, _, let warning) = machine.executed(Self.stack(.updateComplete, role: Self.role)) else {
            Issue.record("updated")
            return
        }
        #expect(warning == .roleKept(stack: "app-api-dev", role: Self.role))
        #expect(warning?.description.contains("only a stack made again acts without one") == true)
    }

    /// A stack left UPDATE_FAILED (an update with rollback turned off) gets a change set; one
    /// that changes nothing does not make the deploy a success, as the stack is still broken.
    @Test func anUpdateFailedStackThatNothingChangesIsNoSuccess() {
        var machine = machine()
        _ = machine.start()
        guard case .makeChangeSet(.update) = machine.described(Self.stack(.updateFailed, parameters: ["ImageTag": "dev-2"])) else {
            Issue.record("a change set, not the unchanged shortcut")
            return
        }
        _ = machine.changeSetMade(.noChanges(made: true))
        _ = machine.changeSetDeleted()
        guard case .fail(let error) = machine.outputsRead(Self.stack(.updateFailed)) else { Issue.record("fail"); return }
        #expect("\(error)".contains("aws cloudformation rollback-stack --stack-name app-api-dev"), "\(error)")
    }

    @Test func anUpdateRefusedAsIdenticalReadsTheOutputs() {
        var machine = machine(skips: false)
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete))
        guard case .readOutputs = machine.changeSetMade(.noChanges(made: false)) else { Issue.record("outputs"); return }
    }

    @Test func parameterOnlyChangesAreNamed() {
        var machine = machine(skips: false)
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete, parameters: ["ImageTag": "dev-1"]))
        guard case .execute(.parametersOnly(let changes)) = machine.changeSetMade(Self.changeSet([])) else {
            Issue.record("parameters only")
            return
        }
        #expect(changes == ["ImageTag dev-1 → dev-2"])
    }

    @Test(arguments: [("Remove", nil), ("Modify", "True"), ("Modify", "Conditional")] as [(String, String?)])
    func aChangeSetThatLosesARepositoryIsDiscarded(action: String, replacement: String?) {
        var machine = machine(skips: false)
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete))
        let outcome = Self.changeSet([Self.change(action, "AWS::ECR::Repository", replacement: replacement)])
        guard case .discardChangeSet(DeployError.repositoryWouldBeLost(let stack, let guidance)) = machine.changeSetMade(outcome) else {
            Issue.record("discard")
            return
        }
        #expect(stack == "app-api-dev")
        #expect(guidance.contains("never replaces or deletes a repository, and nothing was changed"))
    }

    @Test func aFailedOperationIsExplained() {
        var machine = machine(skips: false)
        _ = machine.start()
        _ = machine.described(Self.stack(.updateComplete))
        _ = machine.changeSetMade(Self.changeSet([Self.change("Modify", "AWS::ECS::Service")]))
        guard case .explainFailure(let status) = machine.executed(Self.stack(.updateRollbackComplete)) else { Issue.record("explain"); return }
        #expect(status == .updateRollbackComplete)
    }

    @Test func anObservationOutOfTurnFailsInsteadOfTrapping() {
        var machine = machine()
        guard case .fail(.stackBlocked(_, _, let guidance)) = machine.templateFetched("{}") else { Issue.record("fail"); return }
        #expect(guidance.contains("internal error"))
        guard case .fail = machine.settled() else { Issue.record("stays failed"); return }
    }

    /// A deployment of app `app`'s stack, tagged as Berth tags it.
    static let appDeployment = StackDeployment(
        stackName: "app-api-dev", templateBody: "{}", resourceCount: 2, parameters: [("ImageTag", "dev-2")],
        tags: [("berth:app", "app"), ("berth:phase", "ecs"), ("berth:environment", "dev"), ("berth:service", "api")])

    @Test(arguments: [
        (["berth:app": "app-api"], "app-api-dev belongs to app app-api (its berth:app tag): it is not app app's, and Berth works only with app app's stacks; nothing was changed in it. Two apps"),
        ([:], "app-api-dev has no berth:app tag: it is not app app's, and Berth works only with app app's stacks; nothing was changed in it. A stack made by hand"),
        (["berth:application": "app"], "app-api-dev has no berth:app tag: it is not app app's"),
    ] as [([String: String], String)])
    func aStackOfAnotherOwnerIsRefusedAtItsFirstDescription(tags: [String: String], message: String) {
        var machine = machine(deployment: Self.appDeployment)
        _ = machine.start()
        guard case .fail(let error) = machine.described(Self.stack(.updateComplete, tags: tags)) else {
            Issue.record("refused before any change set")
            return
        }
        guard case .foreignStacks(let stacks, let app) = error else { Issue.record("a foreign stack: \(error)"); return }
        #expect(stacks == [ForeignStack(stack: "app-api-dev", owner: tags["berth:app"])])
        #expect(app == "app")
        #expect(error.description.hasPrefix(message), "\(error)")
        guard case .fail = machine.settled() else { Issue.record("stays finished"); return }
    }

    @Test func aFailedFirstCreateOfAnotherAppIsNeverDeleted() {
        var machine = machine(deployment: Self.appDeployment)
        _ = machine.start()
        guard case .fail(.foreignStacks([ForeignStack(stack: "app-api-dev", owner: "other")], "app")) =
            machine.described(Self.stack(.rollbackComplete, tags: ["berth:app": "other"]))
        else {
            Issue.record("refused, not deleted and created again")
            return
        }
    }

    @Test func aStackThatHoldsOnlyAnUnexecutedChangeSetIsCreatedWithoutATag() {
        // CloudFormation's documentation does not say that such a stack shows its change set's
        // tags; it holds no resource, so nothing of anyone's can be lost.
        var machine = machine(deployment: Self.appDeployment)
        _ = machine.start()
        guard case .makeChangeSet(.create) = machine.described(Self.stack(.reviewInProgress)) else {
            Issue.record("created, as an interrupted first deploy is")
            return
        }
        var tagged = self.machine(deployment: Self.appDeployment)
        _ = tagged.start()
        guard case .fail(.foreignStacks) = tagged.described(Self.stack(.reviewInProgress, tags: ["berth:app": "other"])) else {
            Issue.record("another app's change set is left alone")
            return
        }
    }

    @Test func theAppsOwnFailedFirstCreateIsStillDeletedAndCreated() {
        var machine = machine(deployment: Self.appDeployment)
        _ = machine.start()
        guard case .deleteStack = machine.described(Self.stack(.rollbackComplete, tags: ["berth:app": "app"])) else {
            Issue.record("deleted and created again")
            return
        }
    }

    /// Environment `api-dev`'s shared stack and environment `dev`'s service `api` are both
    /// `app-api-dev`: the one deployed first is the other's to refuse, whichever tag differs.
    @Test(arguments: [
        (["berth:environment": "dev", "berth:service": "api"], "environment dev's service api"),
        (["berth:environment": "api-dev", "berth:service": "web"], "environment api-dev's service web"),
        (["berth:phase": "ecr", "berth:service": "api-dev"], "service api-dev's repositories"),
    ] as [([String: String], String)])
    func anotherPartOfTheAppsStackIsRefusedAtItsFirstDescription(tags: [String: String], part: String) {
        let deployment = StackDeployment(
            stackName: "app-api-dev", templateBody: "{}", resourceCount: 2,
            tags: [("berth:app", "app"), ("berth:phase", "ecs"), ("berth:environment", "api-dev")])
        var machine = machine(deployment: deployment)
        _ = machine.start()
        let found = Self.stack(.updateComplete, tags: tags.merging(["berth:app": "app", "berth:phase": "ecs"]) { own, _ in own })
        guard case .fail(let error) = machine.described(found) else {
            Issue.record("refused before any change set")
            return
        }
        guard case .foreignStacks(let stacks, "app") = error else { Issue.record("another part's stack: \(error)"); return }
        let otherPart = ForeignStack.OtherPart(found: part, wanted: "environment api-dev's shared stack")
        #expect(stacks == [ForeignStack(stack: "app-api-dev", owner: "app", otherPart: otherPart)])
        #expect(
            error.description
                == "app-api-dev is app app's stack of \(part), not environment api-dev's shared stack (its berth: tags); nothing was changed in it. "
                + "Two parts of one app make the same stack name when an environment's name and a service's spell another's "
                + "(\(part) and environment api-dev's shared stack are both app-api-dev): rename the preview, the environment or the service",
            "\(error)")
    }

    /// A stack holding a repository has its deployed template read even when a deploy makes a
    /// change set whatever (--force): an update that would rename the repository (a create-only
    /// property) fails there, before any change set; one that keeps it makes its change set.
    @Test func aRepositoryTheUpdateWouldReplaceStopsBeforeAnyChangeSet() throws {
        func template(_ name: String, mutability: String = "IMMUTABLE") -> String {
            #"{"Resources":{"Repository":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"\#(name)","ImageTagMutability":"\#(mutability)"}}}}"#
        }
        let configuration = AWSConfiguration(
            region: "eu-west-1",
            endpoints: EndpointResolver(region: "eu-west-1", override: Endpoint(scheme: "http", host: "127.0.0.1", port: 9), environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(maxAttempts: 1))
        var deployment = StackDeployment(stackName: "app-web-ecr", templateBody: template("app/site"), resourceCount: 1)
        deployment.repositoryKeeper = RepositoryKeeper(ecr: ECRClient(configuration: configuration), repository: "app/site", template: [:])
        var machine = machine(skips: false, deployment: deployment)
        _ = machine.start()
        guard case .fetchTemplate = machine.described(Self.stack(.updateComplete)) else {
            Issue.record("the deployed template is read for the repository it holds")
            return
        }
        guard case .fail(let error) = machine.templateFetched(template("app/web")), case .repositoryWouldBeLost = error else {
            Issue.record("a renamed repository stops the deploy")
            return
        }
        #expect("\(error)".contains("the change would replace the image repository app/web (Repository: RepositoryName can only be set"), "\(error)")
        // Another change to it (its tag mutability) goes on to a change set, even with --force.
        var kept = self.machine(skips: false, deployment: deployment)
        _ = kept.start()
        _ = kept.described(Self.stack(.updateComplete))
        guard case .makeChangeSet(.update) = kept.templateFetched(template("app/site", mutability: "MUTABLE")) else {
            Issue.record("a change set for a change that keeps the repository")
            return
        }
    }

    /// A stack deployed before Berth tagged environments and services has only its app's tag
    /// (and maybe its phase's): it is still the app's to deploy.
    @Test func aStackWithoutThePartsTagsIsTheApps() {
        var machine = machine(deployment: Self.appDeployment)
        _ = machine.start()
        guard case .fetchTemplate = machine.described(Self.stack(.updateComplete, tags: ["berth:app": "app"])) else {
            Issue.record("compared, as the app's own stack")
            return
        }
    }

    @Test func theAppsOwnStackIsDeployedAsBefore() {
        var machine = machine(deployment: Self.appDeployment)
        _ = machine.start()
        guard case .fetchTemplate = machine.described(Self.stack(.updateComplete, tags: ["berth:app": "app", "berth:phase": "ecs"])) else {
            Issue.record("compared, as any healthy stack of the app")
            return
        }
        var untagged = self.machine(deployment: Self.deployment)
        _ = untagged.start()
        guard case .fetchTemplate = untagged.described(Self.stack(.updateComplete)) else {
            Issue.record("a deployment that names no app (no berth:app tag) checks no owner")
            return
        }
    }
}
