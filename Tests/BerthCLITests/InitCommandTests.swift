@testable import BerthCLI
import Foundation
import Testing

@testable import BerthConfig

/// `berth init` without AWS: the files of a new package, the names it takes, nothing
/// overwritten.
@Suite struct InitCommandTests {
    @Test func writesAPackageWhoseEnvironmentFileReadsBack() async throws {
        let directory = try temporaryDirectory() + "/hello-init"
        let result = await runBerth(["init", "hello-init", "--dir", directory, "--env", "staging", "--region", "eu-west-1"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("wrote \(directory)/Package.swift"))
        #expect(result.out.contains("next: cd \(directory) && swift build && .build/debug/hello-init synth"))
        let manifest = try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#".package(url: "https://github.com/berth-swift/berth", from: "0.5.0")"#))
        #expect(manifest.contains(#".executableTarget(name: "hello-init", dependencies: [.product(name: "Berth", package: "berth")])"#))
        let source = try String(contentsOfFile: directory + "/Sources/hello-init/HelloInitApp.swift", encoding: .utf8)
        #expect(source.contains("struct HelloInitApp: AppDefinition"))
        #expect(source.contains("await Berth.main(HelloInitApp())"))
        let text = try String(contentsOfFile: directory + "/environments/staging.yaml", encoding: .utf8)
        #expect(text == "app: hello-init\nregion: eu-west-1\nservices:\n  web:\n    cpu: 256\n    memory: 512\n    containerPort: 8080\n")
        let blueprint = try Configuration(directory: directory + "/environments").blueprint()
        #expect(blueprint.name == "hello-init")
        // What builds make stays out of git, so that berth tag finds the work tree clean.
        #expect(try String(contentsOfFile: directory + "/.gitignore", encoding: .utf8) == ".build/\n/out/\n")
        #expect(result.out.contains("wrote \(directory)/.gitignore"), "\(result.out)")
        // The same flags write the same files.
        let again = try temporaryDirectory() + "/hello-init"
        _ = await runBerth(["init", "hello-init", "--dir", again, "--env", "staging", "--region", "eu-west-1"])
        for file in ["Package.swift", "Sources/hello-init/HelloInitApp.swift", "environments/staging.yaml"] {
            #expect(FileManager.default.contents(atPath: directory + "/" + file) == FileManager.default.contents(atPath: again + "/" + file))
        }
    }

    @Test func aPathDependencyNamesTheCheckoutByItsFolder() async throws {
        let directory = try temporaryDirectory()
        let result = await runBerth(["init", "shop", "--dir", directory, "--berth-path", repositoryRoot, "--region", "us-east-2"])
        #expect(result.status == 0, "\(result.err)")
        let manifest = try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8)
        let folder = URL(fileURLWithPath: repositoryRoot).lastPathComponent
        #expect(manifest.contains(".package(path: \"\(URL(fileURLWithPath: repositoryRoot).standardizedFileURL.path)\")"))
        #expect(manifest.contains(".product(name: \"Berth\", package: \"\(folder)\")"))
        let notBerth = await runBerth(["init", "shop", "--dir", try temporaryDirectory(), "--berth-path", "/nonexistent/berth"])
        #expect(notBerth.status == 2)
        #expect(notBerth.err.contains("--berth-path /nonexistent/berth: no Package.swift there"))
        let both = await runBerth(["init", "shop", "--berth-path", repositoryRoot, "--berth-url", "https://example.com/berth"])
        #expect(both.status == 2)
    }

