import BerthAWS
import Foundation

/// A real moto server (moto's `moto.server`) on a free loopback port, started once per test
/// run and stopped with it (the child asks the kernel for SIGKILL when the test process dies).
/// One fix is made to it first, where moto departs from CloudFormation's documented behaviour
/// (`listenerRuleFixes`).
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
    /// A server that speaks HTTPS with a self-signed certificate for 127.0.0.1, written to
    /// `tlsCertificate` (the CA bundle that trusts it). Not warmed up.
    public static let tls = MotoServer(environment: [:], warmUp: false, certificate: tlsCertificate)
    public static let tlsCertificate = NSTemporaryDirectory() + "berth-moto-tls-\(getpid()).pem"

    private let environment: [String: String]
    private var iamUser: Task<Credentials, any Error>?
    private let warmsUp: Bool
    private let certificate: String?
    private var started: Task<Endpoint, any Error>?

    init(environment: [String: String], warmUp: Bool, certificate: String? = nil) {
        self.environment = environment
        self.warmsUp = warmUp
        self.certificate = certificate
    }

    /// The server's endpoint, starting it on first use.
    public func endpoint() async throws -> Endpoint {
        if let started { return try await started.value }
        let environment = self.environment, warmUp = self.warmsUp, certificate = self.certificate
        let task = Task {
            let endpoint = try await Self.launch(environment: environment, certificate: certificate)
            if warmUp { try await Self.warmUp(endpoint) }
            return endpoint
        }
        started = task
        return try await task.value
    }

    /// On the authenticating server: an IAM user allowed everything, made with the free calls
    /// before signatures are checked, and its access key. Made once; every caller shares it.
    public func iamUserCredentials() async throws -> Credentials {
        if let iamUser { return try await iamUser.value }
        let endpoint = try await self.endpoint()
        let task = Task { try await Self.createIAMUser(endpoint: endpoint) }
        iamUser = task
        return try await task.value
    }

    private static func createIAMUser(endpoint: Endpoint) async throws -> Credentials {
        try Crypto.load()
        let http = try HTTPClient()
        let bootstrap = SigV4Signer(
            credentials: Credentials(accessKeyID: "AKIDBOOTSTRAP", secretAccessKey: "bootstrap", source: "test"),
            region: "us-east-1", service: "iam")
        func call(_ action: String, _ parameters: [HTTPRequest.QueryItem]) async throws -> XMLNode {
            var request = HTTPRequest(
                method: "POST", endpoint: endpoint, headers: [.init("Content-Type", "application/x-www-form-urlencoded")],
                body: URIEncoding.formBody([.init("Action", action), .init("Version", "2010-05-08")] + parameters))
            bootstrap.sign(&request)
            let response = try await http.send(request)
            guard let node = try XMLNode.parse(response.body) else {
                throw TestServerError("IAM \(action): HTTP \(response.status) \(response.text)")
            }
            return node
        }
        _ = try await call("CreateUser", [.init("UserName", "berth-ci")])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await call("PutUserPolicy", [.init("UserName", "berth-ci"), .init("PolicyName", "all"), .init("PolicyDocument", policy)])
        let key = try await call("CreateAccessKey", [.init("UserName", "berth-ci")])
        guard let accessKey = key["CreateAccessKeyResult", "AccessKey"], let id = accessKey.string("AccessKeyId"),
            let secret = accessKey.string("SecretAccessKey")
        else { throw TestServerError("IAM CreateAccessKey: no access key in \(key)") }
        return Credentials(accessKeyID: id, secretAccessKey: secret, source: "moto IAM user")
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

    /// Python that writes a self-signed certificate for 127.0.0.1 to `CERT` and its key to `CERT.key`,
    /// with the `cryptography` package that moto depends on.
    private static let makeCertificate = """
        import datetime, os
        from cryptography import x509
        from cryptography.x509.oid import NameOID
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        import ipaddress
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
        path = os.environ["CERT"]
        open(path, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
        open(path + ".key", "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        """

    /// Python that makes moto's CloudFormation change a listener rule's priority on an update, as
    /// CloudFormation does (the resource's `Priority`: "Update requires: No interruption"), and
    /// delete the rule with its stack or when an update removes it; moto 5.2 changes only the
    /// rule's conditions and actions, and leaves a removed rule on its listener, holding its number.
    private static let listenerRuleFixes = """
        from moto.elbv2 import models as elbv2
        _update = elbv2.FakeListenerRule.update_from_cloudformation_json.__func__
        def _update_with_priority(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # The number first: a priority in use (PriorityInUse) fails the update before it changes anything.
            priority = cloudformation_json["Properties"].get("Priority")
            if priority is not None and int(priority) != int(original_resource.priority):
                elbv2.elbv2_backends[account_id][region_name].set_rule_priorities(
                    [{"RuleArn": original_resource.arn, "Priority": int(priority)}])
                original_resource.priority = int(priority)
            return _update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        elbv2.FakeListenerRule.update_from_cloudformation_json = classmethod(_update_with_priority)
        def _delete(self, account_id, region_name):
            elbv2.elbv2_backends[account_id][region_name].delete_rule(self.arn)
        elbv2.FakeListenerRule.delete = _delete
        """

    private static func launch(environment: [String: String], certificate: String?) async throws -> Endpoint {
        let log = NSTemporaryDirectory() + "berth-moto-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Default signal dispositions (a test may have changed this process's), then
        // PR_SET_PDEATHSIG (1): the server gets SIGKILL when this test process ends.
        let wrapper = "import ctypes, os, signal, sys; "
            + "[signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)]; "
            + "ctypes.CDLL(None).prctl(1, signal.SIGKILL); "
            + (certificate == nil ? "" : "exec(os.environ['MAKE_CERT']); ")
            + "exec(os.environ['PATCH_MOTO']); from moto.server import main; "
            + "main(['-H', '127.0.0.1', '-p', '0'] + "
            + (certificate == nil ? "[])" : "['-c', os.environ['CERT'], '-k', os.environ['CERT'] + '.key'])")
        process.arguments = ["python3", "-c", wrapper]
        var childEnvironment = ProcessInfo.processInfo.environment
        for (key, value) in environment { childEnvironment[key] = value }
        childEnvironment["AWS_EC2_METADATA_DISABLED"] = "true"
        childEnvironment["PATCH_MOTO"] = listenerRuleFixes
        if let certificate {
            childEnvironment["CERT"] = certificate
            childEnvironment["MAKE_CERT"] = makeCertificate
        }
        process.environment = childEnvironment
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try Self.spawnFromAThreadThatNeverExits(process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let scheme = certificate == nil ? "http" : "https"
            if let range = text.range(of: "Running on \(scheme)://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return Endpoint(scheme: scheme, host: "127.0.0.1", port: port) }
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
