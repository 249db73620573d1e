extension Result where Failure == any Error {
    /// What `body` returns, or the error it throws.
    ///
    /// A task group's child returns its key with this, as `(key, await Result { … })`: Swift
    /// 6.3's optimizer miscompiles an async closure that returns a tuple from both a `do`, after
    /// an `await`, and its `catch`, such as `(key, .success(try await …))` and
    /// `(key, .failure(error))`: every key came back as the first one's (a diff's stacks in any
    /// order), or the results were lost, or the process aborted. Only in release builds.
    init(awaiting body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