    @Test func overwritesNothingAndSaysWhatExists() async throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/environments", withIntermediateDirectories: true)
        try "// mine\n".write(toFile: directory + "/Package.swift", atomically: true, encoding: .utf8)
        try "app: mine\n".write(toFile: directory + "/environments/dev.yaml", atomically: true, encoding: .utf8)
        let result = await runBerth(["init", "shop", "--dir", directory, "--region", "eu-west-1"])
        #expect(result.status == 2)
        #expect(result.err.contains("\(directory)/Package.swift, \(directory)/environments/dev.yaml exist; berth init overwrites nothing"))
        #expect(try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8) == "// mine\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/Sources"))
        #expect(result.out.isEmpty)
        // A .gitignore of the team's own is left as it is, and written around.
        let own = try temporaryDirectory()
        try "node_modules/\n".write(toFile: own + "/.gitignore", atomically: true, encoding: .utf8)
        let kept = await runBerth(["init", "shop", "--dir", own, "--region", "eu-west-1"])
        #expect(kept.status == 0, "\(kept.err)")
        #expect(try String(contentsOfFile: own + "/.gitignore", encoding: .utf8) == "node_modules/\n")
    }

    @Test func environmentOnlyAddsAnEnvironmentToAnAppThatExists() async throws {
        let directory = try temporaryDirectory()
        try "// mine\n".write(toFile: directory + "/Package.swift", atomically: true, encoding: .utf8)
        let result = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "qa", "--region", "eu-west-1"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "wrote \(directory)/environments/qa.yaml\nnext: cd \(directory) && swift build && .build/debug/shop synth --env qa\n")
        #expect(try String(contentsOfFile: directory + "/Package.swift", encoding: .utf8) == "// mine\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/Sources"))
        let again = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "qa"])
        #expect(again.status == 2)
        #expect(again.err.contains("\(directory)/environments/qa.yaml exists; berth init overwrites nothing"))
        // A file the app's other environment files would refuse beside them is not written either.
        for (arguments, message) in [
            (["shop", "--env", "prod", "--region", "us-east-1"], "environments/prod.yaml:2:9: region: \"us-east-1\" differs from \"eu-west-1\""),
            (["other", "--env", "prod", "--region", "eu-west-1"], "environments/prod.yaml:1:6: app: \"other\" differs from \"shop\""),
        ] {
            let misfit = await runBerth(["init"] + arguments + ["--dir", directory, "--environment-only"])
            #expect(misfit.status == 2)
            #expect(misfit.err.contains("environments/prod.yaml would not fit the app's other environment files; nothing was written"), "\(misfit.err)")
            #expect(misfit.err.contains(message), "\(misfit.err)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/environments/prod.yaml"))
        }
        // An environment a .yml file defines is not defined again.
        try "app: shop\n".write(toFile: directory + "/environments/stage.yml", atomically: true, encoding: .utf8)
        let twin = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "stage", "--region", "eu-west-1"])
        #expect(twin.status == 2)
        #expect(twin.err.contains("environment stage is already defined by \(directory)/environments/stage.yml"), "\(twin.err)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/environments/stage.yaml"))
    }

    /// In an app laid out as the sample is (`stacks/environments/`), a new environment's file goes
    /// beside the others: an `environments/` directory would hide them from every command.
    @Test func environmentOnlyWritesBesideTheAppsEnvironmentFiles() async throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/stacks/environments", withIntermediateDirectories: true)
        try "app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512, containerPort: 8080}\n"
            .write(toFile: directory + "/stacks/environments/dev.yaml", atomically: true, encoding: .utf8)
        let result = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "qa", "--region", "eu-west-1"])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "wrote \(directory)/stacks/environments/qa.yaml\nnext: cd \(directory) && swift build && .build/debug/shop synth --env qa\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/environments"))
        // Written under a hidden name first and linked to its own: nothing else is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/stacks/environments").sorted() == ["dev.yaml", "qa.yaml"])
        // And it is held to the files beside it, each mistake named at the file it would be.
        let misfit = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "prod", "--region", "us-east-1"])
        #expect(misfit.status == 2 && misfit.err.contains("\(directory)/stacks/environments/prod.yaml would not fit the app's other environment files"), "\(misfit.err)")
        #expect(misfit.err.contains("\(directory)/stacks/environments/prod.yaml:2:9: region: \"us-east-1\" differs from \"eu-west-1\""), "\(misfit.err)")
    }

    /// A new environment is held to what the app as a whole would refuse, not only to the files'
    /// shared values: `web-dev` beside `dev`, which has a service `web`, would give two stacks the
    /// name shop-web-dev.
    @Test func environmentOnlyRefusesAnEnvironmentTheAppWouldRefuse() async throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/environments", withIntermediateDirectories: true)
        try "app: shop\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512, containerPort: 8080}\n"
            .write(toFile: directory + "/environments/dev.yaml", atomically: true, encoding: .utf8)
        let clash = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "web-dev", "--region", "eu-west-1"])
        #expect(clash.status == 2, "\(clash.err)")
        #expect(clash.err.contains("would not fit the app's other environment files; nothing was written") && clash.err.contains("shop-web-dev"), "\(clash.err)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/environments/web-dev.yaml"))
        let fine = await runBerth(["init", "shop", "--dir", directory, "--environment-only", "--env", "qa", "--region", "eu-west-1"])
        #expect(fine.status == 0, "\(fine.err)")
    }

    /// A scaffold is written all or none: a file that cannot be made removes those made before
    /// it, and one that exists is never touched.
    @Test func aFileThatCannotBeWrittenTakesTheOnesBeforeItAway() throws {
        let directory = try temporaryDirectory()
        let first = directory + "/Package.swift", second = directory + "/missing/App.swift"
        #expect(throws: ScaffoldError.self) { try AppScaffold.createAll([(first, "// one\n"), (second, "// two\n")]) }
        #expect(!FileManager.default.fileExists(atPath: first))
        let kept = directory + "/kept.yaml"
        try "mine\n".write(toFile: kept, atomically: true, encoding: .utf8)
        #expect(throws: ScaffoldError.exists([kept])) { try AppScaffold.createAll([(first, "// one\n"), (kept, "theirs\n")]) }
        #expect(!FileManager.default.fileExists(atPath: first))
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "mine\n")
        let large = String(repeating: "x", count: 3_000_000)
        #expect(try AppScaffold.createAll([(first, large)]) == [first])
        #expect(try String(contentsOfFile: first, encoding: .utf8) == large)
    }

    @Test func aDirectoryThatCannotBeMadeFailsBeforeAnyFileIsWritten() async throws {
        let directory = try temporaryDirectory()
        // Sources is a file: its app directory cannot be made.
        try "".write(toFile: directory + "/Sources", atomically: true, encoding: .utf8)
        let result = await runBerth(["init", "shop", "--dir", directory, "--region", "eu-west-1"])
        #expect(result.status == 1)
        #expect(result.err.contains("\(directory)/Sources/shop cannot be written: the directory cannot be made"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/Package.swift"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/environments/dev.yaml"))
    }

    /// The directories a failed init made are removed with its files: `environments` is a
    /// file, found after `Sources/shop` was made.
    @Test func aFailedInitLeavesNoDirectoryItMade() async throws {
        let parent = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: parent + "/shop", withIntermediateDirectories: false)
        try "".write(toFile: parent + "/shop/environments", atomically: true, encoding: .utf8)
        let result = await runBerth(["init", "shop", "--dir", parent + "/shop", "--region", "eu-west-1"])
        #expect(result.status == 1, "\(result.err)")
        #expect(result.err.contains("the directory cannot be made"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent + "/shop") == ["environments"])
    }

    @Test func refusesNamesBerthDoesNotTake() async throws {
        let directory = try temporaryDirectory()
        for (arguments, message) in [
            (["init", "Hello_App"], "\"Hello_App\" is not a valid app name"),
            (["init", "shop", "--env", "Prod"], "\"Prod\" is not a valid environment name"),
            (["init", "shop", "--service", "api-"], "\"api-\" is not a valid service name"),
            // x- under services marks an extension field: a service of that name would vanish.
            (["init", "shop", "--service", "x-ray"], "\"x-ray\" is not a valid service name: lowercase letters, digits and single hyphens, starting with a letter, at most 32, not starting with x-"),
            (["init", "shop", "--from-service", "no-slash"], "--from-service takes CLUSTER/SERVICE"),
            (["init", "berth"], "\"berth\" is the name of Berth's own package and executable"),
        ] {
            let result = await runBerth(arguments + ["--dir", directory])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.err.contains(message), "\(result.err)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        // An ECS service read with --from-service is named as a service name may be, or refused.
        #expect(throws: CommandFailure.self) { try InitCommand.serviceName(from: "x-foo") }
        #expect(try InitCommand.serviceName(from: "api") == "api")
    }

    @Test func theEnvironmentFileQuotesWhatYAMLWouldReadOtherwise() throws {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .worker)
        settings.environment = ["ENABLED": "yes", "COUNT": "4", "GREETING": "hello: world # no comment", "EMPTY": "", "PLAIN": "info"]
        let file = EnvironmentFile(app: "shop", region: "eu-west-1", services: [Named("worker", settings)], notes: ["a\nb"])
        #expect(file.text.hasPrefix("# a b\napp: shop\n"))
        let read = try EnvironmentConfig.parse(file.text, name: "dev", file: "dev.yaml")
        #expect(read.settings.services.first?.value.environment == settings.environment)
        #expect(file.text.contains("    PLAIN: info\n"))
    }

    /// A repository name is written plain, unless YAML would read it as something else.
    @Test func aRepositoryNameIsQuotedOnlyWhenYAMLWouldReadItOtherwise() throws {
        for (name, written) in [("legacy/api", "repository: legacy/api\n"), ("null", "repository: \"null\"\n"), ("on/off", "repository: on/off\n")] {
            var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .worker)
            settings.repository = name
            let file = EnvironmentFile(app: "shop", region: "eu-west-1", services: [Named("worker", settings)])
            #expect(file.text.contains(written), "\(file.text)")
            #expect(try EnvironmentConfig.parse(file.text, name: "dev", file: "dev.yaml").settings.services.first?.value.repository == name)
        }
    }
}
