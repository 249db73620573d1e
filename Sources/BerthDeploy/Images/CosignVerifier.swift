import BerthAWS
import BerthModel

/// Checks that an image's digest carries a Cosign signature that `trust` accepts (by a key, or
/// keyless for an identity), read from ECR.
///
/// Signatures are looked for where Cosign stores them:
/// - the image tagged `sha256-<hex>.sig` in the same repository. Each of its layers is a
///   simple-signing payload naming the repository and the digest, with the signature over the
///   payload's bytes in an annotation. The payload is rebuilt as Cosign writes it for the digest
///   being deployed; only when its sha256 is not the layer's digest is the layer downloaded
///   (GetDownloadUrlForLayer, then the URL it returns);
/// - the image's OCI referrers (ListImageReferrers), when the tag's signatures are not accepted:
///   a referrer of Cosign's signature artifact type holds the same layers, and a Sigstore bundle
///   referrer (`cosign sign` 3) a DSSE envelope over an in-toto statement whose subject is the
///   image's digest.
/// A referrer's manifest is read by digest (BatchGetImage) and must hash to it and name the
/// deployed digest as its subject.
struct CosignVerifier: Sendable {
    let ecr: ECRClient
    let trust: SignatureTrust

    /// Returns whose signature it was when an accepted signature names exactly `digest`; throws
    /// the `ImageGateError` that says why not.
    func verify(repositoryName: String, repositoryURI: String, tag: String, digest: String) async throws -> String {
        var findings = SignatureFindings()
        _ = findings.mayRead()  // the `.sig` tag's manifest
        let signatureTag = CosignSignatureManifest.tag(for: digest)
        if let text = try await ecr.imageManifest(repository: repositoryName, tag: signatureTag) {
            let layers = CosignSignatureManifest(text)?.layers ?? []
            // The tag is there: a signature image with no layer Berth can read is said as such,
            // not as no signature at all.
            findings.found = true
            if layers.isEmpty {
                findings.reasons.append(
                    "the signature image \(signatureTag) holds no Cosign signature layer (one of type \(CosignPayload.mediaType) "
                        + "with its base64 signature in the \(CosignSignatureManifest.signatureAnnotation) annotation)")
            }
            if try await accepts(layers, repositoryName: repositoryName, repositoryURI: repositoryURI, digest: digest, findings: &findings) {
                return trust.signer
            }
        }
        let types = ReferrerManifest.signatureArtifactTypes
        for try await referrer in ecr.listImageReferrers(repository: repositoryName, digest: digest, artifactTypes: types)
        where referrer.artifactType.map(types.contains) ?? false {
            findings.found = true
            guard ImageDigest.isValid(referrer.digest) else {
                findings.reasons.append("a referrer's digest is not a sha256 digest; it was not read")
                continue
            }
            guard findings.mayRead() else { break }
            guard let text = try await ecr.imageManifest(repository: repositoryName, digest: referrer.digest),
                "sha256:" + Crypto.hex(Crypto.sha256(Array(text.utf8))) == referrer.digest, let manifest = ReferrerManifest(text)
            else {
                findings.reasons.append("the referrer \(referrer.digest) has no manifest with that digest and a subject")
                continue
            }
            guard manifest.subject == digest else {
                findings.reasons.append(
                    "the referrer \(referrer.digest) refers to another image" + (ImageDigest.isValid(manifest.subject) ? ", \(manifest.subject)" : ""))
                continue
            }
            switch manifest.artifactType {
            case ReferrerManifest.cosignSignatureArtifactType:
                let layers = CosignSignatureManifest(text)?.layers ?? []
                if try await accepts(layers, repositoryName: repositoryName, repositoryURI: repositoryURI, digest: digest, findings: &findings) {
                    return trust.signer
                }
            case SigstoreBundle.mediaType:
                for layer in manifest.layers where layer.mediaType == SigstoreBundle.mediaType && ImageDigest.isValid(layer.digest) {
                    if try await acceptsBundle(layer: layer.digest, repositoryName: repositoryName, digest: digest, findings: &findings) {
                        return trust.signer
                    }
                }
            default:
                findings.reasons.append("the referrer \(referrer.digest) is a \(manifest.artifactType ?? "typeless") artifact, not a Cosign signature")
            }
        }
        throw findings.refusal(trust: trust, repository: repositoryName, tag: tag, digest: digest)
    }

    /// The most signature layers of one signature image (or referrer) that are checked.
    static let layersPerArtifact = 32

