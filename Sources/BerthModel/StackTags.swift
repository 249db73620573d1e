/// The tags Berth gives every stack it deploys: the app, the phase, the environment and the
/// service. They never change from one deploy to the next, because CloudFormation passes stack
/// tags on to every resource and a changed tag would update them all; the image tag and commit
/// are stack parameters (`ImageTag`, `CommitSha`), which DescribeStacks shows as well.
public enum StackTags {
    /// The tag that names a stack's app: Berth changes and deletes only stacks whose tag names
    /// the app at hand.
    public static var appKey: String { "berth:app" }

    /// The tags of a stack of `app`.
    public static func tags(app: String, phase: Phase, environment: String?, service: String?) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = [(appKey, app), ("berth:phase", phase.name)]
        if let environment { tags.append(("berth:environment", environment)) }
        if let service { tags.append(("berth:service", service)) }
        return tags
    }

    /// The app that `tags` name, if any.
    public static func app(in tags: [(key: String, value: String)]) -> String? {
        tags.last { $0.key == appKey }?.value
    }
}
