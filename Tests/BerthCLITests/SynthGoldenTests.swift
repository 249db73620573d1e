import BerthTemplate
import Foundation
import Testing

@testable import berth

/// The sample app's configuration directory. Only the sample's goldens (these and
/// DiffGoldenTests) run on the sample; every other CLI test runs on `FixtureApp`.
let sampleConfiguration = repositoryRoot + "/stacks/environments"

/// The sample app's stacks, in the app's order.
let sampleStacks = [
    "shop-web-ecr", "shop-api-ecr", "shop-worker-ecr", "shop-search-ecr", "shop-nightly-ecr", "shop-dev", "shop-web-dev",
    "shop-api-dev", "shop-worker-dev", "shop-search-dev", "shop-migrate-dev", "shop-nightly-dev", "shop-prod", "shop-web-prod",
    "shop-api-prod", "shop-worker-prod", "shop-search-prod", "shop-migrate-prod", "shop-nightly-prod",
]

/// Golden files of the sample app's templates. Re-record on purpose with
/// `BERTH_RECORD_GOLDEN=1 swift test`, then review the diff.
@Suite struct SynthGoldenTests {
    static let goldenDirectory = repositoryRoot + "/Tests/BerthCLITests/Golden"
    static let recording = ProcessInfo.processInfo.environment["BERTH_RECORD_GOLDEN"] == "1"

    @Test(arguments: ["json", "yaml"])
    func sampleTemplatesMatchTheGoldenFiles(format: String) async throws {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--config", sampleConfiguration, "--out", out, "--format", format], app: SampleApp())
        #expect(result.status == 0, "\(result.err)")
        try matchGoldenFiles(sampleStacks.map { "\($0).template.\(format)" }, in: out, directory: Self.goldenDirectory)
    }

    /// The sample app's bootstrap template (`synth --bootstrap`).
    @Test func bootstrapTemplateMatchesTheGoldenFile() async throws {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--bootstrap", "--config", sampleConfiguration, "--out", out], app: SampleApp())
        #expect(result.status == 0, "\(result.err)")
        try matchGoldenFiles(["shop-bootstrap.template.json"], in: out + "/bootstrap", directory: Self.goldenDirectory + "/bootstrap")
    }

    /// Synthesizes the lint fixture `Tests/Lint/<fixture>`'s `environment` and compares
    /// each of `files` with its golden file in `Golden/<fixture>` (or records it); returns the
    /// output directory for further checks.
    @discardableResult
    private func matchGoldenFiles(of fixture: String, _ files: [String], environment: String = "stage") async throws -> String {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--config", repositoryRoot + "/Tests/Lint/" + fixture, "--env", environment, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        try matchGoldenFiles(files, in: out, directory: Self.goldenDirectory + "/" + fixture)
        return out
    }

    /// Compares each of `files` in `out` with its golden file in `directory`, or records it.
    private func matchGoldenFiles(_ files: [String], in out: String, directory: String) throws {
        for name in files {
            let actual = try readFile(out + "/" + name)
            if Self.recording {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try actual.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
                continue
            }
            #expect(actual == (try readFile(directory + "/" + name)), "\(name) differs from its golden file; re-record with BERTH_RECORD_GOLDEN=1")
        }
    }

    private func templates(_ stacks: [String]) -> [String] { stacks.map { "\($0).template.json" } }

    /// Every rollout strategy (Tests/Lint/rollouts): linear and canary on the shared load
    /// balancer, blue/green with a test listener on a service's own.
    @Test func rolloutStrategyTemplatesMatchTheGoldenFiles() async throws {
        try await matchGoldenFiles(of: "rollouts", templates(["shop-stage", "shop-web-stage", "shop-api-stage", "shop-worker-stage"]))
    }

    /// Jobs (Tests/Lint/jobs): a migration on the API's image run before the services, a
    /// scheduled job with its own repository, retries and an alert on failed runs, and a smoke
    /// test run after the services.
    @Test func jobTemplatesMatchTheGoldenFiles() async throws {
        try await matchGoldenFiles(
            of: "jobs", templates(["jobs-nightly-ecr", "jobs-migrate-stage", "jobs-nightly-stage", "jobs-smoke-stage"]) + ["manifest.json"])
    }

