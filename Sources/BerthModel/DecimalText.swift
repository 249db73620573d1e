/// Whole numbers written with the ASCII digits 0 to 9 only, as AWS reads them: Swift's
/// `Int(_:)` also takes a leading `+` or `-`, and `Character.isNumber` holds for `½` and `٣`.
public enum DecimalText {
    // Both are inlinable, so that each caller gets a copy for its own string type: called
    // unspecialized, across the module boundary, the generic code looked up the string type's
    // conformances at run time, which cost synth more than the digits themselves.

    /// Whether `text` is one or more of the digits 0 to 9, and nothing else.
    @inlinable public static func isDigits(_ text: some StringProtocol) -> Bool {
        var count = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            count += 1
        }
        return count > 0
    }

    /// The value of `text` when it is digits only (at most 18 of them, so that it fits); `nil` otherwise.
    @inlinable public static func value(_ text: some StringProtocol) -> Int? {
        var value = 0
        var count = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), count < 18 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
        }
        return count > 0 ? value : nil
    }
}
