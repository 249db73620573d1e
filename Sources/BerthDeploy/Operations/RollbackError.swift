/// Why `berth rollback` cannot choose a tag for a service.
public enum RollbackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The service's stack holds no deployment.
    case notDeployed(service: String, stack: String)
    /// No deploy older than the current one completed with another tag.
    case nothingEarlier(service: String, current: String?)
    /// The tag is no longer in the repository: its lifecycle policy expired it (or someone deleted it).
    case expired(service: String, tag: String, repository: String)
    /// The tag (a mutable one) names another image than the one that ran under it.
    case moved(service: String, tag: String, ran: String, now: String)
    /// A tag names a service that is not among the ones rolled back.
    case unknownService(String, known: [String])

    public var description: String {
        switch self {
        case .notDeployed(let service, let stack):
            "\(service) is not deployed (\(stack)): there is nothing to roll back"
        case .nothingEarlier(let service, let current):
            "\(service): no earlier deploy than \(current ?? "the current one") completed in the history ECS keeps (90 days); "
                + "name the tag: --to \(service)=TAG"
        case .expired(let service, let tag, let repository):
            "\(service): \(tag) is no longer in \(repository): the repository's lifecycle policy has expired it; "
                + "name a tag it still holds (berth images lists them)"
        case .moved(let service, let tag, let ran, let now):
            "\(service): \(tag) now names \(now), not \(ran), the image that ran under it: the tag has moved since; "
                + "name a tag of that image (--to \(service)=TAG; berth images lists them)"
        case .unknownService(let service, let known):
            "--to names \(service), which is not rolled back here; the services are \(known.joined(separator: ", "))"
        }
    }
}
