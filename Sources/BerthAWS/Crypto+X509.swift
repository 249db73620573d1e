import CBerthShims
import Foundation

extension Crypto {
    /// What checking a certificate chain found.
    public enum ChainVerdict: Sendable, Hashable {
        case valid
        /// libcrypto's reason (`unable to get local issuer certificate`, …).
        case invalid(String)
        /// The leaf is not a PEM certificate.
        case unreadable
        case unavailable
    }

    /// What Berth reads of a certificate.
    public struct CertificateFacts: Sendable, Hashable {
        /// Seconds since 1970.
        public let notBefore: Int64
        public let notAfter: Int64
        /// DER SubjectPublicKeyInfo.
        public let publicKey: [UInt8]
        /// The email and URI subject alternative names, in order.
        public let subjects: [String]
    }

    /// Verifies the PEM certificate `leaf` up to one of the PEM certificates of `trusted` (roots),
    /// through those of `untrusted` (intermediates), as at `time` (seconds since 1970).
    public static func verifyCertificate(_ leaf: [UInt8], untrusted: [UInt8], trusted: [UInt8], at time: Int64) -> ChainVerdict {
        var error = [CChar](repeating: 0, count: 256)
        let answer = leaf.withUnsafeBufferPointer { leafBytes in
            untrusted.withUnsafeBufferPointer { untrustedBytes in
                trusted.withUnsafeBufferPointer { trustedBytes in
                    error.withUnsafeMutableBufferPointer { message in
                        berth_x509_verify(
                            leafBytes.baseAddress, leafBytes.count, untrustedBytes.baseAddress, untrustedBytes.count, trustedBytes.baseAddress,
                            trustedBytes.count, time, message.baseAddress, message.count)
                    }
                }
            }
        }
        switch answer {
        case 1: return .valid
        case 0: return .invalid(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        case -1: return .unreadable
        default: return .unavailable
        }
    }

    /// How many subject alternative names `certificateFacts` reads: each is read with a parse of
    /// the whole certificate, which is read before its chain is checked (a Fulcio certificate has
    /// one name; one with tens of thousands took minutes).
    static let maximumSubjectNames: Int32 = 16

    /// The validity, public key and subject names (the first `maximumSubjectNames` subject
    /// alternative names that are emails or URIs) of the PEM certificate `pem`; `nil` when it is
    /// not one (or libcrypto is missing).
    public static func certificateFacts(_ pem: [UInt8]) -> CertificateFacts? {
        var notBefore: Int64 = 0
        var notAfter: Int64 = 0
        var key = [UInt8](repeating: 0, count: 4096)
        var keyLength = key.count
        let answer = pem.withUnsafeBufferPointer { bytes in
            key.withUnsafeMutableBufferPointer { berth_x509_facts(bytes.baseAddress, bytes.count, &notBefore, &notAfter, $0.baseAddress, &keyLength) }
        }
        guard answer == 0 else { return nil }
        var subjects: [String] = []
        var index: Int32 = 0
        var value = [UInt8](repeating: 0, count: 4096)
        while index < maximumSubjectNames {
            var length = value.count
            let type = pem.withUnsafeBufferPointer { bytes in
                value.withUnsafeMutableBufferPointer { berth_x509_san(bytes.baseAddress, bytes.count, index, $0.baseAddress, &length) }
            }
            guard type >= 0 else { break }
            // A name longer than the buffer was not copied: ask again with room for it (the
            // certificate, at most 1 MiB, bounds it).
            if length > value.count {
                value = [UInt8](repeating: 0, count: length)
                continue
            }
            // Email (1) and URI (6) names are identities (an empty one is none); DNS names are not.
            if (type == 1 || type == 6) && length > 0 { subjects.append(String(decoding: value.prefix(length), as: UTF8.self)) }
            index += 1
        }
        return CertificateFacts(notBefore: notBefore, notAfter: notAfter, publicKey: Array(key.prefix(keyLength)), subjects: subjects)
    }

    /// The raw value of the extension `oid` (dotted) of the PEM certificate `pem`; `nil` when it
    /// has none, or one that cannot be read (see `certificateHasExtension`).
    public static func certificateExtension(_ pem: [UInt8], oid: String) -> [UInt8]? {
        let (answer, value) = extensionLookup(pem, oid: oid)
        return answer == 1 ? value : nil
    }

    /// Whether the PEM certificate `pem` has the extension `oid`, readable or not (over 8 KiB):
    /// what tells an absent extension from one `certificateExtension` cannot give.
    public static func certificateHasExtension(_ pem: [UInt8], oid: String) -> Bool {
        let (answer, _) = extensionLookup(pem, oid: oid)
        return answer == 1 || answer == 2
    }

    private static func extensionLookup(_ pem: [UInt8], oid: String) -> (answer: Int32, value: [UInt8]) {
        var value = [UInt8](repeating: 0, count: 8192)
        var length = value.count
        let answer = pem.withUnsafeBufferPointer { bytes in
            value.withUnsafeMutableBufferPointer { berth_x509_extension(bytes.baseAddress, bytes.count, oid, $0.baseAddress, &length) }
        }
        return (answer, answer == 1 ? Array(value.prefix(length)) : [])
    }

    /// DER certificates as PEM, one after the other.
    public static func pemCertificates(_ certificates: [[UInt8]]) -> [UInt8] {
        var text = ""
        for certificate in certificates {
            let encoded = Array(Data(certificate).base64EncodedString().utf8)
            text += "-----BEGIN CERTIFICATE-----\n"
            var start = 0
            while start < encoded.count {
                let end = min(start + 64, encoded.count)
                text += String(decoding: encoded[start..<end], as: UTF8.self) + "\n"
                start = end
            }
            text += "-----END CERTIFICATE-----\n"
        }
        return Array(text.utf8)
    }
}
