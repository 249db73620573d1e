/// Why the image gate refused a deploy. Nothing was changed when it does. The CLI adds how to
/// go on in its own words (`--allow-mutable-tag`, `--phase ecr`, `--wait-for-image`).
public enum ImageGateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tag is not a Docker tag.
    case invalidTag(String)
    /// The tag names a branch or channel, not one build.
    case mutableTag(String)
    /// The tag matches one of the repository's exclusion filters, so it can be pushed again for
    /// another image.
    case tagMovesInRepository(tag: String, repository: String, filter: String)
    /// The repository's phase-1 stack is missing or not complete.
    case repositoryNotReady(stack: String, status: String?)
    /// The repository itself does not exist.
    case repositoryMissing(String)
    /// The repository's phase-1 stack does not exist, and the repository does, outside any
    /// stack (made by hand or another tool): it is to be adopted.
    case repositoryOutsideStack(stack: String, repository: String)
    /// The service runs in `account`, another than the repository's, and the repository's
    /// policy (`hasPolicy`: it has one) does not let that account pull: its tasks could not start.
    case pullNotGranted(repository: String, account: String, hasPolicy: Bool)
    /// The tag names another image than the one the command checked before the deploy (a
    /// rollback's tag, compared with the image that ran): it moved in between.
    case tagMovedSinceChecked(repository: String, tag: String, checked: String, now: String)
    /// ECR answered with a digest for the tag that is not `sha256:` and 64 hexadecimal digits.
    case malformedDigest(repository: String, tag: String)
    /// The repository has no image with this tag; `recentTags` lists the newest ones that exist.
    case imageMissing(repository: String, tag: String, recentTags: [String], waited: Bool)
    /// Signatures are required and the digest has none (no `sha256-<hex>.sig` tag with signature
    /// layers, and no Cosign signature among its OCI referrers).
    case unsigned(repository: String, tag: String, digest: String)
    /// The digest has signatures, but none by the required key verifies.
    case signedByAnotherKey(repository: String, tag: String, digest: String, key: String)
    /// A signature by the key verifies, but it names another digest than the one deployed.
    case signedForAnotherDigest(repository: String, tag: String, digest: String, signed: [String])
    /// The digest has signatures, but none by the key is accepted; `reasons` says why (a
    /// referrer for another image, a bundle that is no image signature, …).
    case signaturesRefused(repository: String, tag: String, digest: String, reasons: [String])
    /// Keyless signatures are required and none is accepted; `reasons` says why, one per signature.
    case keylessRefused(repository: String, tag: String, digest: String, reasons: [String])
    /// The required public key file cannot be read, or holds no key Berth checks Cosign
    /// signatures with; `problem` says which.
    case unreadableKey(String, problem: String)
    /// The KMS key cannot be used to check signatures (not found, or not a signing key).
    case unusableKMSKey(arn: String, reason: String)
    /// The trusted root file cannot be read or is not Sigstore's `trusted_root.json`.
    case unreadableTrustedRoot(String)
    /// The keyless subject pattern (set in the app's Swift code) is not a regular expression.
    case invalidSubjectPattern(String)
    /// libcrypto, which checks signatures, could not be loaded.
    case cryptoUnavailable

    public var description: String {
        switch self {
        case .invalidTag(let tag):
            "\"\(tag)\" is not a valid image tag: Docker tags are 1 to 128 letters, digits, _ . and -, and do not start with . or -"
        case .mutableTag(let tag):
            "refusing tag \"\(tag)\": it names a branch or channel and can point at a different image tomorrow; deploy an immutable tag such as dev-20261122-093000-0123abcd"
        case .tagMovesInRepository(let tag, let repository, let filter):
            "refusing tag \"\(tag)\": repository \(repository) lets it move (it matches the mutable-tag filter \"\(filter)\"), so it can point at a different image tomorrow; deploy an immutable tag such as dev-20261122-093000-0123abcd"
        case .tagMovedSinceChecked(let repository, let tag, let checked, let now):
            "image \(repository):\(tag) now names \(now), not \(checked), which was checked before the deploy: the tag moved in between"
        case .repositoryNotReady(let stack, let status):
            if let status {
                "the repository stack \(stack) is \(status), not complete"
            } else {
                "the repository stack \(stack) does not exist"
            }
        case .repositoryMissing(let repository):
            "repository \(repository) does not exist"
        case .repositoryOutsideStack(let stack, let repository):
            "the repository stack \(stack) does not exist, and repository \(repository) does, outside any stack: it is to be adopted into \(stack), with its images"
        case .pullNotGranted(let repository, let account, let hasPolicy):
            "repository \(repository) does not let account \(account) pull its images ("
                + (hasPolicy ? "its repository policy grants ecr:BatchGetImage and ecr:GetDownloadUrlForLayer to no principal of that account" : "it has no repository policy")
                + "), so the service's tasks there could not start"
        case .malformedDigest(let repository, let tag):
            "ECR answered with a digest for image \(repository):\(tag) that is not sha256: and 64 hexadecimal digits; nothing was deployed"
        case .imageMissing(let repository, let tag, let recentTags, let waited):
            "image \(repository):\(tag) is not in ECR\(waited ? " (waited for it)" : ""); push it first"
                + (recentTags.isEmpty ? "; the repository has no tagged images yet" : "; the most recent tags are: " + recentTags.joined(separator: ", "))
        case .unsigned(let repository, let tag, let digest):
            "image \(repository):\(tag) (\(digest)) is not signed: the repository has no signature \(CosignSignatureManifest.tag(for: digest)), and no Cosign signature or Sigstore bundle refers to the image; sign it with cosign sign"
        case .signedByAnotherKey(let repository, let tag, let digest, let key):
            "image \(repository):\(tag) (\(digest)) is signed, but not by the key \(key)"
        case .signedForAnotherDigest(let repository, let tag, let digest, let signed):
            "image \(repository):\(tag) (\(digest)) has a valid signature, but it names another image: \(signed.joined(separator: ", "))"
        case .signaturesRefused(let repository, let tag, let digest, let reasons):
            "image \(repository):\(tag) (\(digest)) has no accepted signature: " + reasons.joined(separator: "; ")
        case .keylessRefused(let repository, let tag, let digest, let reasons):
            "image \(repository):\(tag) (\(digest)) has no accepted keyless signature: " + reasons.joined(separator: "; ")
        case .unusableKMSKey(let arn, let reason):
            "the KMS key \(arn) cannot check signatures: \(reason)"
        case .unreadableTrustedRoot(let file):
            "the trusted root \(file) is not a readable Sigstore trusted_root.json (certificateAuthorities and tlogs)"
        case .unreadableKey(let source, let problem):
            "the public key \(source) \(problem)"
        case .invalidSubjectPattern(let pattern):
            "the keyless subject pattern \(pattern) is not a regular expression that compiles"
        case .cryptoUnavailable:
            "libcrypto (OpenSSL), which checks image signatures, cannot be loaded"
        }
    }
}
