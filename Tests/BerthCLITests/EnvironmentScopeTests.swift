import BerthCLI
import Foundation
import Testing

/// `FixtureApp`, except that prod's web service reads a bucket its template never defines: a
/// stack mistake in one environment only.
private struct BrokenInProdApp: AppDefinition {
    func makeApp(configuration: Configuration) throws -> App {
        var blueprint = try configuration.blueprint()
        blueprint.configureService("web") { service, environment in
            guard environment.name == "prod" else { return }
            service.taskRoleStatements.append(
                PolicyStatement(sid: "ReadAssets", actions: ["s3:GetObject"], resources: [Intrinsic.ref("NoSuchBucket").templateValue]))
        }
        return blueprint.build()
    }
}

/// A command given `--env` builds, checks and renders that environment's stacks and the
/// repositories' (as `synth --env` does), not every environment's; every environment file is
/// still read and checked.
@Suite struct EnvironmentScopeTests {
    @Test func aCommandForOneEnvironmentIsNotHeldUpByAnotherEnvironmentsStacks() async throws {
        let out = try temporaryDirectory()
        let whole = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out], app: BrokenInProdApp())
        #expect(whole.status == 2)
        #expect(whole.err.contains("shop-web-prod"))
        #expect(whole.err.contains("NoSuchBucket"))

        let dev = await runBerth(["synth", "--config", fixtureConfiguration, "--env", "dev", "--out", out], app: BrokenInProdApp())
        #expect(dev.status == 0, "\(dev.err)")
        let template = out + "/shop-web-dev.template.json"

        let devDiff = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--env", "dev", "--stack", "shop-web-dev", "--template", template, "--fail"],
            app: BrokenInProdApp())
        #expect(devDiff.status == 0, "\(devDiff.err)")
        #expect(!devDiff.err.contains("shop-web-prod"))

        // Without --env every environment's stacks are built, and prod's mistake stops it.
        let wholeDiff = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-web-dev", "--template", template], app: BrokenInProdApp())
        #expect(wholeDiff.status == 2)
        #expect(wholeDiff.err.contains("NoSuchBucket"))
    }

    @Test func everyEnvironmentFileIsStillChecked() async throws {
        let prod = try readFile(fixtureConfiguration + "/prod.yaml")
        let dev = try readFile(fixtureConfiguration + "/dev.yaml")
        let config = try configuration(["dev.yaml": dev, "prod.yaml": prod.replacingOccurrences(of: "cpu: 512", with: "cpu: 3")])
        let out = try temporaryDirectory()
        let result = await runBerth(["diff", "--config", config, "--env", "dev", "--stack", "shop-web-dev", "--template", out + "/none.json"], app: FixtureApp())
        #expect(result.status == 2)
        #expect(result.err.contains("prod.yaml:"))
        #expect(result.err.contains("cpu"))
    }

    /// Environment `web-dev`'s shared stack and service web's stack in dev are both
    /// `shop-web-dev`: refused for the whole app and for either environment alone, before any
    /// AWS call, so that `destroy --env web-dev` cannot delete dev's web service.
    @Test func twoStacksOfOneNameAreRefusedWhateverTheEnvironment() async throws {
        let file = { (env: String, service: String) in
            "app: shop\nregion: eu-west-1\nservices:\n  \(service):\n    kind: worker\n    cpu: 256\n    memory: 512\n"
        }
        let config = try configuration(["dev.yaml": file("dev", "web"), "web-dev.yaml": file("web-dev", "api")])
        let expected = "shop-web-dev: stack name: would be both service web's stack in environment dev and environment web-dev's shared stack"
        let out = try temporaryDirectory()
        for scope in [[], ["--env", "web-dev"], ["--env", "dev"]] {
            let synth = await runBerth(["synth", "--config", config, "--out", out] + scope)
            #expect(synth.status == 2 && synth.err.contains(expected), "\(scope): \(synth.err)")
            #expect(!synth.err.contains("two stacks have this name"), "said once: \(synth.err)")
            // Nor once more for every parameter that reads the clashing name's outputs.
            #expect(!synth.err.contains("which that stack does not declare"), "said once: \(synth.err)")
        }
        let destroy = await runBerth(
            ["destroy", "--config", config, "--env", "web-dev", "--yes", "--endpoint-url", "http://127.0.0.1:9"],
            environment: ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "x"])
        #expect(destroy.status == 2 && destroy.err.contains(expected), "\(destroy.err)")
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"))
    }
}
