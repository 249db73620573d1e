import BerthAWS
import BerthModel

/// Why a stack deploy did not succeed.
public enum DeployError: Error, Sendable, CustomStringConvertible {
    /// CloudFormation could not make a change set (template or parameter problems): its status
    /// reason, and what the failed events of its operation say (early validation, hooks).
    case changeSetFailed(stack: String, reason: String, details: [String] = [])
    /// The operation failed; `causes` are the failing resources' events, first cause first, and
    /// `stoppedTasks` why the service's recent tasks stopped, when the service is what failed.
    case stackFailed(stack: String, status: String, causes: [StackEvent], stoppedTasks: [String])
    /// The stack is in a state Berth does not change by itself.
    case stackBlocked(stack: String, status: String, guidance: String)
    /// The update would replace or remove the stack's image repository (a changed name or KMS
    /// key), which Berth never does: refused before anything changed, `guidance` saying what.
    case repositoryWouldBeLost(stack: String, guidance: String)
    /// The updates of several stacks, each refused before anything changed, with why.
    case refusals([DeployError])
    /// Stacks with `app`'s names that are not `app`'s (`StackOwnership`): nothing was changed in
    /// them, and when a deploy found them before it began (as it does), nothing at all.
    case foreignStacks([ForeignStack], app: String)
    /// The stack did not settle before the deadline; CloudFormation goes on.
    case timedOut(stack: String, status: String?, waited: Duration)
    /// A stack needs outputs of another that is not deployed or not complete.
    case dependencyNotReady(stack: String, dependency: String, status: String?)
    /// A stack needs an output that the stack it comes from does not have.
    case missingOutput(stack: String, dependency: String, output: String)
    /// A preview's change set could not be deleted (it is never executed).
    case changeSetLeftBehind(stack: String, changeSet: String, reason: String)
    /// The update removed what the templates do not declare of the repository (its own tags, a
    /// policy set outside Berth), and putting it back failed: what is left to set by hand.
    case repositorySettingsLost(stack: String, left: RepositoryKeeper.Kept, reason: String)
    /// The deploy stopped (interrupted, timed out, a lost answer) before a stack whose update
    /// modifies its repository settled: the update may still remove what `kept` holds, which
    /// Berth puts back only once the stack has settled.
    case repositorySettingsAtRisk(stack: String, kept: RepositoryKeeper.Kept, cause: any Error)
    /// The update would replace the repository's policy (set outside Berth, or kept at adoption)
    /// with the pull policy Berth now declares: refused, the change set deleted, nothing changed.
    case repositoryPolicyReplaced(stack: String, repository: String, region: String, account: String?, policy: String)
    /// What the repository has that the update could remove could not be read first; the change
    /// set was deleted, nothing changed.
    case repositoryUnreadable(stack: String, repository: String, reason: String)

    public var description: String {
        switch self {
        case .changeSetFailed(let stack, let reason, let details):
            let refusal = "\(stack): CloudFormation refused the change set: \(reason)"
            guard !details.isEmpty else { return refusal }
            return ([refusal, "What CloudFormation found:"] + details.map { "  \($0)" }).joined(separator: "\n")
        case .stackFailed(let stack, let status, let causes, let stoppedTasks):
            var lines = ["\(stack) failed and is \(status)."]
            if !causes.isEmpty {
                lines.append("What failed, first cause first:")
                for event in causes {
                    lines.append("  \(event.logicalID) (\(event.resourceType)) \(event.status): \(event.statusReason ?? "no reason given")")
                }
            }
            if !stoppedTasks.isEmpty {
                lines.append("Recently stopped tasks of the service:")
                lines += stoppedTasks.map { "  \($0)" }
            }
            return lines.joined(separator: "\n")
        case .stackBlocked(let stack, _, let guidance), .repositoryWouldBeLost(let stack, let guidance):
            return "\(stack): \(guidance)"
        case .refusals(let refusals):
            return refusals.map(\.description).joined(separator: "\n")
        case .foreignStacks(let stacks, let app):
            // Another app's stacks are said to be not the app's; another part's say whose they are.
            let others = stacks.filter(\.isOtherApps)
            let parts = stacks.filter { !$0.isOtherApps }
            var found: [String] = []
            if !others.isEmpty {
                let pronoun = others.count == 1 ? "it is" : "they are"
                found.append(
                    others.map(\.description).joined(separator: "; ") + ": \(pronoun) not app \(app)'s, and Berth works only with app \(app)'s stacks")
            }
            found += parts.map(\.description)
            return found.joined(separator: "; ") + "; nothing was changed in \(stacks.count == 1 ? "it" : "them"). " + ForeignStack.guidance(stacks, app: app)
        case .dependencyNotReady(let stack, let dependency, let status):
            return "\(stack) needs the outputs of \(dependency), which \(status.map { "is \($0), not complete" } ?? "does not exist"); deploy \(dependency) first (deploying the whole environment deploys it before its services)"
        case .missingOutput(let stack, let dependency, let output):
            return "\(stack) needs output \(output) of \(dependency), which has none; deploy \(dependency) again with this version of the app"
        case .changeSetLeftBehind(let stack, let changeSet, let reason):
            return "\(stack): could not delete the preview change set \(changeSet) (\(reason)); it is harmless and never executed: "
                + "aws cloudformation delete-change-set --stack-name \(stack) --change-set-name \(changeSet) removes it"
        case .repositorySettingsLost(let stack, let left, let reason):
            let repository = left.repository
            return "\(stack): the update removed the \(left.what) of repository \(repository), which the templates do not declare, "
                + "and putting them back failed (\(reason)); set them again, with the repositories' account's credentials: " + left.commands.joined(separator: "; ")
        case .repositorySettingsAtRisk(let stack, let kept, let cause):
            let repository = kept.repository
            return "\(cause)\n\(stack) had not settled, and its update may remove the \(kept.what) of repository \(repository), which the templates do not declare "
                + "and Berth puts back only once the stack settles: once it has, set what is missing again, with the repositories' account's credentials: "
                + kept.commands.joined(separator: "; ")
        case .repositoryPolicyReplaced(let stack, let repository, let region, let account, let policy):
            let names = "--region \(region)\(account.map { " --registry-id \($0)" } ?? "") --repository-name \(repository)"
            return "\(stack): repository \(repository) has a policy that Berth's template does not hold, and the update would replace it with the pull "
                + "policy Berth now declares (an environment in another account); nothing was changed: save it (aws ecr get-repository-policy "
                + "\(names)), remove it (aws ecr delete-repository-policy \(names)) and grant that access another way, then deploy again; policy: "
                + RepositoryAdoption.oneLine(policy)
        case .repositoryUnreadable(let stack, let repository, let reason):
            return "\(stack): could not read the tags and policy of repository \(repository), which the update would remove where the templates do not declare them (\(reason)); "
                + "nothing was changed: the change set was deleted"
        case .timedOut(let stack, let status, let waited):
            return "\(stack) did not settle within \(DurationText.text(waited)) (it is \(status ?? "unknown")); CloudFormation carries on: run the same deploy again to keep waiting"
        }
    }
}
