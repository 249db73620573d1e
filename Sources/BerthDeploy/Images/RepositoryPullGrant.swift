import BerthTemplate

/// Whether a repository policy lets another account pull: what a service in that account needs
/// before its tasks can start (a task execution role there pulls with `ecr:BatchGetImage` and
/// `ecr:GetDownloadUrlForLayer`, which the repository's own policy must allow across accounts).
///
/// It reads the policy as IAM would grant it, leaning to "granted" wherever IAM's answer depends
/// on what the policy text alone cannot tell (conditions, `NotPrincipal`, `NotAction`), so that
/// the gate refuses only a policy that certainly does not let the account pull, such as none at
/// all or one for other accounts: the common case of an environment added in another account
/// before phase 1 was deployed for it. `Deny` statements are not weighed, and neither is the
/// registry's own policy (ECR's registry-level permissions), which the gate does not read.
enum RepositoryPullGrant {
    /// What a task execution role calls on the repository to pull an image.
    static let pullActions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    /// Whether `policyText` (GetRepositoryPolicy's `policyText`) lets `account` pull: each pull
    /// action allowed to the account by some statement, as IAM joins the grants of several;
    /// `false` for a text that is not a policy.
    static func grants(_ policyText: String, pullTo account: String) -> Bool {
        guard let policy = try? JSONValue.parseJSON(policyText, file: "repository policy") else { return false }
        let statements = policy["Statement"].map { $0.elements ?? [$0] } ?? []
        let allowing = statements.filter { $0["Effect"]?.stringValue == "Allow" && coversPrincipal($0, account: account) }
        return pullActions.allSatisfy { action in allowing.contains { covers($0, action: action) } }
    }

    private static func coversPrincipal(_ statement: JSONValue, account: String) -> Bool {
        if statement["NotPrincipal"] != nil { return true }
        guard let principal = statement["Principal"] else { return false }
        if principal.stringValue == "*" { return true }
        let named = strings(principal["AWS"])
        return named.contains { name in
            // `*`, the account's ID, its root, or any principal of the account (a role there may
            // be the execution role).
            if name == "*" || name == account { return true }
            let parts = name.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return parts.count == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[4] == account
        }
    }

    private static func covers(_ statement: JSONValue, action: String) -> Bool {
        if statement["NotAction"] != nil { return true }
        return strings(statement["Action"]).contains { matches(pattern: $0, action: action) }
    }

    /// A string or a list of strings, as a policy element may be either.
    static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        return value.elements?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
    }

    /// IAM's action matching: case-insensitive, `*` any run of characters. A pattern with `?`
    /// (any one character) is taken to match, leaning to "granted".
    static func matches(pattern: String, action: String) -> Bool {
        pattern.contains("?") || TagMutability.wildcard(pattern.lowercased(), matches: action.lowercased())
    }
}
