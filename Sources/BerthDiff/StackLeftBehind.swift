/// A deployed stack of an environment the diff covers that the app no longer has (a service
/// removed from the environment files since it was deployed), found by the tags Berth gives its
/// stacks. A deploy leaves it as it is, running; only a destroy deletes it.
public struct StackLeftBehind: Sendable, Hashable {
    public let stack: String
    public let region: String
    public let environment: String
    /// The service it was deployed for (its `berth:service` tag), when it says.
    public let service: String?
    public let status: String

    public init(stack: String, region: String, environment: String, service: String?, status: String) {
        self.stack = stack
        self.region = region
        self.environment = environment
        self.service = service
        self.status = status
    }

    /// `shop-mailer-dev (eu-west-1): deployed (UPDATE_COMPLETE), but the app no longer has service mailer: a deploy leaves it running`
    public var summary: String {
        let what = service.map { "service \($0)" } ?? "this stack"
        return "\(stack) (\(region)): deployed (\(status)), but the app no longer has \(what): a deploy leaves it running"
    }
}
