import BerthAWS

/// Checks that an image's digest carries a Cosign signature that `trust` accepts (by a key, or
/// keyless for an identity), read from ECR.
///
/// Cosign stores the signatures of `sha256:<hex>` as the image tagged `sha256-<hex>.sig` in the
/// same repository. Each of its layers is a simple-signing payload naming the repository and the
/// digest, with the signature over the payload's bytes in an annotation. The payload is rebuilt as
/// Cosign writes it for the digest being deployed; only when its sha256 is not the layer's
/// digest is the layer downloaded (GetDownloadUrlForLayer, then the URL it returns).
struct CosignVerifier: Sendable {
    let ecr: ECRClient
    let trust: SignatureTrust

    /// Returns whose signature it was when an accepted signature names exactly `digest`; throws
    /// the `ImageGateError` that says why not.
    func verify(repositoryName: String, repositoryURI: String, tag: String, digest: String) async throws -> String {
        let signatureTag = CosignSignatureManifest.tag(for: digest)
        guard let text = try await ecr.imageManifest(repository: repositoryName, tag: signatureTag) else {
            throw ImageGateError.unsigned(repository: repositoryName, tag: tag, digest: digest)
        }
        guard let manifest = CosignSignatureManifest(text), !manifest.layers.isEmpty else {
            throw ImageGateError.unsigned(repository: repositoryName, tag: tag, digest: digest)
        }
        let expected = CosignPayload(dockerReference: repositoryURI, manifestDigest: digest).bytes
        let expectedDigest = "sha256:" + Crypto.hex(Crypto.sha256(expected))
        var otherDigests: [String] = []
        var keylessRefusals: [String] = []
        for layer in manifest.layers {
            let payload: [UInt8]
            if layer.digest == expectedDigest {
                payload = expected
            } else {
                guard let url = try await ecr.layerDownloadURL(repository: repositoryName, digest: layer.digest) else { continue }
                let downloaded = try await ecr.download(url: url)
                // The blob must be the one the manifest names.
                guard "sha256:" + Crypto.hex(Crypto.sha256(downloaded)) == layer.digest else { continue }
                payload = downloaded
            }
            switch trust {
            case .key(let key):
                switch Crypto.verifySHA256(publicKey: key.publicKey, data: payload, signature: layer.signature) {
                case .valid: break
                case .invalid: continue
                case .unreadableKey: throw ImageGateError.unreadableKey(key.source)
                case .unavailable: throw ImageGateError.cryptoUnavailable
                }
            case .keyless(let keyless):
                if let refusal = try keyless.refusal(of: layer, payload: payload) {
                    keylessRefusals.append(refusal)
                    continue
                }
            }
            guard let signed = CosignPayload.read(payload) else { continue }
            if signed.manifestDigest == digest {
                return trust.signer
            }
            otherDigests.append(signed.manifestDigest)
        }
        if !otherDigests.isEmpty {
            throw ImageGateError.signedForAnotherDigest(repository: repositoryName, tag: tag, digest: digest, signed: otherDigests)
        }
        switch trust {
        case .key(let key):
            throw ImageGateError.signedByAnotherKey(repository: repositoryName, tag: tag, digest: digest, key: key.source)
        case .keyless:
            throw ImageGateError.keylessRefused(
                repository: repositoryName, tag: tag, digest: digest, reasons: keylessRefusals.isEmpty ? ["no signature layer could be read"] : keylessRefusals)
        }
    }
}
