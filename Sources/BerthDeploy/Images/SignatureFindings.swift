/// What the signatures of one image showed while none was accepted: what the refusal says.
struct SignatureFindings: Sendable {
    /// Whether any signature was found (a `.sig` tag, readable or not, or a Cosign referrer).
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
        Self.count(&downloads, bound: Self.maximumDownloads, refusing: "more signature layers than the \(Self.maximumDownloads) Berth downloads", in: &reasons)
    }

    /// Counts a signature artifact read; `false`, said once among the reasons, when the bound is reached.
    mutating func mayRead() -> Bool {
        Self.count(&artifacts, bound: Self.maximumArtifacts, refusing: "more signature artifacts than the \(Self.maximumArtifacts) Berth reads", in: &reasons)
    }

    /// Counts one more against `bound`; past it, says `what` once among `reasons` and answers `false`.
    private static func count(_ counted: inout Int, bound: Int, refusing what: String, in reasons: inout [String]) -> Bool {
        defer { counted += counted <= bound ? 1 : 0 }
        guard counted < bound else {
            if counted == bound { reasons.append(what + " for one image; the rest were not read") }
            return false
        }
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
