import BerthModel

/// An image tag that passed the gate's first check: Docker's grammar, and not a tag that moves.
public struct ImageTag: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Checks `text` against Docker's tag grammar `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` and refuses
    /// the tags that name a branch or a channel rather than one build (`MutableLookingTag`:
    /// deploying them is how `:latest` kept old code running, write-up 001) unless `allowMutable`.
    public init(_ text: String, allowMutable: Bool = false) throws(ImageGateError) {
        guard Self.matchesDockerGrammar(text) else {
            throw ImageGateError.invalidTag(text)
        }
        if !allowMutable && MutableLookingTag.contains(text) {
            throw ImageGateError.mutableTag(text)
        }
        value = text
    }

    static func matchesDockerGrammar(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func isWord(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
        return isWord(first) && bytes.dropFirst().allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    public var description: String { value }
}
