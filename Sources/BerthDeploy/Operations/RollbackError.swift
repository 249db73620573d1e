/// Why `berth rollback` cannot choose a tag for a service.
public enum RollbackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The service's stack holds no deployment.
    case notDeployed(service: String, stack: String)
    /// No deploy older than the current one completed with another tag.
    case nothingEarlier(service: String, current: String?)
    /// The tag is no longer in the repository: its lifecycle policy expired it (or someone deleted it).
    case expired(service: String, tag: String, repository: String)
    /// A tag named that no deploy in the history ran is not in the repository: never pushed
    /// (a mistyped tag, most often), deleted, or expired.
    case notInRepository(service: String, tag: String, repository: String)
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

    /// What is wrong, without what to do about it: the CLI adds its own advice (`ErrorWording`).
    package var problem: String {
        switch self {
        case .notDeployed(let service, let stack):
            "\(service) is not deployed (\(stack)): there is nothing to roll back"
        case .nothingEarlier(let service, let current):
            "\(service): no earlier deploy than \(current ?? "the current one") completed in the history ECS keeps (90 days)"
        case .expired(let service, let tag, let repository):
            "\(service): \(tag) is no longer in \(repository): the repository's lifecycle policy has expired it, or someone deleted it"
        case .notInRepository(let service, let tag, let repository):
            "\(service): \(tag) is not in \(repository), and no deploy in the history ran it: it was never pushed (mistyped?), or it was deleted or expired"
        case .moved(let service, let tag, let ran, let now):
            "\(service): \(tag) now names \(now), not \(ran), the image that ran under it: the tag has moved since"
        case .movableTagNeverRan(let service, let tag, let repository):
            "\(service): \(tag) can move in \(repository), and no deploy in the history ran it, so the image it named then is unknown"
        case .expiring(let service, let tag, let repository, let rule):
            "\(service): \(tag) is still in \(repository), and its lifecycle policy (rule \(rule)) will expire or archive it within a day, "
                + "after which the service's tasks could not be replaced"
        case .onlyFailed(let service, let tag, let deploys, let newest):
            "\(service): \(deploys == 1 ? "the one deploy" : "every one of the \(deploys) deploys") of \(tag) in the history failed "
                + "(the newest was \(newest.text))"
        case .unknownService(let service, let known):
            "\(service) is not rolled back here; the services are \(known.joined(separator: ", "))"
        }
    }

    public var description: String {
        switch self {
        case .notDeployed, .unknownService: problem
        case .nothingEarlier: problem + "; name the tag to go back to"
        case .expired, .notInRepository: problem + "; name a tag it still holds"
        case .moved: problem + "; name a tag of that image"
        case .movableTagNeverRan: problem + ": rollback deploys only an image that ran; name a tag that ran, or deploy this one"
        case .expiring: problem + ": raise lifecycle.keepImages and deploy the repository stacks first, or name a newer tag"
        case .onlyFailed: problem + ": rollback goes back only to an image that ran; name a tag that completed, or deploy this one on purpose"
        }
    }
}
