import BerthCLI
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
}
