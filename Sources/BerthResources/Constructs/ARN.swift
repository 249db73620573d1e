/// Amazon Resource Names, checked for their shape before anything is sent.
enum ARN {
    /// Whether `text` is `arn:<partition>:<service>:<region>:<account>:<resource>` for `service`,
    /// with a 12-digit account, a region and a resource (`resourcePrefix` when given).
    static func isWellFormed(_ text: String, service: String, resourcePrefix: String = "") -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == service else { return false }
        let region = parts[3], account = parts[4], resource = parts[5]
        return region.split(separator: "-").count >= 3 && account.count == 12 && account.allSatisfy(\.isNumber)
            && resource.hasPrefix(resourcePrefix) && resource.count > resourcePrefix.count
    }
}
