import BerthAWS
import Foundation

/// Calls for setting moto up, which Berth itself never makes.
public enum MotoHelpers {
    /// A configuration that talks to moto at `endpoint` with throwaway credentials.
    public static func configuration(
        _ endpoint: Endpoint, region: String,
        credentials: Credentials = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
    ) throws -> AWSConfiguration {
        try Crypto.load()
        return AWSConfiguration(
            region: region, endpoints: EndpointResolver(region: region, override: endpoint, environment: [:]),
            credentials: StaticCredentialProvider(credentials),
            http: try HTTPClient(), sleep: { _ in })
    }

    /// Creates stack `name` from `templateBody` through a change set of its own, executed by its
    /// ARN: moto 5.2 looks a change set up by name across every stack, so tests that each
    /// executed a change set called `create` at once could apply one another's.
    public static func createStack(
        _ cloudFormation: CloudFormationClient, name: String, templateBody: String,
        parameters: [(key: String, value: String)] = [], tags: [(key: String, value: String)] = []
    ) async throws {
        let created = try await cloudFormation.createChangeSet(
            ChangeSetRequest(
                stackName: name, changeSetName: "setup-" + UUID().uuidString.prefix(8).lowercased(), kind: .create, templateBody: templateBody,
                parameters: parameters, tags: tags))
        try await cloudFormation.executeChangeSet(stackName: name, changeSetName: created.changeSetID)
    }

    /// ECR PutImage, as `docker push` ends: a manifest unique to `tag` and `digest`, under
    /// `digest` (moto refuses a second push of the same manifest as the same image).
    ///
    /// With `manifest`, that manifest instead (a Cosign signature image, `sha256-<hex>.sig`).
    public static func putImage(
        _ endpoint: Endpoint, region: String, repository: String, tag: String?, digest: String, manifest: String? = nil,
        credentials: Credentials = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
    ) async throws {
        struct Request: Encodable {
            let repositoryName: String
            let imageManifest: String
            let imageTag: String?
            let imageDigest: String
        }
        let manifest = manifest ?? #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[],"annotations":{"tag":"\#(tag ?? "")","digest":"\#(digest)"}}"#
        let body = try JSONEncoder().encode(
            Request(repositoryName: repository, imageManifest: manifest, imageTag: tag, imageDigest: digest))
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: [
                .init("Content-Type", "application/x-amz-json-1.1"),
                .init("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.PutImage"),
            ],
            body: Array(body))
        try Crypto.load()
        SigV4Signer(credentials: credentials, region: region, service: "ecr").sign(&request)
        let response = try await HTTPClient().send(request)
        guard response.status == 200 else {
            throw TestServerError("PutImage \(repository):\(tag ?? digest) answered HTTP \(response.status): \(response.text)")
        }
    }

    /// ECR PutLifecyclePolicy: what CloudFormation does on AWS for a repository's
    /// `LifecyclePolicyText`, and moto's CloudFormation does not.
    public static func putLifecyclePolicy(
        _ endpoint: Endpoint, region: String, repository: String, policyText: String,
        credentials: Credentials = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
    ) async throws {
        struct Request: Encodable {
            let repositoryName: String
            let lifecyclePolicyText: String
        }
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: [
                .init("Content-Type", "application/x-amz-json-1.1"),
                .init("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.PutLifecyclePolicy"),
            ],
            body: Array(try JSONEncoder().encode(Request(repositoryName: repository, lifecyclePolicyText: policyText))))
        try Crypto.load()
        SigV4Signer(credentials: credentials, region: region, service: "ecr").sign(&request)
        let response = try await HTTPClient().send(request)
        guard response.status == 200 else {
            throw TestServerError("PutLifecyclePolicy \(repository) answered HTTP \(response.status): \(response.text)")
        }
    }

    /// ECR BatchDeleteImage of one tag, as a lifecycle policy expires it.
    public static func deleteImage(
        _ endpoint: Endpoint, region: String, repository: String, tag: String,
        credentials: Credentials = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
    ) async throws {
        let body = try JSONSerialization.data(
            withJSONObject: ["repositoryName": repository, "imageIds": [["imageTag": tag]]], options: [.sortedKeys])
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: [
                .init("Content-Type", "application/x-amz-json-1.1"),
                .init("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.BatchDeleteImage"),
            ],
            body: Array(body))
        try Crypto.load()
        SigV4Signer(credentials: credentials, region: region, service: "ecr").sign(&request)
        let response = try await HTTPClient().send(request)
        guard response.status == 200 else {
            throw TestServerError("BatchDeleteImage \(repository):\(tag) answered HTTP \(response.status): \(response.text)")
        }
    }

    /// ECR DescribeImages for one tag: when moto says the image was pushed, in seconds since
    /// 1970 (moto keeps whole seconds).
    public static func imagePushedAt(_ endpoint: Endpoint, region: String, repository: String, tag: String) async throws -> Double {
        let body = try JSONSerialization.data(withJSONObject: ["repositoryName": repository, "imageIds": [["imageTag": tag]]])
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: [
                .init("Content-Type", "application/x-amz-json-1.1"),
                .init("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeImages"),
            ],
            body: Array(body))
        try Crypto.load()
        SigV4Signer(credentials: Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test"), region: region, service: "ecr")
            .sign(&request)
        let response = try await HTTPClient().send(request)
        let document = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard response.status == 200, let details = document?["imageDetails"] as? [[String: Any]],
            let pushedAt = (details.first?["imagePushedAt"] as? NSNumber)?.doubleValue
        else {
            throw TestServerError("DescribeImages \(repository):\(tag) answered HTTP \(response.status): \(response.text)")
        }
        return pushedAt
    }

    /// CloudWatch Logs CreateLogStream and PutLogEvents, as the awslogs driver of a task writes
    /// (with CreateLogGroup first, when the group is not there yet).
    public static func putLogEvents(
        _ endpoint: Endpoint, region: String, group: String, stream: String, messages: [(milliseconds: Int64, text: String)]
    ) async throws {
        func call(_ operation: String, _ body: [String: Any]) async throws {
            var request = HTTPRequest(
                method: "POST", endpoint: endpoint,
                headers: [.init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "Logs_20140328.\(operation)")],
                body: Array(try JSONSerialization.data(withJSONObject: body)))
            try Crypto.load()
            SigV4Signer(credentials: Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test"), region: region, service: "logs")
                .sign(&request)
            let response = try await HTTPClient().send(request)
            guard response.status == 200 || response.text.contains("ResourceAlreadyExists") else {
                throw TestServerError("\(operation) answered HTTP \(response.status): \(response.text)")
            }
        }
        try await call("CreateLogGroup", ["logGroupName": group])
        try await call("CreateLogStream", ["logGroupName": group, "logStreamName": stream])
        try await call(
            "PutLogEvents",
            ["logGroupName": group, "logStreamName": stream, "logEvents": messages.map { ["timestamp": $0.milliseconds, "message": $0.text] }])
    }
}
