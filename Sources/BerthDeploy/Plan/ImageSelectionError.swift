/// Image tags that do not fit the app: nothing was sent to AWS. How a user passes the tags is
/// the caller's to say (the CLI words these with `--image-tag`).
public enum ImageSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `SERVICE=TAG` names the same service twice.
    case serviceNamedTwice(String)
    /// Two tags for every service.
    case twoTagsForEveryService(String, String)
    /// Tags for services the app does not have; `known` lists the ones it has.
    case unknownServices([String], known: [String])
    /// A tag for a job that runs another service's image: it takes that service's tag.
    case tagForBorrowedImage(job: String, service: String)
    /// Services whose image the deploy needs and that have no tag.
    case missingTags([String])

    public var description: String {
        switch self {
        case .serviceNamedTwice(let service): "the image tags name service \(service) twice"
        case .twoTagsForEveryService(let first, let second): "two image tags for every service (\(first) and \(second))"
        case .unknownServices(let unknown, let known):
            "the image tags name service \(unknown.joined(separator: ", ")), which the app does not have; it has \(known.joined(separator: ", "))"
        case .missingTags(let services): "no image tag for \(services.joined(separator: ", "))"
        case .tagForBorrowedImage(let job, let service): "\(job) runs \(service)'s image and takes its tag; tag \(service) instead"
        }
    }
}