    /// Every autoscaling key (Tests/Lint/scaling): CPU, memory and requests behind the shared
    /// load balancer with a schedule, requests behind a service's own, and two queues.
    @Test func autoscalingTemplatesMatchTheGoldenFiles() async throws {
        try await matchGoldenFiles(
            of: "scaling", templates(["shop-stage", "shop-web-stage", "shop-api-stage", "shop-worker-stage", "shop-jobs-stage"]))
    }

    /// A web service, a backend and a worker over Service Connect (Tests/Lint/backends): the
    /// namespace and the services group in the shared stack, every service in the namespace, the
    /// servers (web and api) let in the services group on their port; backends deploy first, then
    /// web services, then workers.
    @Test func backendTemplatesMatchTheGoldenFilesAndDeployBeforeTheirClients() async throws {
        let out = try await matchGoldenFiles(of: "backends", templates(["shop-stage", "shop-web-stage", "shop-api-stage", "shop-worker-stage"]))
        let manifest = try JSONValue.parseJSON(try readFile(out + "/manifest.json"), file: "manifest.json")
        #expect(manifest["deployOrder"] == [
            ["shop-web-ecr", "shop-api-ecr", "shop-worker-ecr", "shop-stage"], ["shop-api-stage"], ["shop-web-stage"], ["shop-worker-stage"],
        ])
    }

    /// Repository settings (Tests/Lint/repositories): the API's own repository platform/api with
    /// latest and *-latest mutable, a migration on that repository, and the default elsewhere.
    @Test func repositoryTemplatesMatchTheGoldenFiles() async throws {
        try await matchGoldenFiles(
            of: "repositories", templates(["repos-api-ecr", "repos-web-ecr", "repos-api-stage", "repos-migrate-stage"]) + ["manifest.json"])
    }

    /// Environments under AWS Control Tower's proactive controls (Tests/Lint/controls): logs
    /// kept a year, deletion protection and every other setting the controls ask for, and no
    /// control suppressed on any resource (make controls checks that every control passes);
    /// `stage` in an existing VPC's private subnets, `isolated` in a new VPC with private
    /// subnets and VPC endpoints.
    @Test(arguments: [
        ("stage", ["guarded-stage", "guarded-web-stage", "guarded-api-stage", "guarded-worker-stage", "guarded-migrate-stage"]),
        ("isolated", ["guarded-isolated", "guarded-web-isolated", "guarded-orders-isolated", "guarded-mailer-isolated", "guarded-seed-isolated"]),
    ])
    func controlledTemplatesMatchTheGoldenFilesAndSuppressNothing(environment: String, stacks: [String]) async throws {
        let files = templates(stacks)
        let out = try await matchGoldenFiles(of: "controls", files, environment: environment)
        for name in files {
            #expect(!(try readFile(out + "/" + name)).contains("SuppressedRules"), "\(name) suppresses a control")
        }
    }

    @Test func yamlAndJSONTemplatesMeanTheSame() async throws {
        let json = try temporaryDirectory(), yaml = try temporaryDirectory()
        _ = await runBerth(["synth", "--config", sampleConfiguration, "--out", json], app: SampleApp())
        _ = await runBerth(["synth", "--config", sampleConfiguration, "--out", yaml, "--format", "yaml"], app: SampleApp())
        for stack in sampleStacks {
            let fromYAML = try JSONValue.parseYAML(try readFile("\(yaml)/\(stack).template.yaml"), file: stack)
            let fromJSON = try JSONValue.parseYAML(try readFile("\(json)/\(stack).template.json"), file: stack)
            #expect(fromYAML == fromJSON)
        }
    }

    @Test func synthIsDeterministic() async throws {
        let first = try temporaryDirectory(), second = try temporaryDirectory()
        _ = await runBerth(["synth", "--config", sampleConfiguration, "--out", first], app: SampleApp())
        _ = await runBerth(["synth", "--config", sampleConfiguration, "--out", second], app: SampleApp())
        let files = try FileManager.default.contentsOfDirectory(atPath: first).sorted()
        #expect(files == (["manifest.json"] + sampleStacks.map { "\($0).template.json" }).sorted())
        for file in files {
            #expect(try readFile("\(first)/\(file)") == (try readFile("\(second)/\(file)")))
        }
    }
}
