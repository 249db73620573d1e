extension ServiceStatus {
    /// The status of every service stack of `plan`, in its order, read at the same time: each
    /// with its environment's clients, and its image's tag where the repository is.
    public static func read(
        _ plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> [ServiceStatus] {
        let stacks = plan.stacks.filter { $0.service != nil }
        return try await withThrowingTaskGroup(of: (Int, ServiceStatus).self) { group in
            for (index, stack) in stacks.enumerated() {
                let shared = stack.dependencies.first { plan.app[$0]?.service == nil && plan.app[$0]?.phase == .ecs }
                group.addTask {
                    let repositories = try clients(plan.repositoryTarget(of: stack)).ecr
                    return (index, try await read(stack, sharedStack: shared, clients: try clients(stack.target), repositories: repositories))
                }
            }
            var results: [(Int, ServiceStatus)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
