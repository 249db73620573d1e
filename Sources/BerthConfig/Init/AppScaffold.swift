import Foundation

/// The files of a new app's package, as `berth init` writes them: `Package.swift` with Berth as
/// a dependency, `Sources/<app>/<App>App.swift` that hands the app to Berth, and
/// `environments/<env>.yaml`. Nothing that exists is overwritten: `write(into:)` refuses when
/// any of the files is there, and writes none.
public struct AppScaffold: Sendable {
    /// Where the package finds Berth.
    public enum BerthSource: Sendable, Hashable {
        /// A Git URL and the version to start from: `.package(url:from:)`.
        case url(String, from: String)
        /// A checkout on disk: `.package(path:)`.
        case path(String)
    }

    /// The URL an app depends on Berth by, unless told otherwise (`--berth-url`).
    public static let defaultBerthURL = "https://github.com/berth-swift/berth"

    /// The name a new app cannot take: its executable target (and, in a directory of its name, its
    /// package) would be named as Berth's, and SwiftPM refuses two packages of one identity and two
    /// targets of one name in a package graph.
    public static let berthsOwnName = "berth"

    /// The app's name: the executable's, the first part of every stack's.
    public let app: String
    /// The environment the file is for (`dev`).
    public let environment: String
    /// Where the package finds Berth.
    public let berth: BerthSource
    /// The environment file's content.
    public let environmentFile: EnvironmentFile
    /// Only the environment file, for an app that exists.
    public let environmentOnly: Bool

    /// A scaffold; throws when the app's or the environment's name is not one Berth takes.
    public init(
        app: String, environment: String, berth: BerthSource, environmentFile: EnvironmentFile, environmentOnly: Bool = false
    ) throws(ScaffoldError) {
        guard EnvironmentConfig.isValidName(app) else { throw .invalidName("app", app) }
        guard EnvironmentConfig.isValidName(environment) else { throw .invalidName("environment", environment) }
        if !environmentOnly, app == Self.berthsOwnName { throw .berthsOwnName(app) }
        self.app = app
        self.environment = environment
        self.berth = berth
        self.environmentFile = environmentFile
        self.environmentOnly = environmentOnly
    }

    /// The Swift type of the app: `hello-world` → `HelloWorldApp`.
    public var typeName: String {
        let words = app.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let name = words.joined()
        return name.hasSuffix("App") ? name : name + "App"
    }

    /// The files, by path relative to the package's directory, in the order they are written.
    public var files: [(path: String, text: String)] {
        let environmentFile = ("environments/\(environment).yaml", self.environmentFile.text)
        if environmentOnly { return [environmentFile] }
        return [("Package.swift", packageManifest), ("Sources/\(app)/\(typeName).swift", appSource), environmentFile]
    }

    var packageManifest: String {
        let dependency: String
        let package: String
        switch berth {
        case .url(let url, let version):
            dependency = ".package(url: \(Self.swiftString(url)), from: \(Self.swiftString(version)))"
            package = URL(string: url)?.deletingPathExtension().lastPathComponent ?? "berth"
        case .path(let path):
            dependency = ".package(path: \(Self.swiftString(path)))"
            // SwiftPM names a package found by path after its folder.
            package = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        }
        return """
            // swift-tools-version:6.0
            // The app \(app), deployed with Berth: its stacks are Sources/\(app)/\(typeName).swift, its settings
            // environments/*.yaml. `swift build`, then `.build/debug/\(app) synth` writes its templates to out/.
            import PackageDescription

            let package = Package(
                name: \(Self.swiftString(typeName)),
                platforms: [.macOS(.v13)],
                dependencies: [\(dependency)],
                targets: [
                    .executableTarget(name: \(Self.swiftString(app)), dependencies: [.product(name: "Berth", package: \(Self.swiftString(package)))])
                ],
                swiftLanguageModes: [.v6]
            )

            """
    }

    var appSource: String {
        """
        import BerthCLI

        /// The app \(app): the environment files say what runs where; this file adds what YAML does
        /// not say (sidecars, permissions, overrides, outputs: see Berth's README, "Stacks are Swift").
        @main
        struct \(typeName): AppDefinition {
            static func main() async {
                await Berth.main(\(typeName)())
            }

            func makeApp(configuration: Configuration) throws -> App {
                let blueprint = try configuration.blueprint()
                return blueprint.build()
            }
        }

        """
    }

