import Foundation

/// AWS credentials. The secret parts never appear in `description`, logs or errors.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?
    /// Where they came from, for messages: `environment`, `profile dev`, `web identity`, …
    public var source: String

    public init(
        accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
        source: String
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// When temporary credentials whose answer states no readable expiration are treated as
    /// expiring: 15 minutes after `now`, so that a refreshing provider fetches them again
    /// (never used for ever, as long-term keys are, to fail a long deploy with ExpiredToken).
    public static func unstatedExpiration(after now: Date = Date()) -> Date { now.addingTimeInterval(900) }

    /// Whether they expire within `margin` of `now`.
    public func expires(within margin: TimeInterval, of now: Date = Date()) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) < margin
    }

    public var description: String {
        "credentials \(accessKeyID) from \(source)\(sessionToken == nil ? "" : " (temporary)")"
    }
}
