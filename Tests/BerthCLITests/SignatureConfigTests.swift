import BerthAWS
import BerthResources
import BerthTestSupport
import Foundation
import Testing

@testable import BerthConfig

/// `signatures:` in an environment file: a public key file relative to the file, a KMS key or
/// alias ARN, or keyless with a trusted root relative to the file and one identity; mistakes
/// refused at their line.
@Suite struct SignatureConfigTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "berth-signature-config-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path + "/keys", withIntermediateDirectories: true)
        return path
    }

    private func parse(_ text: String, in directory: String) -> Result<EnvironmentConfig, ConfigurationError> {
        Result { () throws(ConfigurationError) in try EnvironmentConfig.parse(text, name: "dev", file: directory + "/dev.yaml") }
    }

    @Test func aPublicKeyFileIsReadRelativeToTheEnvironmentFile() throws {
        let directory = try directory()
        let signer = try CosignTestSigner()
        try FileManager.default.copyItem(atPath: signer.publicKeyFile, toPath: directory + "/keys/cosign.pub")
        let config = try parse(minimalEnvironment + "signatures:\n  cosign:\n    publicKey: keys/cosign.pub\n", in: directory).get()
        #expect(config.settings.signatures == SignatureRequirement.publicKeyFile(directory + "/keys/cosign.pub"))
    }

    @Test func aMissingOrBadKeyKMSAndKeylessAreRefusedAtTheirLine() throws {
        let directory = try directory()
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: directory + "/bad.pub"))
        func errors(_ signatures: String) -> [String] {
            switch parse(minimalEnvironment + "signatures:\n  cosign:\n" + signatures, in: directory) {
            case .success: []
            case .failure(let error): error.errors.map(\.description)
            }
        }
        let file = directory + "/dev.yaml"
        #expect(errors("    publicKey: missing.pub\n").first?.hasPrefix("\(file):8:16: signatures.cosign.publicKey: \(directory)/missing.pub does not exist") == true)
        #expect(errors("    publicKey: bad.pub\n") == ["\(file):8:16: signatures.cosign.publicKey: \(directory)/bad.pub is not a PEM or DER public key"])
        #expect(
            errors("    publicKey: awskms:///arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d\n").first?
                .hasPrefix("\(file):8:5: signatures.cosign.publicKey: name the KMS key by its ARN") == true)
        #expect(
            errors("    publicKey: arn:aws:kms:eu-west-1:123456789012:secret/x\n").first?
                .hasPrefix("\(file):8:5: signatures.cosign.publicKey: arn:aws:kms:eu-west-1:123456789012:secret/x is not a KMS key ARN") == true)
        #expect(errors("    publicKey: bad.pub\n    extra: 1\n").contains { $0.contains("signatures.cosign.extra: unknown key") })
    }

    /// A P-384 or Ed25519 key (`cosign import-key-pair` takes both) is refused at its line, with
    /// the reason: Cosign signs with SHA-384 or no separate hash under them, and Berth checks
    /// SHA-256 signatures; an RSA key is kept.
    @Test func aKeyBerthCannotCheckCosignSignaturesWithIsRefusedAtItsLine() throws {
        let directory = try directory()
        func publicKey(_ name: String, _ generate: [String]) throws {
            try CosignTestSigner.openssl(["genpkey"] + generate + ["-out", directory + "/\(name).key"])
            try CosignTestSigner.openssl(["pkey", "-in", directory + "/\(name).key", "-pubout", "-out", directory + "/keys/\(name).pub"])
        }
        try publicKey("p384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"])
        try publicKey("ed25519", ["-algorithm", "ED25519"])
        try publicKey("rsa", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        func errors(_ key: String) -> [String] {
            switch parse(minimalEnvironment + "signatures:\n  cosign:\n    publicKey: keys/\(key).pub\n", in: directory) {
            case .success: []
            case .failure(let error): error.errors.map(\.description)
            }
        }
        let file = directory + "/dev.yaml"
        #expect(
            errors("p384") == [
                "\(file):8:16: signatures.cosign.publicKey: \(directory)/keys/p384.pub is an ECDSA key of 384 bits, which Cosign signs with SHA-384; "
                    + "Berth checks Cosign's SHA-256 signatures, made with ECDSA P-256 (cosign generate-key-pair) or RSA keys"
            ])
        #expect(errors("ed25519").first?.hasPrefix("\(file):8:16: signatures.cosign.publicKey: \(directory)/keys/ed25519.pub is neither an RSA nor an ECDSA key") == true)
        #expect(errors("rsa").isEmpty)
    }

    @Test func aKMSKeyOrAliasArnIsKept() throws {
        let directory = try directory()
        for arn in ["arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000000", "arn:aws:kms:us-east-2:123456789012:alias/cosign"] {
            let config = try parse(minimalEnvironment + "signatures:\n  cosign:\n    publicKey: \(arn)\n", in: directory).get()
            #expect(config.settings.signatures == .kmsKey(arn))
        }
    }

    @Test func keylessNamesATrustedRootAndOneIdentity() throws {
        let directory = try directory()
        let root = try KeylessTestSigner().trustedRootFile()
        try FileManager.default.copyItem(atPath: root, toPath: directory + "/keys/trusted_root.json")
        let keyless = "signatures:\n  cosign:\n    keyless:\n      trustedRoot: keys/trusted_root.json\n      issuer: https://token.actions.githubusercontent.com\n"
        let exact = try parse(minimalEnvironment + keyless + "      subject: https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main\n", in: directory).get()
        #expect(
            exact.settings.signatures
                == .keyless(
                    KeylessIdentity(
                        trustedRootFile: directory + "/keys/trusted_root.json", issuer: "https://token.actions.githubusercontent.com",
                        subject: .exact("https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main"))))
        let pattern = try parse(minimalEnvironment + keyless + "      subjectRegexp: 'https://github\\.com/acme/.*'\n", in: directory).get()
        #expect(pattern.settings.signatures == .keyless(KeylessIdentity(
            trustedRootFile: directory + "/keys/trusted_root.json", issuer: "https://token.actions.githubusercontent.com", subject: .regexp(#"https://github\.com/acme/.*"#))))

        func errors(_ text: String) -> [String] {
            switch parse(minimalEnvironment + text, in: directory) {
            case .success: []
            case .failure(let error): error.errors.map(\.description)
            }
        }
        let file = directory + "/dev.yaml"
        #expect(errors(keyless + "      subjectRegexp: 'acme/(unclosed'\n") == ["\(file):11:7: signatures.cosign.keyless.subjectRegexp: acme/(unclosed is not a regular expression that compiles"])
        #expect(errors(keyless + "      subject: a\n      subjectRegexp: b\n") == ["\(file):12:7: signatures.cosign.keyless.subjectRegexp: give either subject or subjectRegexp, not both"])
        #expect(errors(keyless) == ["\(file):9:7: signatures.cosign.keyless: give subject (the exact identity) or subjectRegexp"])
        try Data(#"{"mediaType":"application/vnd.dev.sigstore.bundle+json"}"#.utf8).write(to: URL(fileURLWithPath: directory + "/keys/bundle.json"))
        let badRoot = keyless.replacingOccurrences(of: "keys/trusted_root.json", with: "keys/bundle.json")
        let rootErrors = errors(badRoot + "      subject: a\n")
        #expect(rootErrors.first?.hasPrefix("\(file):9:20: signatures.cosign.keyless.trustedRoot: \(directory)/keys/bundle.json is not a Sigstore trusted root") == true, "\(rootErrors)")
        #expect(
            errors("signatures:\n  cosign:\n    publicKey: cosign.pub\n    keyless:\n      issuer: x\n").first?
                .hasPrefix("\(file):8:5: signatures.cosign.publicKey: give either publicKey (a key pair) or keyless") == true)
    }
}
