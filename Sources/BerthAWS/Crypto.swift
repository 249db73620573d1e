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

    /// What kind of public key a key is, as libcrypto reads it.
    public enum PublicKeyKind: Sendable, Hashable {
        case rsa(bits: Int)
        /// An elliptic-curve key on the named curve P-256 (prime256v1), its point uncompressed:
        /// what `cosign generate-key-pair` makes, and Go's x509 reads.
        case ecdsaP256
        /// Another elliptic-curve key: 384 bits for P-384, 521 for P-521, 256 for secp256k1 or a
        /// P-256 key with its curve spelt out or its point compressed.
        case ecdsa(bits: Int)
        /// Another type (Ed25519, DSA, …).
        case other
        /// Neither PEM (`-----BEGIN PUBLIC KEY-----`) nor DER SubjectPublicKeyInfo that libcrypto reads.
        case unreadable
        /// PEM that holds more than one key (or certificate): which one signs would be a guess.
        case severalKeys
        /// libcrypto could not be loaded.
        case unavailable

        /// Why Berth cannot check Cosign signatures made with the key, `nil` when it can. Cosign
        /// signs with SHA-256 under RSA and ECDSA P-256 keys, which Berth verifies; under P-384 and
        /// P-521 keys with SHA-384 and SHA-512, and under Ed25519 keys with no separate hash.
        public var cosignProblem: String? {
            let supported = "Berth checks Cosign's SHA-256 signatures, made with ECDSA P-256 (cosign generate-key-pair) or RSA keys"
            switch self {
            case .ecdsaP256: return nil
            case .rsa(let bits) where bits >= 2048: return nil
            case .rsa(let bits): return "is an RSA key of \(bits) bits, too short to trust; Berth takes RSA keys of 2048 bits or more"
            case .ecdsa(bits: 256):
                return "is an ECDSA key of 256 bits that is not P-256 as Cosign writes it (another curve such as secp256k1, the curve spelt "
                    + "out instead of named, or a compressed point); \(supported)"
            case .ecdsa(let bits): return "is an ECDSA key of \(bits) bits, which Cosign signs with \(bits > 384 ? "SHA-512" : "SHA-384"); \(supported)"
            case .other: return "is neither an RSA nor an ECDSA key (Ed25519, say); \(supported)"
            case .unreadable: return "is not a PEM or DER public key"
            case .severalKeys: return "holds more than one PEM block; give the one public key the signatures are made with"
            case .unavailable: return "cannot be read: libcrypto (OpenSSL), which checks image signatures, cannot be loaded"
            }
        }
    }

    /// The kind of `key`: PEM (`-----BEGIN PUBLIC KEY-----`) or DER SubjectPublicKeyInfo.
    public static func publicKeyKind(_ key: [UInt8]) -> PublicKeyKind {
        let begin = Array("-----BEGIN".utf8)
        let blocks = key.indices.lazy.filter { key[$0] == UInt8(ascii: "-") && key[$0...].starts(with: begin) }.prefix(2).count
        if blocks > 1 { return .severalKeys }
        var bits: Int32 = 0
        switch key.withUnsafeBufferPointer({ berth_public_key_kind($0.baseAddress, $0.count, &bits) }) {
        case 1: return .rsa(bits: Int(bits))
        case 2: return .ecdsaP256
        case 4: return .ecdsa(bits: Int(bits))
        case 3: return .other
        case -1: return .unreadable
        default: return .unavailable
        }
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
