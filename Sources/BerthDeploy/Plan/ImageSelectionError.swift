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
    /// An argument that is no `TAG` or `SERVICE=TAG`: what it holds instead.
    case notATag(argument: String, InvalidTag)

    /// What an argument that is no image tag holds instead.
    public enum InvalidTag: Sendable, Hashable {
        /// `SERVICE=` with nothing after it.
        case empty(service: String)
        /// `=TAG`, naming no service.
        case noService
        /// Several `SERVICE=TAG` joined with commas.
        case several
        /// `SERVICE:TAG`, a repository's spelling.
        case colon(service: String, tag: String)
        /// A digest (`sha256:…`), which the gate finds itself.
        case digest
        /// Any other text Docker does not take as a tag.
        case other
    }

    public var description: String {
        switch self {
        case .serviceNamedTwice(let service): "the image tags name service \(service) twice"
        case .twoTagsForEveryService(let first, let second): "two image tags for every service (\(first) and \(second))"
        case .unknownServices(let unknown, let known):
            "the image tags name service \(unknown.joined(separator: ", ")), which the app does not have; it has \(known.joined(separator: ", "))"
        case .missingTags(let services): "no image tag for \(services.joined(separator: ", "))"
        case .tagForBorrowedImage(let job, let service): "\(job) runs \(service)'s image and takes its tag; tag \(service) instead"
        case .notATag(let argument, let kind):
            switch kind {
            case .empty(let service): "\(service)= names no tag"
            case .noService: "\"\(argument)\" names no service before its =: give SERVICE=TAG, or the tag alone for every service"
            case .several: "\"\(argument)\" holds several tags: give one TAG or SERVICE=TAG each"
            case .colon(let service, let tag): "\"\(argument)\" is not a tag (a tag holds no :); a service's tag is written \(service)=\(tag)"
            case .digest: "\"\(argument)\" is a digest, not a tag: give the tag, and the gate pins the digest it names"
            case .other: ImageGateError.invalidTag(argument).description
            }
        }
    }
}
