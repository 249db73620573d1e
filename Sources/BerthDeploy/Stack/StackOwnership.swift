import BerthAWS
import BerthModel

/// Whose a deployed stack is. Berth gives every stack it deploys a `berth:app` tag, and changes,
/// deletes, runs tasks of or opens a shell in a stack, or reads a service's log group, only when
/// that tag names the app at hand.
///
/// Two apps can make the same stack name: app `shop` with a service `admin` and app `shop-admin`
/// both make `shop-admin-dev`. A stack made by hand or by another tool can have one of the app's
/// names too. Deploying over such a stack would replace its resources with the app's, and
/// destroying it would delete them: deploy, rollback, destroy, run and exec refuse it, and diff,
/// status, history and logs say whose it is.
enum StackOwnership {
    /// `deployed` as a foreign stack of `app`, or `nil` when `app` may change it: when its
    /// `berth:app` tag names `app`, or when it has no tag and holds no resource (a first change
    /// set made it and was never executed, as a failed or interrupted deploy leaves it;
    /// CloudFormation's documentation does not say that such a stack shows the change set's
    /// tags). `nil` too when `app` is `nil` (a deployment that names no app).
    static func foreign(_ deployed: StackDescription, app: String?) -> ForeignStack? {
        guard let app else { return nil }
        let owner = deployed.tags[StackTags.appKey].flatMap { $0.isEmpty ? nil : $0 }
        if owner == app || (owner == nil && deployed.status.holdsNoResources) { return nil }
        return ForeignStack(stack: deployed.name, owner: owner)
    }

    /// Throws `DeployError.foreignStacks` when `deployed` is not `app`'s (`foreign(_:app:)`).
    static func check(_ deployed: StackDescription, app: String?) throws(DeployError) {
        if let foreign = foreign(deployed, app: app), let app { throw .foreignStacks([foreign], app: app) }
    }
}
