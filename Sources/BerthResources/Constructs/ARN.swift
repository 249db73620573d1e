/// Amazon Resource Names, checked for their shape before anything is sent.
package enum ARN {
    /// Whether `text` is `arn:<partition>:<service>:<region>:<account>:<resource>` for `service`,
    /// with a 12-digit account, a region and a resource (`resourcePrefix` when given), naming
    /// one resource: IAM reads `*` and `?` in a policy's resource as wildcards, and a secret's
    /// ARN written `…:secret:*` would let the execution role read every secret.
    static func isWellFormed(_ text: String, service: String, resourcePrefix: String = "") -> Bool {
        // Read by bytes, and only ASCII: a combining mark or a digit of another script has no
        // place in an ARN (a Character-wise split would also keep a mark after a colon in the
        // field before it).
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        // The resource's own fields; for a secret, not what ECS takes after its name (a JSON key).
        let fields = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 7, omittingEmptySubsequences: false)
        let named = service == "secretsmanager" ? Array(fields.prefix(7)) : Array(fields)
        // Nor, in the name, a space, a control character, or what no AWS name holds and a policy
        // or a task definition would read as something else: quotes, `${…}` (an IAM policy
        // variable), brackets. A secret's JSON key is any text but a control character.
        guard named.allSatisfy({ $0.allSatisfy(isNameByte) }), text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else { return false }
        guard !named.contains(where: { $0.contains(UInt8(ascii: "*")) || $0.contains(UInt8(ascii: "?")) }) else { return false }
        // A secret's ARN ends at most in ECS's json-key:version-stage:version-id.
        guard service != "secretsmanager" || text.utf8.count(where: { $0 == UInt8(ascii: ":") }) <= 9 else { return false }
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].elementsEqual("arn".utf8), partitions.contains(String(decoding: parts[1], as: UTF8.self)),
            parts[2].elementsEqual(service.utf8)
        else { return false }
        let region = parts[3], account = parts[4], resource = parts[5]
        return isRegionShaped(region)
            && account.count == 12 && account.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && resource.starts(with: resourcePrefix.utf8) && resource.count > resourcePrefix.utf8.count
    }

    /// AWS's partitions.
    static let partitions: Set<String> = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]

    /// Whether `region` has a region's shape (`isRegionShaped`).
    package static func isRegionShaped(_ region: String) -> Bool { isRegionShaped(region.utf8[...]) }

    /// A region's shape: three or four parts of lowercase letters separated by `-`, the last a
    /// single digit (`eu-west-1`, `us-gov-east-1`); whether AWS has it is AWS's to say.
    private static func isRegionShaped(_ region: Substring.UTF8View.SubSequence) -> Bool {
        let parts = region.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard (3...4).contains(parts.count), let last = parts.last, last.count == 1, let digit = last.first else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit)
            && parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) } }
    }

    /// A printable ASCII byte that an AWS name may hold: not a space, a quote, `$`, a backslash,
    /// a backquote, a bracket or brace, `<`, `>`, `^` or `|`.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21...0x7E:
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "$"), UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "^"), UInt8(ascii: "|"):
                false
            default: true
            }
        default: false
        }
    }

    /// The region of an ARN (`arn:<partition>:<service>:<region>:…`), `nil` when `text` is no
    /// ARN or names none (IAM's, S3's).
    package static func region(of text: String) -> String? {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }
}
