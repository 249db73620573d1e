/// The tags Berth gives every stack it deploys: the app, the phase, the environment and the
/// service. They never change from one deploy to the next, because CloudFormation passes stack
/// tags on to every resource and a changed tag would update them all; the image tag and commit
/// are stack parameters (`ImageTag`, `CommitSha`), which DescribeStacks shows as well.
public enum StackTags {
    /// The tag that names a stack's app: Berth changes and deletes only stacks whose tag names
    /// the app at hand.
    public static var appKey: String { "berth:app" }
    /// The tag that names a stack's phase (`ecr` or `ecs`).
    public static var phaseKey: String { "berth:phase" }
    /// The tag that names a phase-2 stack's environment.
    public static var environmentKey: String { "berth:environment" }
    /// The tag that names a service's stack's service.
    public static var serviceKey: String { "berth:service" }

    /// The tags of a stack of `app`.
    public static func tags(app: String, phase: Phase, environment: String?, service: String?) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = [(appKey, app), (phaseKey, phase.name)]
        if let environment { tags.append((environmentKey, environment)) }
        if let service { tags.append((serviceKey, service)) }
        return tags
    }

    /// The app that `tags` name, if any.
    public static func app(in tags: [(key: String, value: String)]) -> String? {
        tags.last { $0.key == appKey }?.value
    }

    /// What part of its app a stack with `tags` is, in words: "environment pr-51's service web",
    /// "environment dev's shared stack", "service web's repositories".
    public static func part(phase: String?, environment: String?, service: String?) -> String {
        switch (phase, environment, service) {
        case (Phase.ecr.name, _, let service?): "service \(service)'s repositories"
        case (_, let environment?, let service?): "environment \(environment)'s service \(service)"
        case (_, let environment?, nil): "environment \(environment)'s shared stack"
        case (_, nil, let service?): "service \(service)'s stack"
        case (let phase?, nil, nil): "a stack of phase \(phase)"
        case (nil, nil, nil): "a stack of no phase"
        }
    }
}
