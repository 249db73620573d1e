/// Where a command's AWS calls for a stack go, and with whose credentials: an environment's
/// stacks with the environment's (the role it names, checked against its account), the
/// repositories' stacks and images with the caller's own.
public struct ClientTarget: Sendable, Hashable {
    public var region: String
    /// The environment whose credentials sign the calls; `nil` for the repositories' side.
    public var environment: String?

    public init(region: String, environment: String?) {
        self.region = region
        self.environment = environment
    }
}

extension PlannedStack {
    /// Where the calls for this stack go: a phase-1 stack is the repositories' side, a phase-2
    /// stack its environment's.
    public var target: ClientTarget {
        ClientTarget(region: region, environment: phase == .ecr ? nil : environment)
    }
}

extension DeployPlan {
    /// Where the image repository `stack` runs from is read (the image gate, a rollback's check
    /// that the image is still there): the repositories' side, in the region of the phase-1
    /// stack that holds it.
    public func repositoryTarget(of stack: PlannedStack) -> ClientTarget {
        let holder = app.values.first { $0.heldRepository != nil && $0.heldRepository?.name == stack.imageRepository }
        return ClientTarget(region: holder?.region ?? stack.region, environment: nil)
    }
}
