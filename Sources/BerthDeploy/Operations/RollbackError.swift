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
    /// The tag can move in its repository, and no deploy in the history ran it: which image it
    /// named then is unknown.
    case movableTagNeverRan(service: String, tag: String, repository: String)
    /// The repository still holds the tag's image, and its lifecycle policy will expire it (or
    /// move it to the archive, where it cannot be pulled) at its next run, within a day:
    /// deployed, its tasks could not be replaced or scaled out.
    case expiring(service: String, tag: String, repository: String, rule: Int)
    /// Every deploy of the tag named in the history failed (`deploys` of them; the newest ended
    /// as `newest`): going back to it would most likely fail again.
    case onlyFailed(service: String, tag: String, deploys: Int, newest: DeployOutcome)
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
        case .movableTagNeverRan(let service, let tag, let repository):
            "\(service): \(tag) can move in \(repository), and no deploy in the history ran it, so the image it named then is unknown: "
                + "rollback deploys only an image that ran; name a tag that ran, or deploy this one (berth deploy --image-tag \(service)=\(tag) --allow-mutable-tag)"
        case .expiring(let service, let tag, let repository, let rule):
            "\(service): \(tag) is still in \(repository), and its lifecycle policy (rule \(rule)) will expire or archive it within a day, "
                + "after which the service's tasks could not be replaced: raise lifecycle.keepImages and deploy --phase ecr first, "
                + "or name a newer tag (berth images lists them with what expires)"
        case .onlyFailed(let service, let tag, let deploys, let newest):
            "\(service): \(deploys == 1 ? "the one deploy" : "every one of the \(deploys) deploys") of \(tag) in the history failed "
                + "(the newest was \(newest.text)): rollback goes back only to an image that ran; name a tag that completed "
                + "(berth history lists them), or deploy this one on purpose (berth deploy --image-tag \(service)=\(tag))"
        case .unknownService(let service, let known):
            "--to names \(service), which is not rolled back here; the services are \(known.joined(separator: ", "))"
        }
    }
}
