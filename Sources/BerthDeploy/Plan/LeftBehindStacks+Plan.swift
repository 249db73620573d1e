import BerthAWS
import BerthDiff
import BerthModel

extension LeftBehindStacks {
    /// The deployed stacks of the plan's environments (those of its phase-2 stacks) that the app
    /// no longer has: a service removed from the files since it was deployed, whose stack a
    /// deploy leaves running (a scheduled job's schedule too). Found by the stacks' tags, in each
    /// environment's own account and region; one being deleted is not; sorted by name. When the
    /// region's stacks cannot be listed (credentials that may read the app's stacks but not list
    /// them, a failed call), none and why: the look never undoes the work it follows. A
    /// cancellation stays one.
    public static func look(
        in plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> (found: [StackLeftBehind], failure: String?) {
        try await listing { try await stacks(of: plan, clients: clients) }
    }

    /// What `list` finds among a region's stacks; when the region's stacks cannot be listed,
    /// none and why (a look never undoes the work it follows). A cancellation stays one.
    public static func listing<Found>(_ list: () async throws -> [Found]) async throws -> (found: [Found], failure: String?) {
        do {
            return (try await list(), nil)
        } catch let error as AWSServiceError where error.code.contains("AccessDenied") {
            return ([], "\(error.code): listing the region's stacks needs cloudformation:ListStacks and cloudformation:DescribeStacks on *")
        } catch let error where !(error is CancellationError) {
            return ([], "\(error)")
        }
    }

    private static func stacks(of plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients) async throws -> [StackLeftBehind] {
        var environments: [(name: String, app: String, target: ClientTarget, region: String)] = []
        for stack in plan.stacks where stack.phase == .ecs {
            guard let environment = stack.environment, let app = stack.appName, !environments.contains(where: { $0.name == environment }) else { continue }
            environments.append((environment, app, stack.target, stack.region))
        }
        var found: [StackLeftBehind] = []
        for environment in environments {
            let cloudFormation = try clients(environment.target).cloudFormation
            for description in try await find(app: environment.app, environment: environment.name, except: Set(plan.app.keys), in: cloudFormation)
            where description.status != .deleteInProgress && isNamedByItsTags(description, app: environment.app, environment: environment.name) {
                found.append(
                    StackLeftBehind(
                        stack: description.name, region: environment.region, environment: environment.name,
                        service: description.tags[StackTags.serviceKey], status: description.status.name))
            }
        }
        return found.sorted { $0.stack < $1.stack }
    }
}