    /// The files of the scaffold that already exist under `directory`.
    public func existingFiles(in directory: String) -> [String] {
        files.map { (directory as NSString).appendingPathComponent($0.path) }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
        }
    }

    /// What a new app's repository leaves out of git: the build's products and synth's output,
    /// which `berth tag` would otherwise count as uncommitted changes.
    static let gitignore = (path: ".gitignore", text: ".build/\n/out/\n")

    /// Writes the files under `directory` (made when missing) and returns their paths; refuses,
    /// writing nothing, when any of them exists. Each file is created exclusively, so that one
    /// made meanwhile is not overwritten either. A new app gets a `.gitignore` too, unless the
    /// directory has one (the team's, left as it is).
    @discardableResult
    public func write(into directory: String) throws(ScaffoldError) -> [String] {
        let existing = existingFiles(in: directory)
        guard existing.isEmpty else { throw .exists(existing) }
        let ignore = (directory as NSString).appendingPathComponent(Self.gitignore.path)
        let hasIgnore = FileManager.default.fileExists(atPath: ignore) || (try? FileManager.default.destinationOfSymbolicLink(atPath: ignore)) != nil
        let files = environmentOnly || hasIgnore ? self.files : self.files + [Self.gitignore]
        // Every directory first, so that one that cannot be made leaves no file written; those
        // this call made are removed again when anything fails.
        var made: [String] = []
        do throws(ScaffoldError) {
            for file in files {
                let parent = ((directory as NSString).appendingPathComponent(file.path) as NSString).deletingLastPathComponent
                let missing = Self.missingDirectories(parent)
                do {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    made += missing
                    throw .cannotWrite(parent, "the directory cannot be made: \(Self.reason(error))")
                }
                made += missing.filter { !made.contains($0) }
            }
            return try Self.createAll(files.map { ((directory as NSString).appendingPathComponent($0.path), $0.text) })
        } catch {
            // Deepest first; rmdir takes only an empty directory, so nothing else goes with it.
            for path in made.reversed() { rmdir(path) }
            throw error
        }
    }

    /// `path` and those of its ancestors that do not exist, outermost first.
    private static func missingDirectories(_ path: String) -> [String] {
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", current != ".", !FileManager.default.fileExists(atPath: current) {
            missing.insert(current, at: 0)
            current = (current as NSString).deletingLastPathComponent
        }
        return missing
    }

    /// Creates each file (exclusively: one that exists, even made meanwhile, is never
    /// overwritten) with its text, all or none: when one cannot be written, those this call
    /// created are removed again. Returns their paths. Each is written whole under a hidden name
    /// beside it first, then linked to its own name (which fails when that exists): a run
    /// interrupted midway leaves no partial file under a name the next run would refuse.
    static func createAll(_ files: [(path: String, text: String)]) throws(ScaffoldError) -> [String] {
        var created: [String] = []
        do throws(ScaffoldError) {
            for (path, text) in files {
                let directory = (path as NSString).deletingLastPathComponent
                // A random name, so that one left by a run killed midway never stands in the way.
                var staging = ""
                var descriptor: Int32 = -1
                for _ in 1...3 where descriptor < 0 {
                    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
                    staging = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).berth-\(suffix)")
                    descriptor = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
                    if descriptor < 0 && errno != EEXIST { break }
                }
                guard descriptor >= 0 else { throw .cannotWrite(path, "\(staging) cannot be made: \(String(cString: strerror(errno)))") }
                let failure = writeAll(Array(text.utf8), to: descriptor) ?? (fsync(descriptor) == 0 ? nil : String(cString: strerror(errno)))
                close(descriptor)
                if let failure {
                    unlink(staging)
                    throw .cannotWrite(path, failure)
                }
                let linked = link(staging, path) == 0
                let code = errno
                unlink(staging)
                if !linked && code == EEXIST { throw .exists([path]) }
                if !linked {
                    // A file system without hard links: the file is created exclusively and
                    // written in place.
                    try createInPlace(path, text)
                }
                created.append(path)
            }
        } catch {
            for path in created { unlink(path) }
            throw error
        }
        return created
    }

    /// Creates `path` exclusively and writes `text` into it; removed again when that fails.
    private static func createInPlace(_ path: String, _ text: String) throws(ScaffoldError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw .exists([path]) }
            throw .cannotWrite(path, String(cString: strerror(code)))
        }
        let failure = writeAll(Array(text.utf8), to: descriptor)
        close(descriptor)
        if let failure {
            unlink(path)
            throw .cannotWrite(path, failure)
        }
    }

    /// Writes every byte, through short writes and interrupted ones; why not, when it cannot.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { Foundation.write(descriptor, $0 + offset, buffer.count - offset) } ?? 0
            }
            if count < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            guard count > 0 else { return "the disk took none of what was left" }
            offset += count
        }
        return nil
    }

    private static func reason(_ error: any Error) -> String {
        ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription ?? error.localizedDescription
    }

    /// A Swift string literal of `text`.
    static func swiftString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
