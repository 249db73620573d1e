import CBerthShims

/// SHA-256, HMAC-SHA256 and signature checks from the system's OpenSSL libcrypto.
public enum Crypto {
    /// Loads libcrypto, or says why it cannot be. The digests load it themselves on first use
    /// too; every AWS client loads it when its HTTP client is made, so that a missing library
    /// is a clear error before any request.
    public static func load() throws(SystemLibraryError) {
        try SystemLibraryError.load { berth_crypto_load($0, $1) }
    }

    /// The SHA-256 digest of `bytes`.
    public static func sha256<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let contiguous = Array(bytes)
        contiguous.withUnsafeBytes { data in
            digest.withUnsafeMutableBufferPointer { _ = berth_sha256(data.baseAddress, data.count, $0.baseAddress) }
        }
        return digest
    }

    /// The HMAC-SHA256 of `data` under `key`.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                mac.withUnsafeMutableBufferPointer {
                    _ = berth_hmac_sha256(keyBytes.baseAddress, keyBytes.count, dataBytes.baseAddress, dataBytes.count, $0.baseAddress)
                }
            }
        }
        return mac
    }

    /// What checking a signature found.
    public enum Verdict: Sendable, Hashable {
        case valid
        case invalid
        /// The key is neither PEM nor DER SubjectPublicKeyInfo that libcrypto reads.
        case unreadableKey
        /// libcrypto could not be loaded.
        case unavailable
    }

    /// Whether `key` is a public key libcrypto reads: PEM (`-----BEGIN PUBLIC KEY-----`) or DER
    /// SubjectPublicKeyInfo.
    public static func isReadablePublicKey(_ key: [UInt8]) -> Bool {
        key.withUnsafeBufferPointer { berth_public_key_check($0.baseAddress, $0.count) } == 0
    }

    /// Checks `signature` over `data` with SHA-256 under `publicKey` (PEM or DER
    /// SubjectPublicKeyInfo; ECDSA signatures in ASN.1 DER, as Cosign writes them).
    public static func verifySHA256(publicKey: [UInt8], data: [UInt8], signature: [UInt8]) -> Verdict {
        let answer = publicKey.withUnsafeBufferPointer { key in
            data.withUnsafeBytes { bytes in
                signature.withUnsafeBufferPointer { signed in
                    berth_verify_sha256(key.baseAddress, key.count, bytes.baseAddress, bytes.count, signed.baseAddress, signed.count)
                }
            }
        }
        switch answer {
        case 1: return .valid
        case 0: return .invalid
        case -1: return .unreadableKey
        default: return .unavailable
        }
    }

    /// Lowercase hexadecimal.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
