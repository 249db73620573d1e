/// Whole numbers written with the ASCII digits 0 to 9 only, as AWS reads them: Swift's
/// `Int(_:)` also takes a leading `+` or `-`, and `Character.isNumber` holds for `½` and `٣`.
public enum DecimalText {
    /// Whether `text` is one or more of the digits 0 to 9, and nothing else.
    public static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The value of `text` when it is digits only (at most 18 of them, so that it fits); `nil` otherwise.
    public static func value(_ text: some StringProtocol) -> Int? {
        guard isDigits(text), text.utf8.count <= 18 else { return nil }
        return Int(text)
    }
}
