import BerthAWS
import Foundation

extension MotoHelpers {
    /// ECR CreateRepository outside any stack, as a team did by hand (with `kmsKey`, encrypted
    /// with that key), and with `policy` its SetRepositoryPolicy.
    public static func createRepository(
        _ endpoint: Endpoint, region: String, name: String, mutability: String = "MUTABLE", policy: String? = nil, kmsKey: String? = nil,
        credentials: Credentials = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
    ) async throws {
        var body: [String: Any] = ["repositoryName": name, "imageTagMutability": mutability]
        if let kmsKey { body["encryptionConfiguration"] = ["encryptionType": "KMS", "kmsKey": kmsKey] }
        try await ecr(endpoint, region: region, "CreateRepository", body, credentials)
        if let policy { try await setRepositoryPolicy(endpoint, region: region, repository: name, policy: policy, credentials: credentials) }
    }

    /// ECR SetRepositoryPolicy, as a team did by hand.
    public static func setRepositoryPolicy(
        _ endpoint: Endpoint, region: String, repository: String, policy: String, credentials: Credentials
    ) async throws {
        try await ecr(endpoint, region: region, "SetRepositoryPolicy", ["repositoryName": repository, "policyText": policy], credentials)
    }

    /// ECR DeleteRepositoryPolicy: what CloudFormation's update of a repository does to a policy
    /// its template does not declare (AWS's ECR resource provider), which moto does not model.
    public static func deleteRepositoryPolicy(_ endpoint: Endpoint, region: String, repository: String, credentials: Credentials) async throws {
        try await ecr(endpoint, region: region, "DeleteRepositoryPolicy", ["repositoryName": repository], credentials)
    }

    /// ECR TagResource on repository `repository` of moto's default account, as a team did by hand.
    public static func tagRepository(
        _ endpoint: Endpoint, region: String, repository: String, tags: [String: String], credentials: Credentials
    ) async throws {
        let pairs = tags.sorted { $0.key < $1.key }.map { ["Key": $0.key, "Value": $0.value] }
        try await ecr(endpoint, region: region, "TagResource", ["resourceArn": repositoryARN(region: region, repository), "tags": pairs], credentials)
    }

    /// ECR UntagResource of `keys`: what CloudFormation's update of a repository does to tags
    /// neither its template nor its stack declares (AWS's ECR resource provider), which moto
    /// does not model.
    public static func untagRepository(
        _ endpoint: Endpoint, region: String, repository: String, keys: [String], credentials: Credentials
    ) async throws {
        try await ecr(endpoint, region: region, "UntagResource", ["resourceArn": repositoryARN(region: region, repository), "tagKeys": keys], credentials)
    }

    private static func repositoryARN(region: String, _ repository: String) -> String {
        "arn:aws:ecr:\(region):123456789012:repository/\(repository)"
    }

    private static func ecr(
        _ endpoint: Endpoint, region: String, _ operation: String, _ body: [String: Any], _ credentials: Credentials
    ) async throws {
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: [
                .init("Content-Type", "application/x-amz-json-1.1"),
                .init("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.\(operation)"),
            ],
            body: Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        try Crypto.load()
        SigV4Signer(credentials: credentials, region: region, service: "ecr").sign(&request)
        let response = try await HTTPClient().send(request)
        guard response.status == 200 else { throw TestServerError("\(operation) answered HTTP \(response.status): \(response.text)") }
    }
}
