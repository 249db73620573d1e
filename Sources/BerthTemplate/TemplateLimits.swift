/// CloudFormation's quotas that Berth checks before deploying.
public enum TemplateLimits {
    public static let maxResources = 500
    public static let maxParameters = 200
    public static let maxOutputs = 200
    public static let maxMappings = 200
    public static let maxLogicalIDLength = 255
    /// The largest `TemplateBody` CloudFormation accepts inline; larger ones go through S3.
    public static let maxTemplateBodyBytes = 51_200
    /// The largest template CloudFormation accepts at all (1 MB, through S3).
    public static let maxTemplateBytes = 1_048_576
    public static let maxStackNameLength = 128

    /// Whether `id` is a valid logical ID: ASCII letters and digits, 1 to 255 of them.
    public static func isValidLogicalID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maxLogicalIDLength
            && id.utf8.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) }
    }

    /// Whether `name` is a valid stack name: a letter, then letters, digits and hyphens, at
    /// most 128 characters.
    public static func isValidStackName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isASCIILetter(first), name.utf8.count <= maxStackNameLength else {
            return false
        }
        return name.utf8.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) || $0 == UInt8(ascii: "-") }
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
