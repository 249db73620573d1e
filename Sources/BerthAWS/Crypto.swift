import CBerthShims

/// SHA-256 and HMAC-SHA256 from the system's OpenSSL libcrypto.
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
