import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS

/// DescribeTasks takes at most 100 tasks a call (the ECS API reference; more is an
/// InvalidParameterException): the client asks in batches and returns every task.
@Suite struct ECSDescribeTasksTests {
    @Test func moreThanAHundredTasksAreDescribedInBatches() async throws {
        let server = try TestHTTPServer { request in
            let json = [("Content-Type", "application/x-amz-json-1.1")]
            let body = try? JSONSerialization.jsonObject(with: Data(request.text.utf8)) as? [String: Any]
            let tasks = body?["tasks"] as? [String] ?? []
            guard tasks.count <= 100 else {
                return .respond(status: 400, headers: json, body: #"{"__type":"InvalidParameterException","message":"Tasks cannot be more than 100."}"#)
            }
            let described = tasks.map { #"{"taskArn":"\#($0)","lastStatus":"RUNNING"}"# }
            return .respond(status: 200, headers: json, body: #"{"tasks":[\#(described.joined(separator: ","))],"failures":[]}"#)
        }
        defer { server.stop() }
        let configuration = AWSConfiguration(
            region: "eu-west-1",
            endpoints: EndpointResolver(region: "eu-west-1", override: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(maxAttempts: 1))
        let arns = (0..<250).map { "arn:aws:ecs:eu-west-1:123456789012:task/app-dev/\($0)" }
        let tasks = try await ECSClient(configuration: configuration).describeTasks(cluster: "app-dev", tasks: arns)
        #expect(tasks.compactMap(\.taskArn) == arns)
        #expect(server.requests.count == 3)
        #expect(try await ECSClient(configuration: configuration).describeTasks(cluster: "app-dev", tasks: []).isEmpty)
        #expect(server.requests.count == 3, "no call for no task")
    }
}
