/// The shape of an image's digest in ECR: `sha256:` and 64 lowercase hexadecimal digits (the
/// only algorithm ECR uses). A registry's answer that is not one is never pinned, deployed, put
/// in a tag's name or printed.
public enum ImageDigest {
    /// Whether `text` is `sha256:` and 64 lowercase hexadecimal digits.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        text.hasPrefix("sha256:") && isHex(text.dropFirst("sha256:".count))
    }

    /// Whether `text` is 64 lowercase hexadecimal digits: a SHA-256 digest's hex.
    public static func isHex(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
