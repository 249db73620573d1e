import BerthAWS
import Foundation

/// Signs Cosign payloads keyless, as `cosign sign` does in GitHub Actions, with
/// `scripts/keyless-test-vectors.py`: a CA in the role of Fulcio and a key in the role of Rekor,
/// kept in a temporary directory so that every signature shares one trusted root.
public struct KeylessTestSigner: Sendable {
    /// The directory holding the CA (`ca/`) and the log key (`rekor/`).
    public let directory: String

    /// What one signing wrote: the annotations of the signature layer and the trusted root.
    public struct Signed: Sendable {
        public let signature: [UInt8]
        public let certificate: String
        public let chain: String
        public let bundle: String
        /// With `dsse`: the Sigstore bundle (v0.3 JSON) of a `cosign sign` 3 referrer.
        public let sigstoreBundle: String?
        /// `trusted_root.json` of the CA and log that made it.
        public let trustedRootFile: String
    }

    /// The leaf certificate's extended key usage: Fulcio's, another purpose, none, or over 8 KiB
    /// of purposes that are not code signing.
    public enum KeyUsage: String, Sendable {
        case codeSigning = "code-signing", serverAuth = "server-auth", none, oversized
    }

    public static let githubIssuer = "https://token.actions.githubusercontent.com"
    public static let workflowSubject = "https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main"

    /// A new CA and log in a new temporary directory (made on the first signature).
    public init() throws {
        directory = NSTemporaryDirectory() + "berth-keyless-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Signs `payload` for `subject` and `issuer`. `certifiedBy` takes the certificate from
    /// another signer's CA; `timestampedBy` signs the SET with another signer's log key (naming
    /// this log); `loggedAfter` is the integrated time in seconds after the certificate's start
    /// (it is valid for 600). `dsse` signs `payload` (an in-toto statement) in a DSSE envelope and
    /// writes the Sigstore bundle too; `withoutSET` leaves its log entry's SET out (an inclusion
    /// proof instead, as Rekor v2 gives). `keyUsage` is the leaf's extended key usage.
    public func sign(
        _ payload: [UInt8], subject: String = workflowSubject, issuer: String = githubIssuer, certifiedBy: KeylessTestSigner? = nil,
        timestampedBy: KeylessTestSigner? = nil, loggedAfter: Int = 30, dsse: Bool = false, withoutSET: Bool = false,
        keyUsage: KeyUsage = .codeSigning
    ) throws -> Signed {
        let out = directory + "/signed-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(payload).write(to: URL(fileURLWithPath: out + "/payload"))
        var arguments = [
            Self.script, "--payload", out + "/payload", "--out", out, "--ca", (certifiedBy ?? self).directory + "/ca", "--rekor", directory + "/rekor",
            "--subject", subject, "--issuer", issuer, "--logged-after", String(loggedAfter), "--key-usage", keyUsage.rawValue,
        ]
        if let timestampedBy { arguments += ["--set-key", timestampedBy.directory + "/rekor"] }
        if dsse { arguments.append("--dsse") }
        if withoutSET { arguments.append("--no-set") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServerError("keyless-test-vectors.py exited \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))")
        }
        func text(_ name: String) throws -> String { try String(contentsOfFile: out + "/" + name, encoding: .utf8) }
        guard let signature = Data(base64Encoded: try text("signature")) else { throw TestServerError("no signature written") }
        return Signed(
            signature: Array(signature), certificate: try text("certificate.pem"), chain: try text("chain.pem"), bundle: try text("bundle.json"),
            sigstoreBundle: dsse ? try text("sigstore-bundle.json") : nil, trustedRootFile: out + "/trusted_root.json")
    }

    /// The trusted root of this signer's CA and log (written by the first signature).
    public func trustedRootFile() throws -> String {
        try sign(Array("{}".utf8)).trustedRootFile
    }

    /// The signature manifest with one keyless layer per `(payload, signed)`.
    public static func signatureManifest(_ layers: [(payload: [UInt8], signed: Signed)]) throws -> String {
        let descriptors: [[String: Any]] = layers.map { layer in
            [
                "mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "size": layer.payload.count,
                "digest": CosignTestSigner.digest(layer.payload),
                "annotations": [
                    "dev.cosignproject.cosign/signature": Data(layer.signed.signature).base64EncodedString(),
                    "dev.sigstore.cosign/certificate": layer.signed.certificate, "dev.sigstore.cosign/chain": layer.signed.chain,
                    "dev.sigstore.cosign/bundle": layer.signed.bundle,
                ],
            ]
        }
        let manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "size": 233, "digest": "sha256:" + String(repeating: "c", count: 64)],
            "layers": descriptors,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `scripts/keyless-test-vectors.py` of this checkout.
    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/keyless-test-vectors.py").path
    }()
}
