import BerthAWS

extension KeylessTrust {
    /// The extended key usage extension, and the two purposes in it that allow signing code.
    static let extendedKeyUsageOID = "2.5.29.37"
    /// 1.3.6.1.5.5.7.3.3 (code signing) and 2.5.29.37.0 (any purpose), as DER contents.
    static let codeSigningPurposes: [[UInt8]] = [[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03], [0x55, 0x1D, 0x25, 0x00]]

    /// Whether a certificate may sign code: its extended key usage lists code signing (Fulcio's
    /// always does) or any purpose, or it has none, which X.509 reads as any (as Go's verifier,
    /// and so cosign and sigstore-go, read it). An extension that does not read is no.
    static func allowsCodeSigning(_ certificate: [UInt8]) -> Bool {
        guard let usage = Crypto.certificateExtension(certificate, oid: extendedKeyUsageOID) else {
            return !Crypto.certificateHasExtension(certificate, oid: extendedKeyUsageOID)
        }
        guard let purposes = objectIdentifiers(inSequence: usage) else { return false }
        return purposes.contains { codeSigningPurposes.contains($0) }
    }

    /// The contents of each OBJECT IDENTIFIER in a DER SEQUENCE of them; `nil` when `der` is
    /// anything else, or has bytes after it.
    static func objectIdentifiers(inSequence der: [UInt8]) -> [[UInt8]]? {
        guard let sequence = element(of: der[...], tag: 0x30), sequence.rest.isEmpty else { return nil }
        var identifiers: [[UInt8]] = []
        var rest = sequence.content
        while !rest.isEmpty {
            guard let identifier = element(of: rest, tag: 0x06), !identifier.content.isEmpty else { return nil }
            identifiers.append(Array(identifier.content))
            rest = identifier.rest
        }
        return identifiers
    }

    /// The first DER element of `bytes` when it has `tag` (a definite length of at most two
    /// length bytes): its contents and what follows it.
    private static func element(of bytes: ArraySlice<UInt8>, tag: UInt8) -> (content: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)? {
        guard bytes.count >= 2, bytes.first == tag else { return nil }
        var index = bytes.startIndex + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...2).contains(count), bytes.endIndex - index >= count else { return nil }
            length = bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
            index += count
        }
        guard bytes.endIndex - index >= length else { return nil }
        return (bytes[index..<(index + length)], bytes[(index + length)...])
    }
}
