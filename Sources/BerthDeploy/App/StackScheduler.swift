/// Runs an operation on stacks, each after the stacks it must wait for, independent ones at the
/// same time, at most `concurrency` at once. When one fails, no further stack is started, the
/// running ones are waited for, and the error names what was done, what failed and what was
/// left as it was; stacks that wait for one another are an error too, never left out silently.
struct StackScheduler: Sendable {
    let concurrency: Int

    func run<Result: Sendable>(
        _ stacks: [PlannedStack], after waitsFor: @escaping @Sendable (PlannedStack) -> [String],
        _ operation: @escaping @Sendable (PlannedStack) async throws -> Result
    ) async throws -> [String: Result] {
        let names = Set(stacks.map(\.name))
        var pending = stacks
        var done: [String: Result] = [:]
        var failures: [(stack: String, error: any Error)] = []
        var running = 0
        await withTaskGroup(of: (String, Swift.Result<Result, any Error>).self) { group in
            func startReady() {
                while failures.isEmpty, running < concurrency, !Task.isCancelled,
                    let index = pending.firstIndex(where: { stack in
                        waitsFor(stack).allSatisfy { !names.contains($0) || done[$0] != nil }
                    })
                {
                    let stack = pending.remove(at: index)
                    running += 1
                    group.addTask { (stack.name, await Swift.Result { try await operation(stack) }) }
                }
            }
            startReady()
            while let (name, result) = await group.next() {
                running -= 1
                switch result {
                case .success(let outcome): done[name] = outcome
                case .failure(let error): failures.append((name, error))
                }
                startReady()
            }
        }
        func failure(_ first: (stack: String, error: any Error), others: [String]) -> AppDeployError {
            var error = AppDeployError(
                stack: first.stack, cause: first.error, completed: stacks.map(\.name).filter { done[$0] != nil }, alsoFailed: others,
                notStarted: pending.map(\.name))
            for (stack, cause) in failures where others.contains(stack) && !(cause is CancellationError) { error.alsoFailedCauses[stack] = cause }
            return error
        }
        if Task.isCancelled {
            // Cancelled work that says what it left (a repository's tags and policy an unsettled
            // update may still remove) is reported; any other failure is the cancellation's.
            if let left = failures.first(where: { if case DeployError.repositorySettingsAtRisk = $0.error { true } else { false } }) {
                throw failure(left, others: failures.map(\.stack).filter { $0 != left.stack })
            }
            throw CancellationError()
        }
        if let first = failures.first {
            if first.error is CancellationError { throw first.error }
            throw failure(first, others: failures.dropFirst().map(\.stack))
        }
        // Stacks that wait for one another never start: said, never passed over as done.
        if let stuck = pending.first {
            pending.removeFirst()
            throw failure((stuck.name, StackOrderError(waiting: [stuck.name] + pending.map(\.name))), others: [])
        }
        return done
    }
}
