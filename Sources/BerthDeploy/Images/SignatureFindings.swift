/// What the signatures of one image showed while none was accepted: what the refusal says.
struct SignatureFindings: Sendable {
    /// Whether any signature was found (a `.sig` tag with layers, or a Cosign referrer).
    var found = false
    /// The digests that valid signatures named instead of the deployed one.
    var otherDigests: [String] = []
    /// Why signatures were not accepted, one per signature (keyless checks, referrers, bundles).
    var reasons: [String] = []
    /// How many signatures did not verify with the required key.
    var notByTheKey = 0

    /// The refusal these findings make for `digest`, tagged `tag` in `repository`.
    func refusal(trust: SignatureTrust, repository: String, tag: String, digest: String) -> ImageGateError {
        if !otherDigests.isEmpty {
            return .signedForAnotherDigest(repository: repository, tag: tag, digest: digest, signed: otherDigests)
        }
        guard found else { return .unsigned(repository: repository, tag: tag, digest: digest) }
        switch trust {
        case .key(let key):
            guard !reasons.isEmpty else { return .signedByAnotherKey(repository: repository, tag: tag, digest: digest, key: key.source) }
            let mismatches = notByTheKey == 0 ? [] : ["\(notByTheKey) signature\(notByTheKey == 1 ? " is" : "s are") not by the key \(key.source)"]
            return .signaturesRefused(repository: repository, tag: tag, digest: digest, reasons: reasons + mismatches)
        case .keyless:
            return .keylessRefused(
                repository: repository, tag: tag, digest: digest, reasons: reasons.isEmpty ? ["no signature layer could be read"] : reasons)
        }
    }
}
