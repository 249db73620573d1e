/// The image tags of a deploy: one for every service (`TAG`), one per service (`web=TAG`), or a
/// default with exceptions.
public struct ImageSelection: Sendable, Hashable {
    public private(set) var defaultTag: ImageTag?
    public private(set) var byService: [String: ImageTag] = [:]
    /// Whether a tag that can move was consented to (`--allow-mutable-tag`): a mutable-looking
    /// name, or a tag that a repository's exclusion filters let move. The gate pins its digest.
    public private(set) var allowsMutableTags = false
    /// The digest each service's tag must name when the gate reads it, by service: what the
    /// command checked before (a rollback, the image that ran); another refuses the deploy.
    public private(set) var requiredDigests: [String: String] = [:]

    /// Reads tags written `TAG` or `SERVICE=TAG` (`=` never appears in a tag). One given twice
    /// alike is one; two different for one service, or for every service, are refused.
    public init(_ arguments: [String], allowMutable: Bool) throws {
        allowsMutableTags = allowMutable
        for argument in arguments {
            if argument.contains(",") && argument.contains("=") { throw ImageSelectionError.notATag(argument: argument, .several) }
            if let equals = argument.firstIndex(of: "=") {
                let service = String(argument[..<equals])
                let text = String(argument[argument.index(after: equals)...])
                guard !service.isEmpty else { throw ImageSelectionError.notATag(argument: argument, .noService) }
                guard !text.isEmpty else { throw ImageSelectionError.notATag(argument: argument, .empty(service: service)) }
                let tag = try Self.tag(text, allowMutable: allowMutable)
                if let given = byService[service], given != tag { throw ImageSelectionError.serviceNamedTwice(service) }
                byService[service] = tag
            } else {
                let tag = try Self.tag(argument, allowMutable: allowMutable)
                if let given = defaultTag, given != tag { throw ImageSelectionError.twoTagsForEveryService(given.value, tag.value) }
                defaultTag = tag
            }
        }
    }

    /// `text` as a tag; text that is none is refused as an argument, with what it looks like.
    private static func tag(_ text: String, allowMutable: Bool) throws -> ImageTag {
        do {
            return try ImageTag(text, allowMutable: allowMutable)
        } catch ImageGateError.invalidTag {
            if text.hasPrefix("sha256:") { throw ImageSelectionError.notATag(argument: text, .digest) }
            if let colon = text.firstIndex(of: ":") {
                let service = String(text[..<colon]), tag = String(text[text.index(after: colon)...])
                if !service.isEmpty, !service.contains("/"), (try? ImageTag(tag, allowMutable: true)) != nil {
                    throw ImageSelectionError.notATag(argument: text, .colon(service: service, tag: tag))
                }
            }
            throw ImageSelectionError.notATag(argument: text, .other)
        }
    }

    /// This selection, with the gate refusing a tag of a service in `digests` that names another digest.
    public func requiring(digests: [String: String]) -> ImageSelection {
        var selection = self
        selection.requiredDigests = digests
        return selection
    }

    /// The tag to deploy for `service`.
    public func tag(for service: String) -> ImageTag? { byService[service] ?? defaultTag }

    /// Checks the tags against the plan: every service it names exists and, with
    /// `requiringEveryService`, every service whose image the plan deploys has a tag.
    public func check(against plan: DeployPlan, requiringEveryService: Bool = true) throws(ImageSelectionError) {
        let unknown = byService.keys.filter { !plan.services.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw .unknownServices(unknown, known: plan.services)
        }
        let borrowed = plan.borrowedImages
        if let job = byService.keys.sorted().first(where: { borrowed[$0] != nil }), let source = borrowed[job] {
            throw .tagForBorrowedImage(job: job, service: source)
        }
        let missing = requiringEveryService ? plan.imageServices.filter { tag(for: $0) == nil } : []
        guard missing.isEmpty else {
            throw .missingTags(missing)
        }
    }
}
