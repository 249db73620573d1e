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
    /// How many layers were downloaded (each at most 1 MiB).
    private(set) var downloads = 0
    /// How many signature artifacts (the `.sig` tag's manifest, then each referrer) were read.
    private(set) var artifacts = 0

    /// The most layers downloaded, and artifacts read, for one image: anyone who can push to the
    /// repository can push signatures, and a deploy must not spend its time (or gigabytes) on a
    /// flood of them. Cosign adds one layer per signing; real images carry a handful.
    static let maximumDownloads = 16
    static let maximumArtifacts = 32

    /// Counts a layer download; `false`, said once among the reasons, when the bound is reached.
    mutating func mayDownload() -> Bool {
        guard downloads < Self.maximumDownloads else {
            if downloads == Self.maximumDownloads {
                reasons.append("more signature layers than the \(Self.maximumDownloads) Berth downloads for one image; the rest were not read")
                downloads += 1
            }
            return false
        }
        downloads += 1
        return true
    }

    /// Counts a signature artifact read; `false`, said once among the reasons, when the bound is reached.
    mutating func mayRead() -> Bool {
        guard artifacts < Self.maximumArtifacts else {
            if artifacts == Self.maximumArtifacts {
                reasons.append("more signature artifacts than the \(Self.maximumArtifacts) Berth reads for one image; the rest were not read")
                artifacts += 1
            }
            return false
        }
        artifacts += 1
        return true
    }

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
