import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS

/// A phase-1 update that would replace a repository (a new name) is refused before any change
/// set, against moto with signature checking on: moto's change sets leave `Replacement` empty,
/// so the guard that reads it alone would let moto run it.
@Suite struct RepositoryReplacementTests {
    private static let region = "eu-north-1"

    private static func environmentFile(repository: String?) -> String {
        """
        app: silo
        region: eu-north-1
        services:
          web:
            cpu: 256
            memory: 512
            containerPort: 3000
        \(repository.map { "    repository: \($0)\n" } ?? "")
        """
    }

    @Test func aRenamedRepositoryIsRefusedBeforeAnyChangeSet() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let config = try configuration(["dev.yaml": Self.environmentFile(repository: nil)])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let deploy = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr"]
        let created = await runBerth(deploy, environment: environment)
        #expect(created.status == 0, "\(created.err)")
        try Self.environmentFile(repository: "silo/site").write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        let before = proxy.requests.count
        let renamed = await runBerth(deploy, environment: environment)
        // Refused like any input that would lose data: exit 2, as a changed policy's or lifecycle's.
        #expect(renamed.status == 2, "\(renamed.out)\n\(renamed.err)")
        #expect(
            renamed.err.contains(
                "the change would replace the image repository silo/web (Repository: RepositoryName can only be set on a repository that does not exist yet); "
                    + "Berth never replaces or deletes a repository, and nothing was changed"), "\(renamed.err)")
        let actions = proxy.requests.dropFirst(before).compactMap { $0.form["Action"] }
        #expect(!actions.contains("CreateChangeSet") && actions.contains("GetTemplate"), "\(actions)")
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        #expect(try await ecr.describeRepositories(names: ["silo/web"]).collect().count == 1)
        _ = proxy
    }

    /// Every repository stack's refusal is found before any stack changes, and before any
    /// question: a KMS key set for the app's two deployed repositories, with a new service
    /// whose repository is to be adopted, creates nothing (the new service's repository stack,
    /// deployed side by side with the others, was made before) and asks nothing.
    @Test func refusalsAreFoundForEveryRepositoryBeforeAnyStackChanges() async throws {
        let (moto, keys, environment) = try await signedMoto()
        func file(kms: Bool, extra: Bool) -> String {
            "app: vault\nregion: eu-north-1\n"
                + (kms ? "repositoryKmsKeyArn: arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n" : "")
                + "services:\n  web: {cpu: 256, memory: 512}\n  api: {cpu: 256, memory: 512, routing: {paths: [/api/*]}}\n"
                + (extra ? "  extra: {kind: worker, cpu: 256, memory: 512}\n" : "")
        }
        let config = try configuration(["dev.yaml": file(kms: false, extra: false)])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let deploy = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr"]
        let created = await runBerth(deploy, environment: environment)
        #expect(created.status == 0, "\(created.err)")
        try file(kms: true, extra: true).write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        // The new service's repository is there already, to be adopted: nobody is asked to agree
        // to adopting it, in a deploy refused anyway.
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "vault/extra", credentials: keys)
        let before = proxy.requests.count
        let refused = await runBerth(deploy + ["--adopt"], environment: environment)
        #expect(!refused.out.contains("adopting it into") && !refused.err.contains("--yes"), "\(refused.out)\n\(refused.err)")
        #expect(refused.status == 2, "\(refused.out)\n\(refused.err)")
        for service in ["api", "web"] {
            #expect(
                refused.err.contains(
                    "error: vault-\(service)-ecr: the change would replace the image repository vault/\(service) (Repository: EncryptionConfiguration can only be set "
                        + "on a repository that does not exist yet); Berth never replaces or deletes a repository, and nothing was changed. "
                        + "Undo the change to it (repositoryKmsKeyArn in the environment files)"), "\(refused.err)")
        }
        let actions = proxy.requests.dropFirst(before).compactMap { $0.form["Action"] }
        #expect(!actions.contains("CreateChangeSet") && !actions.contains("CreateStack"), "\(actions)")
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        #expect(try await cloudFormation.describeStack("vault-extra-ecr") == nil)
        _ = proxy
    }
}
