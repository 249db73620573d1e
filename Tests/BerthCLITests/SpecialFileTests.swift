import Foundation
import Testing

/// A special file where a file is expected (environment files, templates, the CA bundle): named
/// as what it is, with the documented status; never a hang on a FIFO, never Foundation's "error 256".
@Suite struct SpecialFileTests {
    /// `path` made into `kind`: a directory, a FIFO, a loop of symbolic links, a link to nothing
    /// or a link to /dev/null.
    private func make(_ kind: String, at path: String) throws {
        let files = FileManager.default
        switch kind {
        case "directory": try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "fifo": #expect(mkfifo(path, 0o600) == 0)
        case "loop":
            try files.createSymbolicLink(atPath: path, withDestinationPath: path + ".other")
            try files.createSymbolicLink(atPath: path + ".other", withDestinationPath: path)
        case "dangling": try files.createSymbolicLink(atPath: path, withDestinationPath: path + ".nowhere")
        default: try files.createSymbolicLink(atPath: path, withDestinationPath: "/dev/null")
        }
    }

    private let kinds = [
        ("directory", "is a directory, not a file"), ("fifo", "is a named pipe (FIFO), not a file"), ("loop", "is a loop of symbolic links"),
        ("dangling", "is a symbolic link to a file that does not exist"), ("null", "is a character device, not a file"),
    ]

    @Test func aSpecialEnvironmentFileIsNamedAsWhatItIs() async throws {
        for (kind, problem) in kinds {
            let config = try temporaryDirectory()
            try make(kind, at: config + "/dev.yaml")
            let out = try temporaryDirectory() + "/out"
            let result = await runBerth(["synth", "--config", config, "--out", out])
            #expect(result.status == 2, "\(kind): \(result.err)")
            #expect(result.err.contains("\(config)/dev.yaml: \(problem)"), "\(kind): \(result.err)")
            #expect(!result.err.contains("error 256") && !result.err.contains("permission"), "\(kind): \(result.err)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func aSpecialTemplateIsNamedAsWhatItIs() async throws {
        for (kind, problem) in kinds {
            let template = try temporaryDirectory() + "/t.json"
            try make(kind, at: template)
            let result = await runBerth(["diff", "--config", sampleConfiguration, "--stack", "shop-web-dev", "--template", template])
            #expect(result.status == 5, "\(kind): \(result.err)")
            #expect(result.err.contains("cannot read the template \(template): it \(problem)"), "\(kind): \(result.err)")
        }
        for path in ["/dev/null", "/dev/zero"] {
            let result = await runBerth(["diff", "--config", sampleConfiguration, "--stack", "shop-web-dev", "--template", path])
            #expect(result.status == 5)
            #expect(result.err.contains("cannot read the template \(path): it is a character device, not a file"), "\(result.err)")
        }
    }

    @Test func aSpecialCABundleIsNamedAsWhatItIs() async throws {
        for (kind, problem) in kinds {
            let bundle = try temporaryDirectory() + "/ca.pem"
            try make(kind, at: bundle)
            let result = await runBerth(
                ["images", "--config", sampleConfiguration, "--service", "api", "--endpoint-url", "http://127.0.0.1:1", "--ca-bundle", bundle],
                environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret", "HOME": "/nonexistent-berth-home",
                              "AWS_EC2_METADATA_DISABLED": "true"])
            #expect(result.status == 2, "\(kind): \(result.err)")
            #expect(result.err.contains("the CA bundle \(bundle) cannot be read: it \(problem)"), "\(kind): \(result.err)")
        }
    }

    /// Synth writes under hidden names of its own: a file or a directory named `X.tmp` (once what
    /// a stopped synth left, now perhaps the user's) is neither removed nor in the way.
    @Test func aFileNamedLikeATemporaryOneIsLeftAlone() async throws {
        let out = try temporaryDirectory() + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("half a template".utf8).write(to: URL(fileURLWithPath: out + "/manifest.json.tmp"))
        try FileManager.default.createDirectory(atPath: out + "/shop-dev.template.json.tmp", withIntermediateDirectories: false)
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        #expect(try String(contentsOfFile: out + "/manifest.json.tmp", encoding: .utf8) == "half a template")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: out + "/shop-dev.template.json.tmp", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }.isEmpty)
    }

    /// What a synth killed before it could commit left under hidden names goes at the next synth
    /// into the directory, once old enough that no run beside it can still be writing it; a
    /// younger one, a name not of this app's files or not staged the way Berth stages, and a
    /// directory stay.
    @Test func stagedFilesAKilledSynthLeftAreRemovedOnceOld() async throws {
        let out = try temporaryDirectory() + "/out"
        let files = FileManager.default
        try files.createDirectory(atPath: out, withIntermediateDirectories: true)
        let hourAgo = Date(timeIntervalSinceNow: -3600)
        let old = [".manifest.json.berth-k3x9a.tmp", ".shop-api-dev.template.json.berth-0z.tmp", ".shop-web-ecr.template.yaml.berth-abc.tmp"]
        let kept = [
            ".billing-dev.template.json.berth-k3x9a.tmp", ".manifest.json.berth-K3X9A.tmp", ".manifest.json.tmp", "manifest.json.berth-k3x9a.tmp",
            ".manifest.json.bak.tmp", ".manifest.json.berth-.tmp",
        ]
        for name in old + kept {
            try Data("half".utf8).write(to: URL(fileURLWithPath: out + "/" + name))
            try files.setAttributes([.modificationDate: hourAgo], ofItemAtPath: out + "/" + name)
        }
        try Data("half".utf8).write(to: URL(fileURLWithPath: out + "/.shop-api-prod.template.json.berth-young.tmp"))
        try files.createDirectory(atPath: out + "/.shop-dev.template.json.berth-dir.tmp", withIntermediateDirectories: false)
        try files.setAttributes([.modificationDate: hourAgo], ofItemAtPath: out + "/.shop-dev.template.json.berth-dir.tmp")
        let result = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--env", "dev"])
        #expect(result.status == 0, "\(result.err)")
        let hidden = Set(try files.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") || $0.hasSuffix(".tmp") })
        #expect(hidden == Set(kept + [".shop-api-prod.template.json.berth-young.tmp", ".shop-dev.template.json.berth-dir.tmp"]))
    }
}
