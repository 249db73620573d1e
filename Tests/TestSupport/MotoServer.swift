import AWS
import Foundation

/// A real moto server (`python3 -m moto.server`) on a free loopback port, started once per test
/// run and stopped with it (the child asks the kernel for SIGTERM when the test process dies).
/// Under `CI=true` a moto that cannot start fails the tests; it is never skipped.
public actor MotoServer {
    /// A server that accepts any signature.
    public static let open = MotoServer(environment: [:], warmUp: true)
    /// A server that checks signatures after its first `freeCalls` calls (moto's
    /// INITIAL_NO_AUTH_ACTION_COUNT), which set up an IAM user.
    /// Not warmed up: every call counts against the free ones.
    public static let authenticating = MotoServer(
        environment: ["INITIAL_NO_AUTH_ACTION_COUNT": String(freeCalls)], warmUp: false)
    public static let freeCalls = 3

    private let environment: [String: String]
    private let warmsUp: Bool
    private var started: Task<Endpoint, any Error>?

    init(environment: [String: String], warmUp: Bool) {
        self.environment = environment
        self.warmsUp = warmUp
    }

    /// The server's endpoint, starting it on first use.
    public func endpoint() async throws -> Endpoint {
        if let started { return try await started.value }
        let environment = self.environment, warmUp = self.warmsUp
        let task = Task {
            let endpoint = try await Self.launch(environment: environment)
            if warmUp { try await Self.warmUp(endpoint) }
            return endpoint
        }
        started = task
        return try await task.value
    }

    /// moto imports each service's code on its first call, and concurrent first calls race in
    /// it (seen as HTTP 500s and half-made change sets): make one call per service, one by one,
    /// before any test runs. The region is one no test uses.
    private static func warmUp(_ endpoint: Endpoint) async throws {
        try Crypto.load()
        let configuration = AWSConfiguration(
            region: "sa-east-1", endpoints: EndpointResolver(region: "sa-east-1", override: endpoint, environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDWARMUP", secretAccessKey: "warm-up", source: "warm-up")),
            http: try HTTPClient())
        _ = try await STSClient(configuration: configuration).getCallerIdentity()
        _ = try await CloudFormationClient(configuration: configuration).describeStacks().collect()
        _ = try await ECRClient(configuration: configuration).describeRepositories().collect()
        _ = try? await ECSClient(configuration: configuration).describeServices(cluster: "warm-up", services: ["warm-up"])
    }

    /// PR_SET_PDEATHSIG follows the thread that spawned the child, not the process: a pool
    /// thread that retires would kill moto mid-run. So spawn from a thread that lives as long
    /// as the test process.
    private static func spawnFromAThreadThatNeverExits(_ process: Process) throws {
        final class Outcome: @unchecked Sendable {
            var error: (any Error)?
            let done = DispatchSemaphore(value: 0)
        }
        let outcome = Outcome()
        let thread = Thread {
            do { try process.run() } catch { outcome.error = error }
            outcome.done.signal()
            while true { sleep(3600) }
        }
        thread.start()
        outcome.done.wait()
        if let error = outcome.error { throw error }
    }

    private static func launch(environment: [String: String]) async throws -> Endpoint {
        let log = NSTemporaryDirectory() + "berth-moto-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Default signal dispositions (a test may have changed this process's), then
        // PR_SET_PDEATHSIG (1): the server gets SIGKILL when this test process ends.
        let wrapper = "import ctypes, os, signal, sys; "
            + "[signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)]; "
            + "ctypes.CDLL(None).prctl(1, signal.SIGKILL); "
            + "os.execvp(sys.executable, [sys.executable, '-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'])"
        process.arguments = ["python3", "-c", wrapper]
        var childEnvironment = ProcessInfo.processInfo.environment
        for (key, value) in environment { childEnvironment[key] = value }
        childEnvironment["AWS_EC2_METADATA_DISABLED"] = "true"
        process.environment = childEnvironment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try Self.spawnFromAThreadThatNeverExits(process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "Running on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return Endpoint(scheme: "http", host: "127.0.0.1", port: port) }
            }
            guard process.isRunning else {
                throw TestServerError("moto did not start (is `pip install 'moto[server]'` done?):\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw TestServerError("moto did not start within 30 s; its log is \(log)")
    }
}
