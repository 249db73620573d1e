import BerthAWS
import BerthModel

/// Whose a deployed stack is. Berth gives every stack it deploys the tags of its part of the app
/// (`StackTags`: app, phase, environment, service), and changes, deletes, runs tasks of or opens
/// a shell in a stack, or reads a service's log group, only when those tags name the part at hand.
///
/// Two apps can make the same stack name: app `shop` with a service `admin` and app `shop-admin`
/// both make `shop-admin-dev`. So can two parts of one app: environment `dev`'s service `web`
/// and environment `web-dev`'s shared stack are both `shop-web-dev` (synth refuses the two in one
/// set of files, but a file renamed while the old environment's stacks still run, or another
/// branch's files, can meet them). A stack made by hand or by another tool can have one of the
/// app's names too. Deploying over such a stack would replace
/// its resources with the app's, and destroying it would delete them: deploy, rollback, destroy,
/// run and exec refuse it, and diff, status, history and logs say whose it is.
enum StackOwnership {
    /// `deployed` as a foreign stack of the part of an app that `tags` name (a planned stack's
    /// `StackTags`), or `nil` when that part may change it: when its `berth:app` tag names the
    /// app and its phase, environment and service tags, those it has, name the same part; or
    /// when it has no app tag and holds no resource (a first change set made it and was never
    /// executed, as a failed or interrupted deploy leaves it; CloudFormation's documentation does
    /// not say that such a stack shows the change set's tags). A tag the stack lacks is not held
    /// against it: stacks deployed before Berth tagged environments and services have none.
    /// `nil` too when `tags` name no app (a deployment that names no app).
    static func foreign(_ deployed: StackDescription, tags: [(key: String, value: String)]) -> ForeignStack? {
        guard let app = StackTags.app(in: tags) else { return nil }
        let owner = deployed.tags[StackTags.appKey].flatMap { $0.isEmpty ? nil : $0 }
        if owner == nil && deployed.status.holdsNoResources { return nil }
        guard owner == app else { return ForeignStack(stack: deployed.name, owner: owner) }
        let wanted = Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        let keys = [StackTags.phaseKey, StackTags.environmentKey, StackTags.serviceKey]
        let differs = keys.contains { key in
            guard let found = deployed.tags[key], !found.isEmpty else { return false }
            return wanted[key] != found
        }
        guard differs else { return nil }
        func part(_ tags: [String: String]) -> String {
            StackTags.part(
                phase: tags[StackTags.phaseKey], environment: tags[StackTags.environmentKey], service: tags[StackTags.serviceKey])
        }
        return ForeignStack(stack: deployed.name, owner: owner, otherPart: ForeignStack.OtherPart(found: part(deployed.tags), wanted: part(wanted)))
    }

    /// Throws `DeployError.foreignStacks` when `deployed` is not the part's that `tags` name
    /// (`foreign(_:tags:)`).
    static func check(_ deployed: StackDescription, tags: [(key: String, value: String)]) throws(DeployError) {
        if let foreign = foreign(deployed, tags: tags), let app = StackTags.app(in: tags) { throw .foreignStacks([foreign], app: app) }
    }
}
