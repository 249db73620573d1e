import BerthAWS
import BerthResources
import BerthTestSupport
import Foundation
import Testing

@testable import BerthConfig

/// `signatures:` in an environment file: a public key file relative to the file; KMS keys and
/// keyless signing refused at their line, not yet supported.
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
        #expect(errors("    publicKey: missing.pub\n").first?.hasPrefix("\(file):8:16: signatures.cosign.publicKey: cannot read \(directory)/missing.pub") == true)
        #expect(errors("    publicKey: bad.pub\n") == ["\(file):8:16: signatures.cosign.publicKey: \(directory)/bad.pub is not a PEM or DER public key"])
        #expect(
            errors("    publicKey: arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000000\n").first?
                .hasPrefix("\(file):8:5: signatures.cosign.publicKey: KMS keys are not supported yet") == true)
        #expect(
            errors("    keyless:\n      issuer: https://token.actions.githubusercontent.com\n").first?
                .hasPrefix("\(file):8:5: signatures.cosign.keyless: keyless signatures (Fulcio certificates, Rekor) are not supported yet") == true)
        #expect(errors("    publicKey: bad.pub\n    extra: 1\n").contains { $0.contains("signatures.cosign.extra: unknown key") })
    }
}
