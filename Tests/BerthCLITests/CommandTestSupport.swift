import BerthAWS
import BerthCLI
import BerthTestSupport
import Foundation

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The configuration directory of the CLI tests' own app, `FixtureApp`.
let fixtureConfiguration = repositoryRoot + "/Tests/BerthCLITests/Fixtures/environments"

/// `FixtureApp`'s stacks, in the app's order.
let fixtureStacks = [
    "shop-web-ecr", "shop-api-ecr", "shop-worker-ecr", "shop-dev", "shop-web-dev", "shop-api-dev", "shop-worker-dev",
    "shop-prod", "shop-web-prod", "shop-api-prod", "shop-worker-prod",
]

/// Collects what a command writes.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var standardOutput = ""
    private var standardError = ""

    var console: Console {
        Console(
            write: { text in self.lock.withLock { self.standardOutput += text } },
            writeError: { text in self.lock.withLock { self.standardError += text } })
    }

    var out: String { lock.withLock { standardOutput } }
    var err: String { lock.withLock { standardError } }
}

/// The result of running `berth` in-process.
struct CommandResult {
    let status: Int32
    let out: String
    let err: String
}

/// An app that is exactly what its environment files say, for tests with files of their own
/// (`FixtureApp` customizes services that such files do not have).
struct PlainApp: AppDefinition {
    func makeApp(configuration: Configuration) throws -> App { try configuration.blueprint().build() }
}

/// Runs `berth` with `arguments`: `app`'s, else `FixtureApp`'s when they name its configuration,
/// else `PlainApp`'s.
func runBerth(
    _ arguments: [String], app: (any AppDefinition)? = nil,
    environment: [String: String] = ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home"]
) async -> CommandResult {
    let output = CapturedOutput()
    let app: any AppDefinition = app ?? (arguments.contains(fixtureConfiguration) ? FixtureApp() : PlainApp())
    let status = await Berth.run(app, arguments: arguments, console: output.console, environment: environment)
    return CommandResult(status: status, out: output.out, err: output.err)
}

/// What `EnvironmentConfig.parse` reports for `text` read as dev.yaml, each mistake as printed
/// (`dev.yaml:3:5: …`); none when the file reads.
func environmentFileErrors(_ text: String) -> [String] {
    do {
        _ = try EnvironmentConfig.parse(text, name: "dev", file: "dev.yaml")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// A fresh empty directory under the system's temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "berth-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A configuration directory holding `files` (name → YAML text).
func configuration(_ files: [String: String]) throws -> String {
    let directory = try temporaryDirectory()
    for (name, text) in files {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
    return directory
}

func readFile(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

/// A minimal valid environment file.
let minimalEnvironment = """
    app: shop
    service: api
    region: eu-west-1
    cpu: 256
    memory: 512

    """

/// An environment file of a web service `api` and a `worker`, for the built `berth` in a process
/// of its own: that binary is the sample app's, whose Swift code customizes a worker.
func sampleBinaryEnvironment(app: String, region: String, cidr: String) -> String {
    """
    app: \(app)
    region: \(region)
    network: {vpc: new, cidr: \(cidr)}
    services:
      api: {cpu: 256, memory: 512}
      worker: {kind: worker, cpu: 256, memory: 512}

    """
}

/// An environment file of one web service `api` of `app`, in `region` and a new VPC of `cidr`,
/// as the moto-backed tests deploy it: each test takes an app, a region and a CIDR of its own.
func oneServiceEnvironment(app: String, region: String, cidr: String) -> String {
    """
    app: \(app)
    service: api
    region: \(region)
    cpu: 256
    memory: 512
    healthCheck:
      path: /health
    network:
      vpc: new
      cidr: \(cidr)

    """
}

/// moto with signature checking on, an IAM user's keys, and the environment berth signs with them.
func signedMoto() async throws -> (moto: Endpoint, keys: Credentials, environment: [String: String]) {
    let server = MotoServer.authenticating
    let moto = try await server.endpoint()
    let keys = try await server.iamUserCredentials()
    let environment = [
        "AWS_ACCESS_KEY_ID": keys.accessKeyID, "AWS_SECRET_ACCESS_KEY": keys.secretAccessKey,
        "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
    ]
    return (moto, keys, environment)
}
