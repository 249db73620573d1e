import BerthAWS

extension KeylessTrust {
    /// The most transparency log entries a bundle may hold: cosign writes one, and each is
    /// checked in full.
    static let maximumLogEntries = 8

    /// Why the keyless Sigstore `bundle` signing `envelope` is not accepted; `nil` when it is. The
    /// checks are those of the `.sig` layout, on the envelope's pre-authentication encoding: a
    /// transparency log entry's signed entry timestamp (Rekor v1's inclusion promise) verifies with
    /// a log key of the trusted root, the signing time lies in the certificate's validity, the
    /// certificate chains to a CA of the trusted root then, the entry logs this envelope's
    /// signature and payload, the signature verifies with the certificate's key, and the identity
    /// is the one required. A bundle whose only proofs are Rekor v2 inclusion proofs or RFC 3161
    /// timestamps is refused: Berth does not check those yet. What the payload names is the
    /// caller's check.
    func refusal(of bundle: SigstoreBundle, envelope: DSSEEnvelope) throws(ImageGateError) -> String? {
        guard let certificate = bundle.certificate else {
            return "its Sigstore bundle has no Fulcio certificate (it was made with a key, not keyless)"
        }
        guard bundle.logEntries.count <= Self.maximumLogEntries else {
            return "its Sigstore bundle has \(bundle.logEntries.count) transparency log entries; Berth checks bundles of at most \(Self.maximumLogEntries)"
        }
        let promised = bundle.logEntries.compactMap(\.rekorBundle)
        guard !promised.isEmpty else {
            var unchecked: [String] = []
            if bundle.logEntries.contains(where: \.hasInclusionProof) { unchecked.append("a transparency log inclusion proof (Rekor v2)") }
            if bundle.timestampCount > 0 { unchecked.append("RFC 3161 timestamps") }
            return "its Sigstore bundle has no signed entry timestamp (Rekor v1's inclusion promise), the only proof of the signing time Berth checks; "
                + (unchecked.isEmpty ? "it has no other proof" : "it has " + unchecked.joined(separator: " and ") + ", which Berth does not check yet")
        }
        let leaf = Crypto.pemCertificates([certificate])
        let chain = Crypto.pemCertificates(bundle.chain)
        let signedData = envelope.preAuthenticationEncoding
        let payloadDigest = Crypto.hex(Crypto.sha256(envelope.payload))
        var first: String?
        for entry in promised {
            guard entry.isWellFormed else {
                first = first ?? "its Sigstore bundle's log entry is not readable"
                continue
            }
            for signature in envelope.signatures {
                guard
                    let refusal = try refusal(
                        certificate: leaf, chain: chain, entry: entry, signedData: signedData, signature: signature,
                        logged: { $0.logsEnvelope(signature: signature, by: leaf, payloadDigest: payloadDigest) })
                else { return nil }
                first = first ?? refusal
            }
        }
        return first
    }
}
