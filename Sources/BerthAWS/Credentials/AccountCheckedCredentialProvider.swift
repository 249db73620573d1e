/// Credentials that must be in one AWS account: before the first are handed out, STS
/// GetCallerIdentity says whose they are, and credentials of another account are refused with
/// `refusal`'s message (a `CredentialsError`) on this and every later use, so nothing is ever
/// signed for the wrong account.
public actor AccountCheckedCredentialProvider: CredentialProvider {
    private let account: String
    private let inner: any CredentialProvider
    private let sts: @Sendable (any CredentialProvider) -> STSClient
    private let refusal: @Sendable (STSClient.CallerIdentity) -> String
    private var check: Task<Void, any Error>?

    /// `sts` makes the STS client that asks, signing with the given credentials;
    /// `refusal` words the error for credentials of another account.
    public init(
        _ inner: any CredentialProvider, account: String, sts: @escaping @Sendable (any CredentialProvider) -> STSClient,
        refusal: @escaping @Sendable (STSClient.CallerIdentity) -> String
    ) {
        self.inner = inner
        self.account = account
        self.sts = sts
        self.refusal = refusal
    }

    /// Checks the account once; the outcome stands for every later call.
    public func verify() async throws {
        let task = check ?? Task { [inner, sts, account, refusal] in
            let identity = try await sts(inner).getCallerIdentity()
            guard identity.account == account else { throw CredentialsError(refusal(identity)) }
        }
        check = task
        // A caller cancelled meanwhile (an interrupt, a timeout) does not wait for a slow STS;
        // the check goes on for the others.
        try await task.valueUnlessCancelled()
    }

    public func credentials() async throws -> Credentials {
        try await verify()
        return try await inner.credentials()
    }
}
