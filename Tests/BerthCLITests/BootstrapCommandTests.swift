import BerthTemplate
import Foundation
import Testing

@testable import BerthCLI

/// `berth synth --bootstrap`: one file per app, out of reach of synth's clean-up.
@Suite struct BootstrapCommandTests {
    private let file = "/bootstrap/shop-bootstrap.template.json"

    @Test func writesTheBootstrapTemplateOnlyAndAPlainSynthKeepsIt() async throws {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--bootstrap", "--config", fixtureConfiguration, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "wrote \(out + file): deploy it once in each target account (see README, Bootstrapping a target account)\n")
        // Nothing else: no manifest, no stack template.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["bootstrap"])
        let template = try JSONValue.parseJSON(try readFile(out + file), file: file)
        #expect(template["Resources"]?["DeployRole"]?["Properties"]?["RoleName"] == "berth-shop-deploy")
        let bootstrap = try readFile(out + file)

        // A whole-app synth, twice (the second reads the first's manifest and removes what it no
        // longer writes), keeps it.
        for _ in 0..<2 {
            let synth = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out])
            #expect(synth.status == 0, "\(synth.err)")
            #expect(!synth.out.contains("removed"), "\(synth.out)")
        }
        #expect(try readFile(out + file) == bootstrap)

        // Even a manifest that lists it (by hand) cannot have it removed: the clean-up takes
        // plain file names only.
        let manifestPath = out + "/manifest.json"
        let manifest = try readFile(manifestPath).replacingOccurrences(
            of: "\"templateFile\": \"shop-web-ecr.template.json\"", with: "\"templateFile\": \"bootstrap/shop-bootstrap.template.json\"")
        #expect(manifest.contains("bootstrap/shop-bootstrap.template.json"))
        try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let listed = try Synthesizer.templateFiles(inManifestOf: out, app: "shop")
        #expect(listed?.isEmpty == false)
        #expect(listed?.allSatisfy { !$0.contains("/") } == true)
        let again = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out])
        #expect(again.status == 0, "\(again.err)")
        #expect(try readFile(out + file) == bootstrap)
    }

    @Test func yamlAndStandardOutput() async throws {
        let out = try temporaryDirectory()
        let yaml = await runBerth(["synth", "--bootstrap", "--format", "yaml", "--config", fixtureConfiguration, "--out", out])
        #expect(yaml.status == 0, "\(yaml.err)")
        #expect(FileManager.default.fileExists(atPath: out + "/bootstrap/shop-bootstrap.template.yaml"))
        let printed = await runBerth(["synth", "--bootstrap", "--stdout", "--config", fixtureConfiguration, "--out", out])
        #expect(printed.status == 0, "\(printed.err)")
        #expect(try JSONValue.parseJSON(printed.out, file: "stdout")["Outputs"]?["CloudFormationExecutionRoleArn"] != nil)
    }

    /// The bootstrap template written in the other format takes the place of the one written
    /// before (two would disagree once one is edited and deployed); a link by that name is left.
    @Test func theOtherFormatsFileIsReplaced() async throws {
        let out = try temporaryDirectory()
        let json = await runBerth(["synth", "--bootstrap", "--config", fixtureConfiguration, "--out", out])
        #expect(json.status == 0, "\(json.err)")
        let yaml = await runBerth(["synth", "--bootstrap", "--format", "yaml", "--config", fixtureConfiguration, "--out", out])
        #expect(yaml.status == 0, "\(yaml.err)")
        #expect(yaml.out.contains("removed \(out + file): the bootstrap template is written as yaml now"), "\(yaml.out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/bootstrap") == ["shop-bootstrap.template.yaml"])
        // A link where the JSON file was is not Berth's to remove.
        try FileManager.default.createSymbolicLink(atPath: out + file, withDestinationPath: "/etc/hostname")
        let again = await runBerth(["synth", "--bootstrap", "--format", "yaml", "--config", fixtureConfiguration, "--out", out])
        #expect(again.status == 0 && !again.out.contains("removed"), "\(again.out)\n\(again.err)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: out + file)) == "/etc/hostname")
    }

    @Test func envAndStackAreRefusedWithNothingWritten() async throws {
        for extra in [["--env", "dev"], ["--stack", "shop-dev"]] {
            let out = try temporaryDirectory()
            let result = await runBerth(["synth", "--bootstrap", "--config", fixtureConfiguration, "--out", out] + extra)
            #expect(result.status == 2)
            #expect(result.err.contains("--bootstrap writes one template per app and account, whatever the environment: leave out --env and --stack"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        }
    }
}
