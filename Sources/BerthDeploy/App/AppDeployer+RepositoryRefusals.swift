import BerthAWS
import BerthTemplate

extension AppDeployer {
    /// Refuses the whole deploy, before anything changes, when the update of any of `stacks`
    /// (the plan's repository stacks) that is deployed would be refused on its own: it would
    /// replace its repository (`RepositoryReplacement`: a new name or KMS key), or put Berth's
    /// pull policy over one the repository has (`RepositoryKeeper.policyReplaced`). Each stack's
    /// deploy checks again as it goes; without this look first, the other repository stacks,
    /// deployed side by side, would have changed by the time one was refused. Every refusal is
    /// said at once. `described` holds the stacks read before, by name.
    func refuseRepositoryLosses(_ stacks: [PlannedStack], described: [String: StackDescription], of plan: DeployPlan) async throws {
        var refusals: [DeployError] = []
        for stack in stacks {
            guard let held = stack.heldRepository, let deployed = described[stack.name], deployed.status.holdsDeployment,
                StackOwnership.foreign(deployed, tags: stack.tags) == nil
            else { continue }
            do {
                let clients = try clients(stack.target)
                let deployedBody = try await clients.cloudFormation.getTemplate(stackName: stack.name)
                if let replaced = RepositoryReplacement.find(deployed: deployedBody, planned: stack.templateBody) {
                    refusals.append(replaced.refusal(of: stack.name))
                    continue
                }
                let keeper = RepositoryKeeper(ecr: clients.ecr, repository: held.name, template: stack.template)
                let arn = { try await clients.ecr.describeRepositories(names: [held.name]).collect().first?.repositoryArn }
                if let replaced = try await keeper.policyReplaced(from: RepositoryKeeper.repositoryProperties(ofTemplate: deployedBody), arn: arn) {
                    refusals.append(replaced.refusal(of: stack.name, by: keeper))
                }
            } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
                continue  // gone from under its stack: the stack's own deploy says so
            } catch let cancelled as CancellationError {
                throw cancelled
            } catch {
                throw AppDeployError(stack: stack.name, cause: error, completed: [], alsoFailed: [], notStarted: plan.stacks.map(\.name))
            }
        }
        if refusals.count == 1, let refusal = refusals.first { throw refusal }
        if !refusals.isEmpty { throw DeployError.refusals(refusals) }
    }
}
