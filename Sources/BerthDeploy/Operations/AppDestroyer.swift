import BerthAWS
import BerthModel

/// Deletes an environment's phase-2 stacks, those of services removed from the files since they
/// were deployed too: a service's stack before the shared stack it stands on, independent ones
/// at the same time. Before anything is deleted, every stack is checked: one with termination
/// protection, one that holds an image repository, one whose load balancer has deletion
/// protection, or one that is not the app's (`StackOwnership`) refuses the whole destroy, so
/// that no repository or image, and no other app's stack, is ever deleted, and no destroy stops
/// halfway.
public struct AppDestroyer: Sendable {
    /// Why a destroy was refused before anything was deleted.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public let reasons: [String]
        public var description: String { "nothing was deleted: " + reasons.joined(separator: "; ") }
    }

    let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    let reporter: DeployReporter
    let started: @Sendable (PlannedStack) -> Void
    let timeout: Duration
    let concurrency: Int

    public init(
        clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients, reporter: DeployReporter,
        started: @escaping @Sendable (PlannedStack) -> Void, timeout: Duration = .seconds(1800), concurrency: Int = 4
    ) {
        self.clients = clients
        self.reporter = reporter
        self.started = started
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
    }

    /// The stacks of the plan that exist, and those of services removed from the files since they
    /// were deployed, after checking that each may be deleted. With `removedServices`, only the
    /// stacks of those services (by their `berth:service` tag) that the files no longer have: the
    /// environment stays. A service named there that the plan still has refuses the destroy.
    public func existing(_ plan: DeployPlan, removedServices: Set<String>? = nil) async throws -> [PlannedStack] {
        var found: [PlannedStack] = []
        var reasons: [String] = []
        if let removedServices {
            let current = Set(plan.stacks.compactMap(\.service))
            for service in removedServices.sorted() where current.contains(service) {
                reasons.append("\(service) is a service of the environment's file: only a service the files no longer have is deleted alone")
            }
        }
        for stack in plan.stacks where removedServices == nil {
            guard stack.phase == .ecs else {
                reasons.append("\(stack.name) holds an image repository (phase 1); destroy never deletes one")
                continue
            }
            let cloudFormation = try clients(stack.target).cloudFormation
            guard let description = try await cloudFormation.describeStack(stack.name) else { continue }
            if let foreign = StackOwnership.foreign(description, tags: stack.tags), let app = stack.appName {
                // Another app's stack refuses the destroy; another environment's of this app is
                // simply not this environment's, and left alone, so that destroying an
                // environment whose deploy it refused still cleans up the rest.
                if foreign.isOtherApps {
                    reasons.append("\(foreign): destroy deletes only app \(app)'s stacks")
                } else {
                    reporter.message("note: \(foreign): destroy leaves it alone")
                }
                continue
            }
            reasons += try await problems(of: stack.name, description, try clients(stack.target))
            found.append(stack)
        }
        let (behind, misnamed) = try await leftBehind(plan)
        for description in misnamed where removedServices.map({ description.tags[StackTags.serviceKey].map($0.contains) ?? false }) ?? true {
            // Tagged as the environment's, named as none of its stacks: made or tagged by hand, or
            // by another tool. Deleting it could lose what is not Berth's; leaving it could leave
            // the environment's network in use under it.
            let service = description.tags[StackTags.serviceKey].map { "service \($0)" } ?? "the shared stack"
            reasons.append(
                "\(description.name) carries the environment's tags (\(service)) but is not named as Berth names that stack; "
                    + "destroy deletes only stacks it can tell are the environment's: delete it, or remove its berth: tags, yourself")
        }
        for stack in behind where removedServices.map({ stack.service.map($0.contains) ?? false }) ?? true {
            let clients = try clients(stack.target)
            guard let description = try await clients.cloudFormation.describeStack(stack.name) else { continue }
            reasons += try await problems(of: stack.name, description, clients)
            found.append(stack)
        }
        guard reasons.isEmpty else { throw Refusal(reasons: reasons) }
        return found
    }

    /// Why `stack` may not be deleted: termination protection, an image repository, or a load
    /// balancer with deletion protection (`loadBalancerDeletionProtection`, on under `controls:
    /// control-tower`, or turned on by hand), which CloudFormation cannot delete: the destroy
    /// would stop halfway. The load balancer itself is asked, not the template.
    private func problems(of stack: String, _ description: StackDescription, _ clients: AppDeployer.Clients) async throws -> [String] {
        var reasons: [String] = []
        if description.terminationProtection {
            reasons.append(
                "\(stack) has termination protection; turn it off first (aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name \(stack))")
        }
        // A nested stack's resources are deleted with it: each is checked as the stack's own.
        let (resources, tooDeep) = try await resources(
            in: try await clients.cloudFormation.listStackResources(stackName: stack).collect(), clients.cloudFormation)
        let repositories = resources.filter { $0.resource.resourceType == "AWS::ECR::Repository" && !$0.resource.isDeleted }
        if !repositories.isEmpty {
            reasons.append("\(stack) holds an image repository (\(repositories.map(\.path).joined(separator: ", "))); destroy never deletes one")
        }
        if !tooDeep.isEmpty {
            reasons.append(
                "\(stack) has nested stacks more than \(Self.nestedStackDepth) deep (\(tooDeep.joined(separator: ", "))), which destroy does not look "
                    + "into for image repositories or protected load balancers; delete it yourself once you know it holds neither")
        }
        // DELETE_FAILED too: what a destroy that stopped at a protected load balancer leaves.
        for (name, balancer) in resources where balancer.resourceType == "AWS::ElasticLoadBalancingV2::LoadBalancer" && !balancer.isDeleted {
            guard let loadBalancing = clients.loadBalancing, let arn = balancer.physicalID, arn.hasPrefix("arn:") else { continue }
            let attributes: [String: String]
            do {
                attributes = try await loadBalancing.loadBalancerAttributes(arn: arn)
            } catch let error as AWSServiceError where error.code == "LoadBalancerNotFound" {
                continue  // deleted by hand: nothing protects it
            } catch let error as AWSServiceError where error.code.contains("AccessDenied") {
                reasons.append(
                    "\(stack)'s load balancer \(name) could not be checked for deletion protection (\(error.code)): "
                        + "the credentials berth uses here need elasticloadbalancing:DescribeLoadBalancerAttributes (with the bootstrap's deploy role, "
                        + "deploy the bootstrap template again)")
                continue
            }
            guard let protection = attributes["deletion_protection.enabled"] else {
                // ELBv2 lists every attribute; an answer without this one says nothing about it.
                reasons.append(
                    "\(stack)'s load balancer \(name) could not be checked for deletion protection: "
                        + "DescribeLoadBalancerAttributes did not list deletion_protection.enabled")
                continue
            }
            guard protection == "true" else { continue }
            reasons.append(
                "\(stack)'s load balancer \(name) has deletion protection, which CloudFormation cannot delete; turn it off first "
                    + "(aws elbv2 modify-load-balancer-attributes --region \(loadBalancing.region) --load-balancer-arn \(arn) "
                    + "--attributes Key=deletion_protection.enabled,Value=false)")
        }
        return reasons
    }

    /// `resources` and those of the nested stacks among them (deleted with the stack that holds
    /// them), each named by its logical ID (`Nested/LoadBalancer` for a nested stack's), and the
    /// nested stacks deeper than `nestedStackDepth`, which were not looked into.
    private func resources(
        in resources: [StackResourceSummary], _ cloudFormation: CloudFormationClient, path: String = "", depth: Int = 0
    ) async throws -> (found: [(path: String, resource: StackResourceSummary)], tooDeep: [String]) {
        var found: [(path: String, resource: StackResourceSummary)] = []
        var tooDeep: [String] = []
        for resource in resources {
            found.append((path + resource.logicalID, resource))
            guard resource.resourceType == "AWS::CloudFormation::Stack", !resource.isDeleted, let nested = resource.physicalID, !nested.isEmpty
            else { continue }
            guard depth < Self.nestedStackDepth else {
                tooDeep.append(path + resource.logicalID)
                continue
            }
            let inner = try await self.resources(
                in: try await cloudFormation.listStackResources(stackName: nested).collect(), cloudFormation, path: path + resource.logicalID + "/",
                depth: depth + 1)
            found += inner.found
            tooDeep += inner.tooDeep
        }
        return (found, tooDeep)
    }

    /// How deep `resources(in:)` looks into nested stacks.
    static let nestedStackDepth = 5

    /// The environment's deployed phase-2 stacks that the plan no longer has (a service removed
    /// from the files since it was deployed), found by the tags Berth gave them (`StackTags`) and
    /// the name those give: deleted with the environment, before its shared stack, so that none
    /// keeps running. Those its tags do not name (`misnamed`) are for the caller to refuse.
    private func leftBehind(_ plan: DeployPlan) async throws -> (stacks: [PlannedStack], misnamed: [StackDescription]) {
        guard let shared = plan.stacks.first(where: { $0.phase == .ecs && $0.service == nil }), let environment = shared.environment,
            let app = shared.appName
        else { return ([], []) }
        var found: [PlannedStack] = []
        var misnamed: [StackDescription] = []
        let cloudFormation = try clients(shared.target).cloudFormation
        for description in try await LeftBehindStacks.find(app: app, environment: environment, except: Set(plan.stacks.map(\.name)), in: cloudFormation) {
            guard LeftBehindStacks.isNamedByItsTags(description, app: app, environment: environment) else {
                misnamed.append(description)
                continue
            }
            let service = description.tags[StackTags.serviceKey]
            found.append(
                PlannedStack(
                    name: description.name, phase: .ecs, environment: environment, service: service, region: shared.region, templateBody: "",
                    resourceCount: 0, parameters: [], template: .object([]), imageRepository: nil,
                    tags: StackTags.tags(app: app, phase: .ecs, environment: environment, service: service), capabilities: [],
                    terminationProtection: false, deployAfter: [shared.name], cloudFormationRoleArn: shared.cloudFormationRoleArn))
        }
        return (found, misnamed)
    }

    /// Deletes `stacks` (from `existing(_:)`), each after the stacks that depend on it or follow it.
    public func destroy(_ stacks: [PlannedStack]) async throws -> [String: StackDeployer.DeleteResult] {
        var dependents: [String: [String]] = [:]
        for stack in stacks {
            for dependency in stack.ordering { dependents[dependency, default: []].append(stack.name) }
        }
        do {
            return try await StackScheduler(concurrency: concurrency).run(stacks, after: { [dependents] in dependents[$0.name] ?? [] }) { stack in
                started(stack)
                let clients = try clients(stack.target)
                let deployer = StackDeployer(
                    cloudFormation: clients.cloudFormation, ecs: clients.ecs, reporter: reporter, timeout: timeout)
                // Checked again as it is deleted: a confirmation on a terminal can take a while.
                return try await deployer.delete(stack.name, roleARN: stack.cloudFormationRoleArn, tags: stack.tags)
            }
        } catch var error as AppDeployError {
            error.done = "deleted"
            throw error
        }
    }
}
