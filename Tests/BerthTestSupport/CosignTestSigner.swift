import BerthAWS
import Foundation

/// Signs images as Cosign does with a key pair, using the `openssl` command: ECDSA P-256 keys,
/// SHA-256, ASN.1 DER signatures over the simple-signing payload, stored as the layers of a
/// manifest tagged `sha256-<hex>.sig` with the base64 signature in the layer's
/// `dev.cosignproject.cosign/signature` annotation (sigstore/cosign specs/SIGNATURE_SPEC.md).
public struct CosignTestSigner: Sendable {
    /// The private key file (PEM).
    public let privateKeyFile: String
    /// The public key file (PEM), as `cosign generate-key-pair` writes `cosign.pub`.
    public let publicKeyFile: String

    /// A new key pair in a new temporary directory.
    public init() throws {
        let directory = NSTemporaryDirectory() + "berth-cosign-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        privateKeyFile = directory + "/cosign.key"
        publicKeyFile = directory + "/cosign.pub"
        try Self.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", privateKeyFile])
        try Self.openssl(["ec", "-in", privateKeyFile, "-pubout", "-out", publicKeyFile])
    }

    /// The public key's PEM bytes.
    public var publicKey: [UInt8] { get throws { Array(try Data(contentsOf: URL(fileURLWithPath: publicKeyFile))) } }

    /// The payload Cosign signs for `digest` in `repository` (Go's encoding/json of sigstore's
    /// SimpleContainerImage: no spaces, this key order), with `optional` as given (raw JSON).
    public static func payload(repository: String, digest: String, optional: String = "null") -> [UInt8] {
        Array(
            #"{"critical":{"identity":{"docker-reference":"\#(repository)"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"cosign container image signature"},"optional":\#(optional)}"#
                .utf8)
    }

    /// The DER ECDSA signature of `payload` (SHA-256).
    public func sign(_ payload: [UInt8]) throws -> [UInt8] {
        let input = privateKeyFile + ".payload-" + UUID().uuidString
        let output = input + ".sig"
        defer {
            try? FileManager.default.removeItem(atPath: input)
            try? FileManager.default.removeItem(atPath: output)
        }
        try Data(payload).write(to: URL(fileURLWithPath: input))
        try Self.openssl(["dgst", "-sha256", "-sign", privateKeyFile, "-out", output, input])
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// The signature manifest (OCI image manifest) with one layer per `(payload, signature)`.
    public static func signatureManifest(_ layers: [(payload: [UInt8], signature: [UInt8])]) -> String {
        let descriptors = layers.map { layer in
            #"{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":\#(layer.payload.count),"digest":"\#(digest(layer.payload))","annotations":{"dev.cosignproject.cosign/signature":"\#(Data(layer.signature).base64EncodedString())"}}"#
        }
        let config = #"{"mediaType":"application/vnd.oci.image.config.v1+json","size":233,"digest":"sha256:\#(String(repeating: "c", count: 64))"}"#
        return #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config),"layers":[\#(descriptors.joined(separator: ","))]}"#
    }

    /// `sha256:<hex>` of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> String { "sha256:" + Crypto.hex(Crypto.sha256(bytes)) }

    /// Cosign's tag for the signatures of `digest`.
    public static func signatureTag(_ digest: String) -> String { digest.replacingOccurrences(of: ":", with: "-") + ".sig" }

    /// Runs `openssl` with `arguments`; throws when it fails.
    public static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestServerError("openssl \(arguments.first ?? "") exited \(process.terminationStatus)")
        }
    }
}
