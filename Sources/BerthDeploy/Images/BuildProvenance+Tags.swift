import BerthModel

extension BuildProvenance {
    /// The commit and build time of each tag the deploy does not give with `--commit-sha` and
    /// `--build-time`: what the deploy that first shipped it recorded (a rollback, a promoted
    /// tag), else what the tag says, else the commit being built (`GITHUB_SHA`, the work tree).
    /// The history is asked only for a tag that is not the build of the commit being built.
    public func metadataByTag(
        _ plan: DeployPlan, images: ImageSelection, given: [ParameterSource.BuildMetadata: String],
        clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> [String: [ParameterSource.BuildMetadata: String]] {
        guard given.count < 2 else { return [:] }
        let tags = Set(plan.imageServices.compactMap { images.tag(for: $0)?.value }).sorted()
        guard !tags.isEmpty else { return [:] }
        var history: DeployHistory?
        if tags.contains(where: { !isCurrentBuild($0) }) {
            history = try await DeployHistory.read(plan, limit: nil, tolerant: true, clients: clients)
        }
        var byTag: [String: [ParameterSource.BuildMetadata: String]] = [:]
        for tag in tags { byTag[tag] = metadata(for: tag, firstShipped: history?.firstShipped(tag)) }
        return byTag
    }
}
