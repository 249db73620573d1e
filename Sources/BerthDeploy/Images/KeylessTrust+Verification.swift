import BerthAWS
import Foundation

extension KeylessTrust {
    /// Fulcio's OIDC issuer extension (a DER UTF8String), and the deprecated one before it (the
    /// raw string).
    static let issuerOID = "1.3.6.1.4.1.57264.1.8"
    static let legacyIssuerOID = "1.3.6.1.4.1.57264.1.1"

    /// Why the keyless signature `layer` over `payload` is not accepted; `nil` when it is: its
    /// Rekor bundle's SET verifies with a log key of the trusted root, the signing time lies in
    /// the certificate's validity, the certificate chains to a CA of the trusted root at that
    /// time and may sign code, the log entry is this signature by this certificate over this payload, the signature verifies with the
    /// certificate's key, and the certificate's identity is the one required. Whether the payload
    /// names the deployed digest is the caller's check.
    func refusal(of layer: CosignSignatureManifest.Layer, payload: [UInt8]) throws(ImageGateError) -> String? {
        guard let certificate = layer.certificate.map({ Array($0.utf8) }) else {
            return "the signature has no Fulcio certificate (it was made with a key, not keyless)"
        }
        guard let bundleText = layer.bundle, let bundle = RekorBundle(bundleText), bundle.isWellFormed else {
            return "the signature has no readable Rekor bundle (\(CosignSignatureManifest.bundleAnnotation))"
        }
        return try refusal(
            certificate: certificate, chain: Array((layer.chain ?? "").utf8), entry: bundle, signedData: payload, signature: layer.signature
        ) { $0.logs(signature: layer.signature, by: certificate, payloadDigest: Crypto.hex(Crypto.sha256(payload))) }
    }

    /// Why `signature` over `signedData` by the Fulcio `certificate` (PEM; `chain`: the PEM
    /// certificates between it and the root), logged as `entry`, is not accepted; `nil` when it
    /// is. `logged` says whether the entry's body is this signature over this data.
    func refusal(
        certificate: [UInt8], chain: [UInt8], entry bundle: RekorBundle, signedData: [UInt8], signature: [UInt8], logged: (RekorBundle) -> Bool
    ) throws(ImageGateError) -> String? {
        // One certificate, in one form: what OpenSSL checks is what the log entry is compared with.
        guard let body = RekorBundle.certificateBody(certificate), let der = Data(base64Encoded: body) else {
            return "its certificate is not exactly one PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----, nothing around it)"
        }
        let certificate = Crypto.pemCertificates([Array(der)])
        let logs = root.transparencyLogs.filter { $0.logID == bundle.logID }
        guard !logs.isEmpty else {
            return "its Rekor entry was logged by \(bundle.logID), which is not a transparency log of the trusted root \(source)"
        }
        var timestamped = false
        for log in logs where log.validity.contains(bundle.integratedTime) {
            switch Crypto.verifySHA256(publicKey: log.publicKey, data: bundle.signedBytes, signature: bundle.signedEntryTimestamp) {
            case .valid: timestamped = true
            case .invalid, .unreadableKey: continue
            case .unavailable: throw .cryptoUnavailable
            }
        }
        guard timestamped else {
            return "its Rekor bundle's signed entry timestamp does not verify with the log's key in the trusted root \(source)"
        }
        guard let facts = Crypto.certificateFacts(certificate) else { return "its certificate is not a readable X.509 certificate" }
        let signedAt = bundle.integratedTime
        guard facts.notBefore <= signedAt, signedAt <= facts.notAfter else {
            return "it was logged at \(Self.time(signedAt)), outside its certificate's validity (\(Self.time(facts.notBefore)) to \(Self.time(facts.notAfter)))"
        }
        let authorities = root.certificateAuthorities.filter { $0.validity.contains(signedAt) }
        let anchors = Crypto.pemCertificates(authorities.compactMap(\.certificates.last))
        let intermediates = Crypto.pemCertificates(authorities.flatMap { $0.certificates.dropLast() }) + chain
        switch Crypto.verifyCertificate(certificate, untrusted: intermediates, trusted: anchors, at: signedAt) {
        case .valid: break
        case .invalid(let reason): return "its certificate does not chain to a Fulcio CA of the trusted root \(source) (\(reason))"
        case .unreadable: return "its certificate is not a readable X.509 certificate"
        case .unavailable: throw .cryptoUnavailable
        }
        guard Self.allowsCodeSigning(certificate) else {
            return "its certificate is not for signing code (its extended key usage lists neither code signing nor any purpose)"
        }
        guard logged(bundle) else {
            return "its Rekor entry logs another signature, payload or certificate"
        }
        switch Crypto.verifySHA256(publicKey: facts.publicKey, data: signedData, signature: signature) {
        case .valid: break
        case .invalid, .unreadableKey: return "the signature does not verify with its certificate's key"
        case .unavailable: throw .cryptoUnavailable
        }
        let issuer = Self.issuer(of: certificate)
        guard issuer == identity.issuer, facts.subjects.contains(where: identity.matchesSubject) else {
            let found = (facts.subjects.isEmpty ? "no subject" : "subject " + facts.subjects.joined(separator: ", "))
                + " issued by " + (issuer ?? "no issuer")
            return "identity mismatch: expected \(identity), found \(found)"
        }
        return nil
    }

    /// The OIDC issuer a Fulcio certificate records.
    static func issuer(of certificate: [UInt8]) -> String? {
        if let value = Crypto.certificateExtension(certificate, oid: issuerOID), let text = utf8String(value) { return text }
        return Crypto.certificateExtension(certificate, oid: legacyIssuerOID).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The text of a DER UTF8String.
    static func utf8String(_ der: [UInt8]) -> String? {
        guard der.count >= 2, der[0] == 0x0C else { return nil }
        var length = Int(der[1])
        var start = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 2, der.count >= 2 + count else { return nil }
            length = der[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
            start = 2 + count
        }
        guard der.count == start + length else { return nil }
        return String(decoding: der[start...], as: UTF8.self)
    }

    /// `2026-12-06T01:56:28Z`.
    static func time(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
