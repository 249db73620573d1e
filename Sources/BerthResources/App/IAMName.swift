import BerthModel

/// IAM's names and ARNs as IAM takes them, and the 12-digit account IDs in them: what the
/// environment-file reader checks at file:line, and `SharedEnvironment` checks again of settings
/// that Swift code set.
package enum IAMName {
    /// Twelve digits.
    package static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && DecimalText.isDigits(text)
    }

    /// The account of an IAM role ARN, `arn:<partition>:iam::<account>:role/<path/><name>`;
    /// `nil` when `arn` is not one. The name follows IAM's rule: 1 to 64 of letters, digits and
    /// `+=,.@_-`; the path's parts the same.
    package static func roleAccount(of arn: String) -> String? {
        iamAccount(of: arn, resource: "role", nameLimit: 64)
    }

    /// The account of a managed policy's ARN, `arn:<partition>:iam::<account>:policy/<path/><name>`
    /// (`aws` for a policy AWS manages); `nil` when `arn` is not one. Names as IAM takes them: 1
    /// to 128 of letters, digits and `+=,.@_-`.
    package static func policyAccount(of arn: String) -> String? {
        iamAccount(of: arn, resource: "policy", nameLimit: 128, awsManaged: true)
    }

    /// A managed policy's name as IAM takes it: 1 to 128 of letters, digits and `+=,.@_-`.
    package static func isPolicyName(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy(isIAMNameByte)
    }

    private static func iamAccount(of arn: String, resource: String, nameLimit: Int, awsManaged: Bool = false) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard arn.utf8.count <= 2048, parts.count == 6, parts[0] == "arn", ["aws", "aws-cn", "aws-us-gov"].contains(parts[1]),
            parts[2] == "iam", parts[3].isEmpty, isAccountID(String(parts[4])) || (awsManaged && parts[4] == "aws"),
            parts[5].hasPrefix(resource + "/")
        else { return nil }
        let names = parts[5].dropFirst(resource.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        guard let name = names.last, (1...nameLimit).contains(name.utf8.count),
            names.allSatisfy({ part in !part.isEmpty && part.utf8.allSatisfy(isIAMNameByte) })
        else { return nil }
        return String(parts[4])
    }

    /// A byte of an IAM name: a letter, a digit or one of `_+=,.@-`.
    private static func isIAMNameByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: ",")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "-")
    }

    /// `\w` in ASCII: a letter, a digit or `_`.
    package static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
