extension EnvironmentConfig {
    static let roleArnExpectation = "an IAM role ARN (arn:aws:iam::<account>:role/<name>), such as the bootstrap's berth-<app>-cfn-exec"

    /// `arn:<partition>:iam::<12 digits>:role/<path/><name>`, with IAM's characters for a path and
    /// a name (`\w+=,.@-`, the name at most 64).
    static func isRoleArn(_ arn: String) -> Bool {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
            parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber }), parts[5].hasPrefix("role/")
        else { return false }
        let segments = parts[5].dropFirst("role/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard let name = segments.last, (1...64).contains(name.count) else { return false }
        return segments.allSatisfy { segment in
            !segment.isEmpty && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) }
        }
    }
}
