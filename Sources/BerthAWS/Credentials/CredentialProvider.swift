import Foundation

/// Something that yields credentials.
public protocol CredentialProvider: Sendable {
    /// The credentials to sign with now.
    func credentials() async throws -> Credentials
}

/// One place in the credential chain. `resolve` returns `nil` when the place is not set up
/// (so the chain moves on), and throws when it is set up but fails (so the chain stops and
/// says why, instead of silently using other credentials).
public protocol CredentialSource: Sendable {
    /// How the place is named in messages: `environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`.
    var name: String { get }
    func resolve() async throws -> Credentials?
}

/// Fixed credentials.
public struct StaticCredentialProvider: CredentialProvider {
    public let value: Credentials
    public init(_ value: Credentials) { self.value = value }
    public func credentials() async throws -> Credentials { value }
}

/// No source of the chain had credentials.
public struct CredentialsError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Tries each source in order and keeps what the first one gives, refreshing temporary
/// credentials five minutes before they expire, so that a long deploy never signs with
/// expired ones. Concurrent callers share one refresh. A refresh that fails while the cached
/// credentials still hold keeps them and tries again `retryDelay` later; credentials that come
/// already close to their expiry (a short-lived session, a fast clock) are refreshed halfway
/// through what is left of them, not on every call.
public actor CredentialChain: CredentialProvider {
    public let sources: [any CredentialSource]
    private let refreshMargin: TimeInterval
    private let retryDelay: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: Credentials?
    /// When the cached credentials are next refreshed.
    private var refreshAt = Date.distantPast
    private var refreshing: Task<Credentials, any Error>?

    /// The least time before their expiry that cached credentials are still signed with when a
    /// refresh fails: a request signed now must reach AWS before they expire.
    static let minimumValidity: TimeInterval = 30

    public init(
        sources: [any CredentialSource], refreshMargin: TimeInterval = 300, retryDelay: TimeInterval = 30,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sources = sources
        self.refreshMargin = refreshMargin
        self.retryDelay = retryDelay
        self.now = now
    }

    public func credentials() async throws -> Credentials {
        if let cached, now() < refreshAt, !cached.expires(within: Self.minimumValidity, of: now()) { return cached }
        // Callers that arrive during a refresh share it, and its outcome: the fresh credentials,
        // or the cached ones when it failed while they still hold.
        // A caller cancelled meanwhile (an interrupt, a timeout) stops waiting for a slow
        // endpoint; the refresh goes on for the callers that are not (a clean-up's).
        if let refreshing { return try await refreshing.valueUnlessCancelled() }
        let sources = self.sources
        let task = Task { try await self.refresh(from: sources) }
        refreshing = task
        return try await task.valueUnlessCancelled()
    }

    /// Fetches credentials; when that fails and the cached ones still hold, keeps them and
    /// tries again `retryDelay` later. The refresh is over when it returns, whoever still waits.
    private func refresh(from sources: [any CredentialSource]) async throws -> Credentials {
        defer { refreshing = nil }
        do {
            let fresh = try await Self.firstCredentials(from: sources, at: now())
            cached = fresh
            refreshAt = refreshTime(of: fresh)
            return fresh
        } catch {
            guard let cached, !cached.expires(within: Self.minimumValidity, of: now()) else { throw error }
            refreshAt = now().addingTimeInterval(retryDelay)
            return cached
        }
    }

    /// `refreshMargin` before the expiry, or halfway through what is left when that is sooner
    /// than now; never, for credentials that do not expire.
    private func refreshTime(of credentials: Credentials) -> Date {
        guard let expiration = credentials.expiration else { return .distantFuture }
        let current = now()
        let beforeExpiry = expiration.addingTimeInterval(-refreshMargin)
        if beforeExpiry > current { return beforeExpiry }
        return current.addingTimeInterval(max(expiration.timeIntervalSince(current), 0) / 2)
    }

    /// The first source's credentials; those that cannot sign at `now` (an empty key, a line
    /// break in a token, an expiry past) stop the chain with the reason.
    static func firstCredentials(from sources: [any CredentialSource], at now: Date) async throws -> Credentials {
        for source in sources {
            guard let credentials = try await source.resolve() else { continue }
            if let problem = credentials.problem(at: now) { throw CredentialsError(problem) }
            return credentials
        }
        let tried = sources.map { "  - \($0.name)" }.joined(separator: "\n")
        throw CredentialsError("no AWS credentials found; tried, in order:\n\(tried)")
    }
}
