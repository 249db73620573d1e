import AWS
import Foundation

/// A real moto server (`python3 -m moto.server`) on a free loopback port, started once per test
/// run and stopped with it (the child asks the kernel for SIGTERM when the test process dies).
/// Under `CI=true` a moto that cannot start fails the tests; it is never skipped.
public actor MotoServer {
    /// A server that accepts any signature.
    public static let open = MotoServer(environment: [:])
    /// A server that checks signatures after its first `freeCalls` calls (moto's
    /// INITIAL_NO_AUTH_ACTION_COUNT), which set up an IAM user.
    public static let authenticating = MotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": String(freeCalls)])
    public static let freeCalls = 3

    private let environment: [String: String]
    private var started: Task<Endpoint, any Error>?

    public init(environment: [String: String]) { self.environment = environment }

    /// The server's endpoint, starting it on first use.
    public func endpoint() async throws -> Endpoint {
        if let started { return try await started.value }
        let task = Task { try await Self.launch(environment: environment) }
        started = task
        return try await task.value
    }

    private static func launch(environment: [String: String]) async throws -> Endpoint {
        let log = NSTemporaryDirectory() + "berth-moto-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // PR_SET_PDEATHSIG (1): the server gets SIGTERM when this test process ends.
        let wrapper = "import ctypes, os, signal, sys; ctypes.CDLL(None).prctl(1, signal.SIGTERM); "
            + "os.execvp(sys.executable, [sys.executable, '-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'])"
        process.arguments = ["python3", "-c", wrapper]
        var childEnvironment = ProcessInfo.processInfo.environment
        for (key, value) in environment { childEnvironment[key] = value }
        childEnvironment["AWS_EC2_METADATA_DISABLED"] = "true"
        process.environment = childEnvironment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
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
