import BerthTemplate
import Foundation
import BerthResources
import Testing

@testable import BerthCLI

@Suite struct SynthCommandTests {
    @Test func manifestListsStacksServicesOrderAndWhereParametersComeFrom() async throws {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out])
        #expect(result.status == 0)
        let manifest = try JSONValue.parseYAML(try readFile(out + "/manifest.json"), file: "manifest.json")
        #expect(manifest["version"] == 1)
        #expect(manifest["app"] == "shop")
        #expect(manifest["services"]?.elements?.map { $0["name"] } == ["web", "api", "worker"])
        #expect(manifest["services"]?.elements?[1] == [
            "name": "api", "kind": "web", "repository": "shop/api", "repositoryStack": "shop-api-ecr", "environments": ["dev", "prod"],
        ])
        // Repositories and shared stacks first; then the web services side by side, then the
        // workers, which call them over Service Connect.
        #expect(manifest["deployOrder"] == [
            ["shop-web-ecr", "shop-api-ecr", "shop-worker-ecr", "shop-dev", "shop-prod"],
            ["shop-web-dev", "shop-api-dev", "shop-web-prod", "shop-api-prod"],
            ["shop-worker-dev", "shop-worker-prod"],
        ])
        let stacks = manifest["stacks"]?.elements ?? []
        #expect(stacks.map { $0["name"]?.stringValue } == fixtureStacks)
        #expect(stacks[0]["phase"] == "ecr")
        #expect(stacks[0]["environment"] == .null)
        #expect(stacks[0]["service"] == "web")
        #expect(stacks[0]["outputs"] == ["RepositoryName", "RepositoryArn", "RepositoryUri"])
        #expect(stacks[3]["service"] == .null)
        let api = try #require(stacks.first { $0["name"] == "shop-api-dev" })
        #expect(api["templateFile"] == "shop-api-dev.template.json")
        let size = try FileManager.default.attributesOfItem(atPath: out + "/shop-api-dev.template.json")[.size] as? Int
        #expect(api["byteSize"] == .int(size ?? -1))
        #expect(api["resourceCount"] == 10)
        #expect(api["dependsOn"] == ["shop-api-ecr", "shop-dev"])
        #expect(api["parameters"]?["RepositoryUri"] == ["from": "stack-output", "stack": "shop-api-ecr", "output": "RepositoryUri"])
        #expect(api["parameters"]?["ListenerArn"] == ["from": "stack-output", "stack": "shop-dev", "output": "ListenerArn"])
        #expect(api["parameters"]?["ImageTag"] == ["from": "image-gate", "value": "tag"])
        #expect(api["parameters"]?["CommitSha"] == ["from": "build-metadata", "option": "--commit-sha"])
        #expect(result.out.contains("shop-api-dev      ecs    dev   10"))
    }

    @Test func previewEnvironmentsAreMadeFromATemplate() async throws {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--env", "pr-51", "--from", "preview"])
        #expect(result.status == 0, "\(result.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.contains("shop-pr-51.template.json") && files.contains("shop-api-pr-51.template.json"))
        // The template's rule counts every preview's images; a preview adds no rule of its own.
        let policy = try JSONValue.parseJSON(try readFile(out + "/shop-api-ecr.template.json"), file: "ecr")["Resources"]?["Repository"]?["Properties"]?["LifecyclePolicy"]?["LifecyclePolicyText"]?.stringValue ?? ""
        #expect(policy.contains("\"pr-\"") && !policy.contains("pr-51"))
        // The repository's template is the app's own: the one a synth without the preview writes.
        let withoutPreview = try temporaryDirectory()
        #expect(await runBerth(["synth", "--config", fixtureConfiguration, "--out", withoutPreview]).status == 0)
        #expect(try readFile(out + "/shop-api-ecr.template.json") == (try readFile(withoutPreview + "/shop-api-ecr.template.json")))
        // Templates are no environments: without --from there is no pr-51, and no preview stacks.
        let plain = await runBerth(["synth", "--config", fixtureConfiguration, "--env", "pr-51", "--stdout"])
        #expect(plain.err.contains("no environment pr-51; the app has dev, prod; pr-51 is made from the template preview: add --from preview"))
        let template = await runBerth(["synth", "--config", fixtureConfiguration, "--env", "preview", "--stdout"])
        #expect(template.err.contains("preview is a template, not an environment: name a preview of it, such as --env pr-1 --from preview"))
        let tag = await runBerth(["tag", "--config", fixtureConfiguration, "--env", "pr-51"])
        #expect(tag.status == 2 && tag.err.hasSuffix("pr-51 is made from the template preview: add --from preview\n"), "\(tag.err)")
        let unrelated = await runBerth(["synth", "--config", fixtureConfiguration, "--env", "qa", "--stdout"])
        #expect(unrelated.err.contains("no environment qa; the app has dev, prod\n"), "\(unrelated.err)")
        for (arguments, message) in [
            (["--env", "qa-1", "--from", "preview"], "\"qa-1\" is not a name for a preview of preview: it must start with pr-"),
            (["--env", "pr-52", "--from", "dev"], "dev is an environment, not a template"),
            (["--env", "pr-52", "--from", "staging"], "no template staging; the templates are preview"),
            (["--from", "preview"], "--from preview makes the environment named by --env; pass --env NAME"),
        ] {
            let refused = await runBerth(["synth", "--config", fixtureConfiguration, "--stdout"] + arguments)
            #expect(refused.status == 2)
            #expect(refused.err.contains(message), "\(refused.err)")
        }
    }

    /// A service's log group and task family are `<app>-<environment>-<service>`: service
    /// `web-api` in `dev` and service `api` in `dev-web` would share them (their stacks' names
    /// differ), and so would preview `pr-51`'s `web-api` and preview `pr-51-web`'s `api`. Both
    /// are refused; of two previews, the longer name, when it would be deployed.
    /// A mistake across files (two app names) is said with a file's own mistakes, not after them.
    @Test func mistakesAcrossFilesComeWithTheFilesOwn() async throws {
        let files = try configuration([
            "dev.yaml": "app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 1, memory: 512}\n",
            "prod.yaml": "app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n",
            "qa.yaml": "app: shop2\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n",
        ])
        let result = await runBerth(["synth", "--config", files, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 2)
        #expect(result.err.contains("\(files)/dev.yaml:4:14: services.web.cpu: expected a whole number from 256 to 16384, got 1"), "\(result.err)")
        #expect(result.err.contains("qa.yaml") && result.err.contains("shop2"), "\(result.err)")
    }

    @Test func twoServicesThatWouldShareALogGroupAreRefused() async throws {
        func environment(_ services: [String], template: Bool = false, region: String = "eu-west-1") -> String {
            "app: logs\nregion: \(region)\n" + (template ? "template:\n  namePrefix: pr-\n" : "") + "services:\n"
                + services.map { "  \($0):\n    kind: worker\n    cpu: 256\n    memory: 512\n" }.joined()
        }
        let files = try configuration(["dev.yaml": environment(["web-api"]), "dev-web.yaml": environment(["api"])])
        let regular = await runBerth(["synth", "--config", files, "--stdout", "--stack", "logs-api-dev-web"])
        #expect(regular.status == 2, "\(regular.err)")
        #expect(
            regular.err.contains(
                "dev.yaml:4:3: logs-web-api-dev: log group: log group /berth/logs-dev-web-api and task family logs-dev-web-api would serve both "
                    + "service api in environment dev-web and service web-api in environment dev; rename the environment or the service"), "\(regular.err)")

        // Log groups and task families are a region's: in two regions, nothing is shared.
        let apart = try configuration([
            "dev.yaml": environment(["web-api"]) + "repositories: {region: eu-west-1}\n",
            "dev-web.yaml": environment(["api"], region: "us-east-1") + "repositories: {region: eu-west-1}\n",
        ])
        let twoRegions = await runBerth(["synth", "--config", apart, "--stdout", "--stack", "logs-api-dev-web"])
        #expect(twoRegions.status == 0, "\(twoRegions.err)")

        let previews = try configuration(["preview.yaml": environment(["web-api", "api"], template: true)])
        // Refused when it would be deployed, before any AWS call; a preview deployed before the
        // check is still synthesized (and so destroyed, shown, diffed).
        let longer = await runBerth(
            ["deploy", "--config", previews, "--phase", "ecs", "--env", "pr-51-web", "--from", "preview", "--image-tag", "pr-51-web-20261206-100000-aaaaaaaa"])
        #expect(longer.status == 2, "\(longer.err)")
        #expect(
            longer.err.contains(
                "\"pr-51-web\" is not a name for a new preview of preview: its service api's log group and task family would be named as "
                    + "preview pr-51's service web-api's (<app>-pr-51-web-api); name it otherwise"), "\(longer.err)")
        let existing = await runBerth(["synth", "--config", previews, "--stdout", "--env", "pr-51-web", "--from", "preview", "--stack", "logs-pr-51-web"])
        #expect(existing.status == 0, "\(existing.err)")
        for name in ["pr-51", "pr-51-api", "pr-web"] {
            let fine = await runBerth(["synth", "--config", previews, "--stdout", "--env", name, "--from", "preview", "--stack", "logs-\(name)"])
            #expect(fine.status == 0, "\(name): \(fine.err)")
        }
    }

    /// A preview whose tags start with another environment's (or template's) prefix (`pr-5-1-…`
    /// beside environment `pr-5`) would be counted by that lifecycle rule with its own images:
    /// `berth tag` refuses the name, and synth and deploy refuse the files themselves (the
    /// environment's prefix starts with the template's).
    @Test func aPreviewWhoseTagsAnotherEnvironmentsRuleWouldCountIsRefused() async throws {
        let service = "services:\n  web:\n    kind: worker\n    cpu: 256\n    memory: 512\n"
        let files = try configuration([
            "preview.yaml": "app: shop\nregion: eu-west-1\ntemplate:\n  namePrefix: pr-\n" + service,
            "pr-5.yaml": "app: shop\nregion: eu-west-1\n" + service,
            "qa.yaml": "app: shop\nregion: eu-west-1\ntemplate:\n  namePrefix: pr-x-\n" + service,
        ])
        let refusal = { (owner: String, prefix: String, name: String) in
            "\"\(name)\" is not a name for a new preview of preview: its images' tags (\(name)-…) start with \(prefix), \(owner)'s, "
                + "whose lifecycle rule would count them and expire its own images as they are pushed; choose a name that does not start with \(prefix)"
        }
        let deploy = await runBerth(
            ["deploy", "--config", files, "--phase", "ecs", "--env", "pr-5-1", "--from", "preview", "--image-tag", "pr-5-1-20261206-100000-aaaaaaaa"])
        #expect(deploy.status == 2 && deploy.err.contains("environment pr-5 tags its images pr-5-…, which start with template preview's pr-"), "\(deploy.err)")
        let tag = await runBerth(["tag", "--config", files, "--env", "pr-x-1", "--from", "preview"], environment: ["GITHUB_SHA": String(repeating: "a", count: 40)])
        #expect(tag.status == 2 && tag.err.contains(refusal("template qa", "pr-x-", "pr-x-1")), "\(tag.err)")
        // Lifecycle rules are per repository: an environment with none of the template's services
        // counts none of its previews' images.
        let apart = try configuration([
            "preview.yaml": "app: shop\nregion: eu-west-1\ntemplate:\n  namePrefix: pr-\n" + service,
            "pr-tools.yaml": "app: shop\nregion: eu-west-1\nservices:\n  tools:\n    kind: worker\n    cpu: 256\n    memory: 512\n",
        ])
        let unshared = await runBerth(
            ["tag", "--config", apart, "--env", "pr-tools-1", "--from", "preview", "--allow-dirty"],
            environment: ["GITHUB_SHA": String(repeating: "a", count: 40), "SOURCE_DATE_EPOCH": "1795339815"])
        #expect(unshared.status == 0 && unshared.out.hasPrefix("pr-tools-1-"), "\(unshared.err)")
        let tagged = await runBerth(["tag", "--config", files, "--env", "pr-5-1", "--from", "preview"], environment: ["GITHUB_SHA": String(repeating: "a", count: 40)])
        #expect(tagged.status == 2 && tagged.err.contains(refusal("environment pr-5", "pr-5-", "pr-5-1")), "\(tagged.err)")
        let synth = await runBerth(["synth", "--config", files, "--stdout", "--env", "pr-5-1", "--from", "preview", "--stack", "shop-pr-5-1"])
        #expect(synth.status == 2 && synth.err.contains("template qa tags its images pr-x-…, which start with template preview's pr-"), "\(synth.err)")
        // Each is placed in its file: a template at its namePrefix, an environment at the file.
        #expect(synth.err.contains("  - \(files)/qa.yaml:4:15: template qa: template qa tags its images pr-x-…"), "\(synth.err)")
        #expect(synth.err.contains("  - \(files)/pr-5.yaml: environment pr-5: environment pr-5 tags its images pr-5-…"), "\(synth.err)")
        let fine = await runBerth(
            ["tag", "--config", files, "--env", "pr-51", "--from", "preview", "--allow-dirty"],
            environment: ["GITHUB_SHA": String(repeating: "a", count: 40), "SOURCE_DATE_EPOCH": "1795339815"])
        #expect(fine.status == 0 && fine.out.hasPrefix("pr-51-"), "\(fine.err)")
    }

    @Test func routingClashesAreReportedAtTheirServiceKeys() async throws {
        let config = try configuration([
            "dev.yaml": """
                app: shop
                region: eu-west-1
                services:
                  web:
                    cpu: 256
                    memory: 512
                  site:
                    cpu: 256
                    memory: 512
                  api:
                    cpu: 256
                    memory: 512
                    routing:
                      paths: [/api/*]
                      priority: 7
                  admin:
                    cpu: 256
                    memory: 4096
                    routing:
                      paths: [/admin/*]
                      priority: 7
                """
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        // Every mistake of the file at once, each at its key.
        #expect(result.err.split(separator: "\n").count == 3)
        #expect(result.err.contains("\(config)/dev.yaml:7:3: services.site.routing: takes every request, as web does"))
        #expect(result.err.contains("\(config)/dev.yaml:21:17: services.admin.routing.priority: 7 is also the priority of api's rule"))
        #expect(result.err.contains("\(config)/dev.yaml:17:10: services.admin.cpu: cpu 256 takes memory 512, 1024, 2048 MiB"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func envSelectsThatEnvironmentAndThePhaseOneStacks() async throws {
        let out = try temporaryDirectory()
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--env", "prod"])
        #expect(result.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == [
            "manifest.json", "shop-api-ecr.template.json", "shop-api-prod.template.json", "shop-prod.template.json",
            "shop-web-ecr.template.json", "shop-web-prod.template.json", "shop-worker-ecr.template.json",
            "shop-worker-prod.template.json",
        ])
        // Only prod's phase-2 stacks are built, but the manifest still speaks of the whole app.
        let manifest = try JSONValue.parseYAML(try readFile(out + "/manifest.json"), file: "manifest.json")
        #expect(manifest["services"]?.elements?.map { $0["environments"] } == [["dev", "prod"], ["dev", "prod"], ["dev", "prod"]])
        let unknown = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--env", "qa"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no environment qa; the app has dev, prod"))
    }

    @Test func stdoutPrintsTheOneSelectedTemplate() async throws {
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--stdout", "--format", "yaml"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("AWSTemplateFormatVersion: \"2010-09-09\"\n"))
        #expect(result.out.contains("RepositoryName: shop/api"))
        let many = await runBerth(["synth", "--config", fixtureConfiguration, "--stdout"])
        #expect(many.status == 2)
        #expect(many.err.contains("--stdout prints one template; choose one of \(fixtureStacks.joined(separator: ", ")) with --stack"))
    }

    @Test func aWholeAppSynthRemovesTheTemplatesOfStacksThatAreGone() async throws {
        let qa = minimalEnvironment.replacingOccurrences(of: "memory: 512", with: "memory: 1024")
        let config = try configuration(["dev.yaml": minimalEnvironment, "qa.yaml": qa])
        let out = try temporaryDirectory()
        let first = await runBerth(["synth", "--config", config, "--out", out])
        #expect(first.status == 0, "\(first.err)")
        try "notes".write(toFile: out + "/notes.template.json", atomically: true, encoding: .utf8)
        #expect(FileManager.default.fileExists(atPath: out + "/shop-api-qa.template.json"))
        #expect(FileManager.default.fileExists(atPath: out + "/shop-qa.template.json"))

        // Selecting stacks removes nothing.
        #expect(await runBerth(["synth", "--config", config, "--out", out, "--env", "dev", "--format", "yaml"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/shop-api-qa.template.json"))
        #expect(await runBerth(["synth", "--config", config, "--out", out]).status == 0)

        // The qa environment goes, and the format changes: the previous manifest's other templates go,
        // files it did not list stay.
        try FileManager.default.removeItem(atPath: config + "/qa.yaml")
        let result = await runBerth(["synth", "--config", config, "--out", out, "--format", "yaml"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("removed \(out)/shop-api-qa.template.json: no longer in the app"))
        #expect(result.out.contains("removed \(out)/shop-api-dev.template.json: its stack is written as yaml now"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == [
            "manifest.json", "notes.template.json", "shop-api-dev.template.yaml", "shop-api-ecr.template.yaml", "shop-dev.template.yaml",
        ])

        // After a synth of one environment (whose manifest lists its stacks only), a whole-app
        // synth in the other format still leaves no template of the first format behind.
        #expect(await runBerth(["synth", "--config", config, "--out", out, "--format", "json"]).status == 0)
        #expect(await runBerth(["synth", "--config", config, "--out", out, "--stack", "shop-dev", "--format", "yaml"]).status == 0)
        let whole = await runBerth(["synth", "--config", config, "--out", out, "--format", "yaml"])
        #expect(whole.status == 0, "\(whole.err)")
        #expect(!whole.out.contains("no longer in the app"), "\(whole.out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == files)
    }

    /// A synth of one environment in between does not hide what the whole synth before it
    /// wrote: its manifest carries those templates over, and the next whole synth removes the
    /// ones whose stacks are gone.
    @Test func anEnvironmentsSynthInBetweenLeavesNoStaleTemplateBehind() async throws {
        let qa = minimalEnvironment.replacingOccurrences(of: "memory: 512", with: "memory: 1024")
        let config = try configuration(["dev.yaml": minimalEnvironment, "qa.yaml": qa])
        let out = try temporaryDirectory()
        #expect(await runBerth(["synth", "--config", config, "--out", out]).status == 0)
        #expect(await runBerth(["synth", "--config", config, "--out", out, "--env", "dev"]).status == 0)
        let manifest = try JSONValue.parseJSON(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8), file: "manifest.json")
        #expect(manifest["earlierTemplates"] == ["shop-api-qa.template.json", "shop-qa.template.json"])

        try FileManager.default.removeItem(atPath: config + "/qa.yaml")
        let whole = await runBerth(["synth", "--config", config, "--out", out])
        #expect(whole.status == 0, "\(whole.err)")
        #expect(whole.out.contains("removed \(out)/shop-api-qa.template.json: no longer in the app"), "\(whole.out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
            "manifest.json", "shop-api-dev.template.json", "shop-api-ecr.template.json", "shop-dev.template.json",
        ])
        let after = try JSONValue.parseJSON(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8), file: "manifest.json")
        #expect(after["earlierTemplates"] == nil)
    }

    @Test func filesBerthDidNotWriteAreNeverRemovedNorOverwritten() async throws {
        let config = try configuration(["dev.yaml": minimalEnvironment])
        // A directory Berth never wrote into: a file named like a template in the other format
        // and one named like a temporary file stay (there is no manifest of this app).
        let fresh = try temporaryDirectory()
        try "mine".write(toFile: fresh + "/shop-dev.template.yaml", atomically: true, encoding: .utf8)
        try "mine too".write(toFile: fresh + "/shop-dev.template.json.tmp", atomically: true, encoding: .utf8)
        let first = await runBerth(["synth", "--config", config, "--out", fresh])
        #expect(first.status == 0, "\(first.err)")
        #expect(!first.out.contains("removed"), "\(first.out)")
        #expect(try readFile(fresh + "/shop-dev.template.yaml") == "mine")
        #expect(try readFile(fresh + "/shop-dev.template.json.tmp") == "mine too")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh).filter { $0.hasPrefix(".") }.isEmpty)

        // Another app's output, and another tool's manifest.json: refused before anything is written.
        let cases = [
            ("{\"version\": 1, \"app\": \"billing\", \"stacks\": [{\"templateFile\": \"billing-dev.template.json\"}]}",
             "holds app billing's templates"),
            ("{\"name\": \"my-pwa\", \"start_url\": \"/\"}", "is not a manifest Berth wrote"),
            ("{\"version\": 1, \"app\": \"\\u001b[31mred\", \"stacks\": []}", "is not a manifest Berth wrote"),
        ]
        for (manifest, message) in cases {
            let out = try temporaryDirectory()
            try manifest.write(toFile: out + "/manifest.json", atomically: true, encoding: .utf8)
            try "theirs".write(toFile: out + "/billing-dev.template.json", atomically: true, encoding: .utf8)
            let result = await runBerth(["synth", "--config", config, "--out", out])
            #expect(result.status == 2, "\(result.err)")
            #expect(result.err.contains(message), "\(result.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["billing-dev.template.json", "manifest.json"])
            #expect(try readFile(out + "/manifest.json") == manifest)
            #expect(try readFile(out + "/billing-dev.template.json") == "theirs")
        }
    }

    @Test func theConfigurationDirectoryIsNoOutputDirectory() async throws {
        let config = try configuration(["dev.yaml": minimalEnvironment])
        let before = try FileManager.default.contentsOfDirectory(atPath: config)
        let result = await runBerth(["synth", "--config", config, "--out", config + "/../" + (config as NSString).lastPathComponent, "--format", "yaml"])
        #expect(result.status == 2)
        #expect(result.err.contains("is the configuration directory: its templates would be read as environment files"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: config) == before)
    }

    @Test func aWriteThatFailsPartWayLeavesTheDirectoryAsItWas() async throws {
        let config = try configuration(["dev.yaml": minimalEnvironment])
        let out = try temporaryDirectory()
        #expect(await runBerth(["synth", "--config", config, "--out", out, "--format", "yaml"]).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let manifest = try readFile(out + "/manifest.json")
        let ecr = try readFile(out + "/shop-api-ecr.template.yaml")
        // The last template's path is a directory: no template and no manifest is replaced, and
        // no temporary file is left behind.
        try FileManager.default.createDirectory(atPath: out + "/shop-api-dev.template.json/x", withIntermediateDirectories: true)
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 1)
        #expect(result.err.contains("shop-api-dev.template.json: a directory is in the way"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == (before + ["shop-api-dev.template.json"]).sorted())
        #expect(try readFile(out + "/manifest.json") == manifest)
        #expect(try readFile(out + "/shop-api-ecr.template.yaml") == ecr)
    }

    @Test func unknownEnvironmentOrStackIsAnInputError() async {
        let env = await runBerth(["synth", "--config", fixtureConfiguration, "--env", "staging", "--stdout"])
        #expect(env.status == 2)
        #expect(env.err.contains("no environment staging; the app has dev, prod"))
        let stack = await runBerth(["synth", "--config", fixtureConfiguration, "--stack", "nope", "--stdout"])
        #expect(stack.status == 2)
        #expect(stack.err.contains("no stack nope; there are \(fixtureStacks.joined(separator: ", "))"))
    }

    @Test func everyCommandsHelpHasExamplesAndExitCodes() async {
        for command in ["init", "synth", "tag", "deploy", "diff", "status", "images", "logs", "run", "exec", "destroy"] {
            let help = await runBerth([command, "--help"])
            #expect(help.status == 0)
            #expect(help.out.contains("Example"), "\(command)")
            #expect(help.out.contains("Exit codes:"), "\(command)")
            #expect(!help.out.contains("DurationArgument"), "\(command)")
        }
        let deploy = await runBerth(["deploy", "--help"])
        let text = deploy.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("3 the image gate refused") && text.contains("4 a stack did not settle"))
        let version = await runBerth(["--version"])
        #expect(version.out == "0.5.0\n")
        // One error style, whoever finds the mistake.
        let parser = await runBerth(["synth", "--format", "xml"])
        #expect(parser.err.hasPrefix("error: "))
    }

    @Test func badFlagsAreUsageErrors() async {
        let result = await runBerth(["synth", "--format", "xml"])
        #expect(result.status == 2)
        #expect(result.err.contains("xml"))
        let help = await runBerth(["synth", "--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("--format"))
    }

    @Test func invalidSettingsWriteNothingAndPointAtTheYAML() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment.replacingOccurrences(of: "memory: 512", with: "memory: 4096")
                + "logs:\n  retentionDays: 13\n"
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        #expect(result.err.contains("\(config)/dev.yaml:4:6: cpu: cpu 256 takes memory 512, 1024, 2048 MiB, not 4096"))
        #expect(result.err.contains("\(config)/dev.yaml:7:18: logs.retentionDays: must be one of"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func secretLookingVariablesAreWarnedAboutWithoutTheirValues() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment + "environment:\n  LOG_LEVEL: debug\n  DB_PASSWORD: hunter2\n"
        ])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 0)
        #expect(result.err.contains("warning: \(config)/dev.yaml:8:3: shop-api-dev: environment.DB_PASSWORD: looks like a secret"))
        #expect(result.err.contains("move it to secrets:"))
        #expect(!result.err.contains("LOG_LEVEL"))
        #expect(!result.err.contains("hunter2") && !result.out.contains("hunter2"))
        #expect(FileManager.default.fileExists(atPath: out + "/shop-api-dev.template.json"))
    }

    /// A job a deploy is to run, in an environment of jobs only: no deploy ever runs it (a
    /// deploy runs such jobs when it changes a service), which synth says at its key.
    @Test func aDeployJobInAnEnvironmentWithoutServicesIsWarnedOf() async throws {
        let jobs = "app: ledger\nregion: eu-west-1\nservices:\n  once:\n    kind: job\n    cpu: 256\n    memory: 512\n    runOnDeploy: before-services\n"
        let config = try configuration(["batch.yaml": jobs])
        let result = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 0, "\(result.err)")
        #expect(
            result.err.contains(
                "warning: \(config)/batch.yaml:8:18: ledger-once-batch: runOnDeploy: before-services: environment batch has no service, and a deploy runs the job only when it changes a service, so none will"),
            "\(result.err)")
        // Beside a service, it runs as the deploy changes the service: no warning.
        let withService = jobs + "  api:\n    kind: worker\n    cpu: 256\n    memory: 512\n"
        let quiet = await runBerth(["synth", "--config", try configuration(["batch.yaml": withService]), "--out", try temporaryDirectory() + "/out"])
        #expect(quiet.status == 0 && !quiet.err.contains("runOnDeploy"), "\(quiet.err)")
    }

    /// A mutable-tag filter of `*` alone is warned of once, with the repository stack, at the key
    /// of the first file that names it.
    @Test func aFilterOfEveryTagIsWarnedOfOnceAtItsKey() async throws {
        let file = "app: ledger\nregion: eu-west-1\nservices:\n  api:\n    kind: worker\n    cpu: 256\n    memory: 512\n    mutableTags: [\"*\"]\n"
        let config = try configuration(["dev.yaml": file, "prod.yaml": file])
        let result = await runBerth(["synth", "--config", config, "--out", try temporaryDirectory() + "/out"])
        #expect(result.status == 0, "\(result.err)")
        let warnings = result.err.split(separator: "\n").filter { $0.contains("matches every tag") }
        #expect(warnings.count == 1, "\(result.err)")
        #expect(warnings.first?.hasPrefix("warning: \(config)/dev.yaml:8:18: ledger-api-ecr: mutableTags: \"*\" matches every tag") == true, "\(result.err)")
    }

    @Test func environmentsMustAgreeOnTheRepositoriesKey() async throws {
        let key = "repositoryKmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/abc\n"
        let config = try configuration(["dev.yaml": minimalEnvironment + key, "prod.yaml": minimalEnvironment])
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", config, "--out", out])
        #expect(result.status == 2)
        #expect(result.err.contains("repositoryKmsKeyArn: \"\" differs from \"arn:aws:kms:eu-west-1:123456789012:key/abc\""))
        #expect(!FileManager.default.fileExists(atPath: out))
        let agreed = try configuration(["dev.yaml": minimalEnvironment + key, "prod.yaml": minimalEnvironment + key])
        #expect(await runBerth(["synth", "--config", agreed, "--out", out]).status == 0)
        #expect(try readFile(out + "/shop-api-ecr.template.json").contains("\"KmsKey\": \"arn:aws:kms:eu-west-1:123456789012:key/abc\""))
    }

    @Test func environmentsMustAgreeOnTheSharedRepository() async throws {
        let config = try configuration([
            "dev.yaml": minimalEnvironment,
            "prod.yaml": minimalEnvironment.replacingOccurrences(of: "eu-west-1", with: "us-east-1"),
        ])
        let result = await runBerth(["synth", "--config", config, "--stdout"])
        #expect(result.status == 2)
        #expect(result.err.contains("prod.yaml:3:9: region: \"us-east-1\" differs from \"eu-west-1\" in \(config)/dev.yaml"))
    }

    @Test func aMissingConfigurationDirectorySaysWhatToDo() async {
        let result = await runBerth(["synth", "--config", "/nonexistent/berth-config", "--stdout"])
        #expect(result.status == 2)
        #expect(result.err.contains("/nonexistent/berth-config: cannot read the configuration directory (it does not exist, is not a directory, or cannot be listed); give --config the directory that holds the environment files"))
    }

    @Test func aTemplateOverTheInlineLimitIsRefused() async throws {
        let out = try temporaryDirectory() + "/out"
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out], app: LargeApp())
        #expect(result.status == 2)
        #expect(result.err.contains("big-stack: template:"))
        #expect(result.err.contains("over the 51200-byte limit"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// An app whose one stack renders to more than 51,200 bytes.
private struct LargeApp: AppDefinition {
    func makeApp(configuration: Configuration) throws -> App {
        var stack = Stack(name: "big-stack", phase: .ecr, region: "eu-west-1", description: "large")
        for index in 0..<300 {
            stack.template.add(
                "Group\(index)",
                EC2.SecurityGroup(groupDescription: .literal(String(repeating: "x", count: 200)), vpcId: "vpc-1"))
        }
        var app = App(name: "big")
        app.add(stack)
        return app
    }
}
