import BerthTemplate
import BerthResources
import Foundation
import Testing

@testable import BerthConfig
@testable import BerthCLI

/// A service's `repository` and `mutableTags`: read, checked at their keys, shared by every
/// environment, and synthesized into the repository stack and the stacks that pull from it.
@Suite struct RepositoryKeysTests {
    private func errors(_ text: String) -> [String] { environmentFileErrors(text) }

    private let twoServices = """
        app: shop
        region: eu-west-1
        services:
          api:
            cpu: 256
            memory: 512
            repository: platform/api
            mutableTags: [latest, "*-latest"]
          migrate:
            kind: job
            cpu: 256
            memory: 512
            image: {service: api}
            command: [migrate]

        """

    @Test func theKeysAreRead() throws {
        let config = try EnvironmentConfig.parse(twoServices, name: "dev", file: "dev.yaml")
        let api = try #require(config.settings.service("api"))
        #expect(api.repository == "platform/api")
        #expect(api.mutableTags == ["latest", "*-latest"])
        #expect(config.settings.service("migrate")?.repository == nil)
    }

    @Test func mistakesAreReportedAtTheirKeys() {
        #expect(errors(minimalEnvironment + "repository: Platform/API\n") == [
            "dev.yaml:6:13: repository: \"Platform/API\" is not valid: a repository name is 2 to 256 lowercase letters and digits, separated by single . _ - or / (e.g. shop/api)"
        ])
        #expect(errors(minimalEnvironment + "mutableTags: []\n") == [
            "dev.yaml:6:1: mutableTags: lists no tag; name the tags that may move, such as [latest], or remove the key"
        ])
        #expect(errors(minimalEnvironment + "mutableTags: [latest, \"dev/latest\", latest]\n") == [
            "dev.yaml:6:14: mutableTags: \"dev/latest\" is not a tag filter: 1 to 128 letters, digits, . _ - and * (any characters), such as latest or *-latest",
            "dev.yaml:6:14: mutableTags: latest is listed twice",
        ])
        #expect(errors(minimalEnvironment + "mutableTags: [a, b, c, d, e, f]\n") == [
            "dev.yaml:6:14: mutableTags: lists 6 tags; ECR takes at most 5 (a * wildcard can cover several, such as *-latest)"
        ])
        #expect(errors(minimalEnvironment + "mutableTags: latest\n") == ["dev.yaml:6:14: mutableTags: expected a list of strings, got \"latest\"; write [latest] for a list of one"])
    }

    @Test func aJobRunningAnotherServicesImageHasNoRepositoryToSet() {
        let text = twoServices + "    repository: platform/migrate\n    mutableTags: [latest]\n"
        #expect(errors(text) == [
            "dev.yaml:15:17: services.migrate.repository: the job runs api's image from api's repository; set it on api, or remove the key",
            "dev.yaml:16:18: services.migrate.mutableTags: the job runs api's image from api's repository; set it on api, or remove the key",
        ])
    }

    @Test func theRepositoryStackAndTheStacksThatPullFromItUseTheNamedRepository() async throws {
        let config = try configuration(["dev.yaml": twoServices, "prod.yaml": twoServices])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        let ecr = try JSONValue.parseJSON(try readFile(out + "/shop-api-ecr.template.json"), file: "ecr")
        let properties = ecr["Resources"]?["Repository"]?["Properties"]
        #expect(properties?["RepositoryName"] == "platform/api")
        #expect(properties?["ImageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION")
        #expect(properties?["ImageTagMutabilityExclusionFilters"] == [
            ["ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "latest"],
            ["ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "*-latest"],
        ])
        #expect(!FileManager.default.fileExists(atPath: out + "/shop-migrate-ecr.template.json"), "the job borrows api's repository")
        let manifest = try JSONValue.parseJSON(try readFile(out + "/manifest.json"), file: "manifest.json")
        #expect(manifest["services"]?.elements?.map { $0["repository"] } == ["platform/api", "platform/api"])
        // The repository the image gate checks for each stack that runs api's image.
        let app = try Configuration(directory: config).blueprint().build()
        #expect(app.problems.isEmpty)
        let gated = app.stacks.filter { $0.phase == .ecs && $0.service != nil }.map { "\($0.name) \($0.imageRepository ?? "-")" }
        #expect(gated == [
            "shop-api-dev platform/api", "shop-migrate-dev platform/api", "shop-api-prod platform/api", "shop-migrate-prod platform/api",
        ])
    }

    /// A job runs one repository's images everywhere, and a service is one kind everywhere
    /// (its stacks, the manifest and the deploy's order follow it): each file that differs is
    /// named at its key, or at the service when it leaves the key out.
    @Test func everyEnvironmentMustAgreeOnAJobsImageAndEachServicesKind() async throws {
        let ownImage = twoServices.replacingOccurrences(of: "    image: {service: api}\n", with: "")
        let asWorker = twoServices.replacingOccurrences(of: "kind: job", with: "kind: worker")
            .replacingOccurrences(of: "    image: {service: api}\n    command: [migrate]\n", with: "")
        let config = try configuration(["dev.yaml": twoServices, "prod.yaml": ownImage, "staging.yaml": asWorker])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.contains(
            "prod.yaml:9:3: services.migrate.image: its own repository (no image:) differs from {service: api} in \(config)/dev.yaml; "
                + "every environment of the app must agree (a job runs the images of one repository everywhere)"), "\(result.err)")
        #expect(result.err.contains(
            "staging.yaml:10:11: services.migrate.kind: worker differs from job in \(config)/dev.yaml; "
                + "every environment of the app must agree (a service is one kind everywhere)"), "\(result.err)")
        #expect(!result.err.contains("every environment must run migrate"), "said once, at its place: \(result.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func everyEnvironmentMustAgreeOnTheRepositoryAndItsMutableTags() async throws {
        let prod = twoServices.replacingOccurrences(of: "repository: platform/api", with: "repository: platform/api2")
            .replacingOccurrences(of: "mutableTags: [latest, \"*-latest\"]", with: "mutableTags: [latest]")
        let config = try configuration(["dev.yaml": twoServices, "prod.yaml": prod])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        #expect(result.err.contains(
            "prod.yaml:7:17: services.api.repository: \"platform/api2\" differs from \"platform/api\" in \(config)/dev.yaml; every environment of the app must agree (they share api's repository)"))
        #expect(result.err.contains(
            "prod.yaml:8:18: services.api.mutableTags: [latest] differs from [latest, *-latest] in \(config)/dev.yaml; every environment of the app must agree (they share api's repository)"))
        #expect(!FileManager.default.fileExists(atPath: out))
        // A key left out is the default, which differs too.
        let unset = try configuration(["dev.yaml": minimalEnvironment + "mutableTags: [latest]\n", "prod.yaml": minimalEnvironment])
        let missing = await runBerth(["synth", "--config", unset, "--out", out])
        #expect(missing.status == 2)
        #expect(missing.err.contains("prod.yaml:2:10: mutableTags: [] differs from [latest] in \(unset)/dev.yaml"))
    }

    @Test func twoServicesCannotNameOneRepository() async throws {
        let text = """
            app: shop
            region: eu-west-1
            services:
              api: {kind: worker, cpu: 256, memory: 512}
              web: {kind: worker, cpu: 256, memory: 512, repository: shop/api}

            """
        let config = try configuration(["dev.yaml": text])
        let result = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 2)
        #expect(result.err.contains(
            "dev.yaml:5:58: services.web.repository: shop/api is service api's repository too; each service needs its own (a job runs another service's image with image: {service: api})"))
    }

    /// The clash is said at the `repository:` that makes it, not at the service that keeps its
    /// default name, and with the file's other mistakes (it waited for them to be mended).
    @Test func aRepositoryClashIsSaidWhereTheNameIsGivenWithTheOtherMistakes() async throws {
        let text = "app: shop\nregion: eu-west-1\nservices:\n  api: {kind: worker, cpu: 256, memory: 512, repository: shop/web}\n"
            + "  web: {kind: worker, cpu: 256, memory: 513}\n"
        let config = try configuration(["dev.yaml": text])
        let result = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 2)
        #expect(result.err.contains("dev.yaml:5:28: services.web.cpu: cpu 256 takes memory 512"), "\(result.err)")
        #expect(result.err.contains("dev.yaml:4:58: services.api.repository: shop/web is service web's repository too"), "\(result.err)")
        // Across files: api names web's repository in dev, web has its default name in prod.
        let across = try configuration([
            "dev.yaml": "app: shop\nregion: eu-west-1\nservices:\n  api: {kind: worker, cpu: 256, memory: 512, repository: shop/web}\n",
            "prod.yaml": "app: shop\nregion: eu-west-1\nservices:\n  web: {kind: worker, cpu: 256, memory: 512}\n",
        ])
        let split = await runBerth(["synth", "--config", across, "--out", try temporaryDirectory() + "/out"])
        #expect(split.status == 2)
        #expect(split.err.contains("dev.yaml:4:58: services.api.repository: shop/web is service web's repository too"), "\(split.err)")
    }

    @Test func theBlueprintChecksWhatSwiftCodeBuildsToo() {
        var dev = EnvironmentSettings(name: "dev", region: "eu-west-1")
        var api = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .worker)
        api.mutableTags = ["latest"]
        dev.services = [Named("api", api)]
        var prod = dev
        api.mutableTags = []
        api.repository = "shop/web"
        prod.services = [Named("api", api), Named("web", FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .worker))]
        let app = AppBlueprint(name: "shop", environments: [dev, prod]).build()
        let messages = app.problems.map(\.description)
        #expect(messages.contains { $0.contains("every environment must give api the same repository; they name shop/api, shop/web") })
        #expect(messages.contains { $0.contains("every environment must give api's repository the same mutable tags; they list [] and [latest]") })
        #expect(messages.contains { $0.contains("shop/web is service api's repository too") })
    }
}