    /// Whether one of the simple-signing `layers` is a signature `trust` accepts over a payload
    /// naming `digest`; what the others showed goes into `findings`.
    private func accepts(
        _ layers: [CosignSignatureManifest.Layer], repositoryName: String, repositoryURI: String, digest: String, findings: inout SignatureFindings
    ) async throws -> Bool {
        let expected = CosignPayload(dockerReference: repositoryURI, manifestDigest: digest).bytes
        let expectedDigest = "sha256:" + Crypto.hex(Crypto.sha256(expected))
        // The layers Berth can rebuild first: they need no download, which may fail or be slow.
        // At most `layersPerArtifact` of them: anyone who can push can push a manifest of
        // thousands, each a signature to check.
        let ordered = layers.filter({ $0.digest == expectedDigest }) + layers.filter({ $0.digest != expectedDigest })
        if ordered.count > Self.layersPerArtifact {
            findings.reasons.append("a signature image has \(ordered.count) signature layers; the first \(Self.layersPerArtifact) were checked")
        }
        for layer in ordered.prefix(Self.layersPerArtifact) {
            let payload: [UInt8]
            if layer.digest == expectedDigest {
                payload = expected
            } else {
                // Past the bound, a layer Berth can rebuild is still checked.
                guard findings.mayDownload(),
                    let downloaded = try await download(layer.digest, what: "the signature layer", from: repositoryName, findings: &findings)
                else { continue }
                payload = downloaded
            }
            switch trust {
            case .key(let key):
                guard try Self.verifies(key, data: payload, signatures: [layer.signature]) else {
                    findings.notByTheKey += 1
                    continue
                }
            case .keyless(let keyless):
                if let refusal = try keyless.refusal(of: layer, payload: payload) {
                    findings.reasons.append(refusal)
                    continue
                }
            }
            guard let signed = CosignPayload.read(payload) else {
                findings.reasons.append("the signature layer \(layer.digest) is signed, but is not a Cosign simple-signing payload")
                continue
            }
            if signed.manifestDigest == digest { return true }
            findings.otherDigests.append(signed.manifestDigest)
        }
        return false
    }

    /// Whether the Sigstore bundle in the layer `layerDigest` is a signature `trust` accepts over
    /// an in-toto statement whose subject is `digest`; what it showed otherwise goes into `findings`.
    private func acceptsBundle(layer layerDigest: String, repositoryName: String, digest: String, findings: inout SignatureFindings)
        async throws -> Bool
    {
        guard findings.mayDownload(),
            let blob = try await download(layerDigest, what: "the Sigstore bundle", from: repositoryName, findings: &findings)
        else { return false }
        guard let bundle = SigstoreBundle(blob) else {
            findings.reasons.append("the layer \(layerDigest) is not a readable Sigstore bundle")
            return false
        }
        guard let envelope = bundle.envelope else {
            findings.reasons.append("its Sigstore bundle holds a message signature (a signed blob), not a DSSE envelope naming the image")
            return false
        }
        // The bundle format's envelope holds exactly one signature (as sigstore-go requires): more
        // would only multiply the checks of a bundle anyone who can push a referrer can write.
        guard envelope.signatures.count == 1 else {
            findings.reasons.append("its Sigstore bundle's DSSE envelope has \(envelope.signatures.count) signatures; a bundle's has exactly one")
            return false
        }
        switch trust {
        case .key(let key):
            guard try Self.verifies(key, data: envelope.preAuthenticationEncoding, signatures: envelope.signatures) else {
                findings.notByTheKey += 1
                return false
            }
        case .keyless(let keyless):
            if let refusal = try keyless.refusal(of: bundle, envelope: envelope) {
                findings.reasons.append(refusal)
                return false
            }
        }
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType, let statement = InTotoStatement(envelope.payload) else {
            findings.reasons.append("its Sigstore bundle signs a \(envelope.payloadType) payload, not an in-toto statement")
            return false
        }
        guard statement.predicateType == InTotoStatement.cosignSignPredicate else {
            findings.reasons.append("its Sigstore bundle is an attestation (\(statement.predicateType)), not a Cosign signature")
            return false
        }
        if statement.subjectDigests.contains(digest) { return true }
        guard !statement.subjectDigests.isEmpty else {
            findings.reasons.append("its Sigstore bundle's statement names no sha256 digest")
            return false
        }
        findings.otherDigests += statement.subjectDigests
        return false
    }

    /// The layer `layerDigest` (`what` it holds, for the reasons) downloaded and checked against
    /// its digest; `nil`, with the reason in `findings`, when ECR gives no URL, refuses the layer,
    /// or serves other bytes. One layer that cannot be read must not keep the others unread:
    /// anyone who can push a signature can push one that is too large.
    private func download(_ layerDigest: String, what: String, from repositoryName: String, findings: inout SignatureFindings)
        async throws -> [UInt8]?
    {
        let blob: [UInt8]
        do {
            guard let url = try await ecr.layerDownloadURL(repository: repositoryName, digest: layerDigest) else {
                findings.reasons.append("ECR gave no download URL for \(what) \(layerDigest)")
                return nil
            }
            blob = try await ecr.download(url: url)
        } catch let error as AWSServiceError where ECRClient.layerFailureCodes.contains(error.code) {
            findings.reasons.append("\(what) \(layerDigest) could not be downloaded: \(error.summary)")
            return nil
        }
        // The blob must be the one the manifest names.
        guard "sha256:" + Crypto.hex(Crypto.sha256(blob)) == layerDigest else {
            findings.reasons.append("\(what) downloaded is not the layer \(layerDigest) its manifest names")
            return nil
        }
        return blob
    }

    /// Whether one of `signatures` over `data` verifies with `key`.
    private static func verifies(_ key: SignatureKey, data: [UInt8], signatures: [[UInt8]]) throws(ImageGateError) -> Bool {
        for signature in signatures {
            switch Crypto.verifySHA256(publicKey: key.publicKey, data: data, signature: signature) {
            case .valid: return true
            case .invalid: continue
            case .unreadableKey: throw .unreadableKey(key.source, problem: "is not a PEM or DER public key")
            case .unavailable: throw .cryptoUnavailable
            }
        }
        return false
    }
}
