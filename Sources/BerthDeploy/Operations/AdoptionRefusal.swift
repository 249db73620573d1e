/// Why `deploy --phase ecr` stopped before any change: repositories that exist outside any stack
/// and were not to be adopted (no `--adopt`), or that cannot be adopted at all.
public struct AdoptionRefusal: Error, Sendable, Hashable {
    /// What each adoption would do, and why it is refused.
    public let plans: [RepositoryAdoption.Plan]
    /// Whether `--adopt` was given: the refusal is then about the repositories themselves.
    public let adoptRequested: Bool

    public init(plans: [RepositoryAdoption.Plan], adoptRequested: Bool) {
        self.plans = plans
        self.adoptRequested = adoptRequested
    }
}
