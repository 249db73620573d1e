import Foundation

extension Credentials {
    /// Why these credentials cannot sign a request, named by their source and never by a value:
    /// a key or token that is empty or holds a character AWS never puts in one (a line break
    /// would end the header it is sent in and start another), or an expiry already past.
    /// `nil` when they can.
    public func problem(at now: Date) -> String? {
        let parts = [
            ("access key ID", "an", accessKeyID as String?), ("secret access key", "a", secretAccessKey), ("session token", "a", sessionToken),
        ]
        for (part, article, value) in parts {
            guard let value else { continue }
            if value.isEmpty { return "the credentials from \(source) have an empty \(part)" }
            if !value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
                return "the credentials from \(source) have \(article) \(part) with a space, a line break or another character AWS never puts in one; "
                    + "check what sets it"
            }
        }
        if let expiration, expiration <= now {
            return "the credentials from \(source) expired at \(UTCDateComponents(expiration).readable) UTC (the time here is "
                + "\(UTCDateComponents(now).readable) UTC); "
                + "check the clock and what gives them"
        }
        return nil
    }
}
