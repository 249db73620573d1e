extension Result where Failure == any Error {
    /// What `body` returns, or the error it throws.
    ///
    /// A task group's child returns its key with this, as `(key, await Result { … })`: Swift
    /// 6.3's optimizer miscompiles a child that returns `(key, .success(try await …))` from a
    /// `do` and `(key, .failure(error))` from its `catch`: every key came back as the first one's
    /// (a diff's stacks in any order, a task group's results lost or the process aborted).
    init(awaiting body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
