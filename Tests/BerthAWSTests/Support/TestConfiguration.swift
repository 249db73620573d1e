import Foundation

@testable import BerthAWS
import BerthTestSupport

/// Credentials that moto accepts without checking.
let testCredentials = Credentials(accessKeyID: "AKIDTESTTESTTESTTEST", secretAccessKey: "test-secret-key-never-logged", source: "test")

/// An environment with nothing from the machine in it, and instance metadata switched off:
/// no test may ever reach 169.254.169.254.
func isolatedEnvironment(_ values: [String: String] = [:]) -> [String: String] {
    var environment = ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home"]
    for (key, value) in values { environment[key] = value }
    return environment
}

/// Sleeps that return at once, recording what was asked for.
final class RecordedSleeps: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Duration] = []
    var durations: [Duration] { lock.withLock { values } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.lock.withLock { self.values.append(duration) } }
    }
}

/// A configuration that talks to `endpoint` (moto or a fake) only.
func testConfiguration(
    endpoint: Endpoint, region: String = "eu-west-1", credentials: Credentials = testCredentials,
    retry: RetryPolicy = RetryPolicy(random: { 0.5 }), wireLog: WireLog? = nil, sleeps: RecordedSleeps = RecordedSleeps(),
    timeouts: HTTPClient.Timeouts = .init(connect: .seconds(2), request: .seconds(10)),
    maximumBodyBytes: Int = HTTPClient.defaultMaximumBodyBytes
) throws -> AWSConfiguration {
    try Crypto.load()
    return AWSConfiguration(
        region: region, endpoints: EndpointResolver(region: region, override: endpoint, environment: [:]),
        credentials: StaticCredentialProvider(credentials), http: try HTTPClient(timeouts: timeouts, maximumBodyBytes: maximumBodyBytes), retry: retry,
        wireLog: wireLog, sleep: sleeps.sleep)
}

/// Collects the wire log.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var contents: String { lock.withLock { text } }
    var wireLog: WireLog { WireLog { line in self.lock.withLock { self.text += line } } }
}

/// A template moto deploys: a repository, a cluster and a task definition.
func sampleTemplate(repository: String) -> String {
    """
    {"AWSTemplateFormatVersion":"2010-09-09","Resources":{
    "Repository":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"\(repository)","ImageTagMutability":"IMMUTABLE"}},
    "Cluster":{"Type":"AWS::ECS::Cluster","Properties":{}},
    "TaskDefinition":{"Type":"AWS::ECS::TaskDefinition","Properties":{"Family":"\(repository.replacingOccurrences(of: "/", with: "-"))",
    "ContainerDefinitions":[{"Name":"app","Image":"example/app:1","Memory":512}]}}},
    "Outputs":{"RepositoryUri":{"Value":{"Fn::GetAtt":["Repository","RepositoryUri"]}}}}
    """
}

/// A name unique to this test run.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}
