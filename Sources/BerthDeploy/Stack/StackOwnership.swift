import BerthAWS
import BerthModel

/// Whose a deployed stack is. Berth gives every stack it deploys a `berth:app` tag, and changes
/// or deletes a stack only when that tag names the app at hand.
///
/// Two apps can make the same stack name: app `shop` with a service `admin` and app `shop-admin`
/// both make `shop-admin-dev`. A stack made by hand or by another tool can have one of the app's
/// names too. Deploying over such a stack would replace its resources with the app's, and
/// destroying it would delete them: deploy, destroy and diff therefore check the tag first.
enum StackOwnership {
    /// Whether `app` may change or delete `deployed`: only when its `berth:app` tag names `app`.
    static func isOwned(_ deployed: StackDescription, by app: String) -> Bool {
        deployed.tags[StackTags.appKey] == app
    }

    /// The app that `deployed`'s `berth:app` tag names; `nil` when it has none.
    static func owner(of deployed: StackDescription) -> String? {
        deployed.tags[StackTags.appKey]
    }

    /// Whose a stack is, for a message: it "belongs to app X (its berth:app tag)", or it "was
    /// not made by Berth (it has no berth:app tag)".
    static func whose(owner: String?) -> String {
        owner.map { "belongs to app \($0) (its \(StackTags.appKey) tag)" } ?? "was not made by Berth (it has no \(StackTags.appKey) tag)"
    }

    /// What to do about a stack of another owner that has one of `app`'s stack names.
    static func guidance(app: String) -> String {
        "Two apps make the same stack name when one app's name and a service or environment name spell the other's "
            + "(app shop's service admin and app shop-admin both make shop-admin-dev): rename a service, an environment or the app \(app); "
            + "a stack made by hand or by another tool needs another name, or deleting if nothing uses it"
    }
}
