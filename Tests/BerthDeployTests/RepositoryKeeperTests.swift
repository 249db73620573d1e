import BerthTemplate
import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// `RepositoryKeeper` reads a repository only before a change set that modifies it, and keeps
/// only what neither the deployed template nor the new one declares. ECR's answers are scripted
/// from the API reference (DescribeRepositories, ListTagsForResource, GetRepositoryPolicy).
@Suite struct RepositoryKeeperTests {
    private static let arn = "arn:aws:ecr:eu-west-1:123456789012:repository/shop/web"

    private static func change(_ action: String, _ type: String) -> ResourceChange {
        ResourceChange(action: action, logicalID: "Repository", physicalID: "shop/web", resourceType: type, replacement: nil, scope: ["Properties"], details: [])
    }

    /// A template whose repository declares `properties`.
    private static func template(_ properties: JSONValue) -> JSONValue {
        ["Resources": ["Repository": ["Type": "AWS::ECR::Repository", "Properties": properties]]]
    }

    /// ECR with a repository tagged `team`, `berth:app` and `aws:cloudformation:stack-name`, with a policy.
    private static func ecr() throws -> TestHTTPServer {
        try TestHTTPServer { request in
            let json = [("Content-Type", "application/x-amz-json-1.1")]
            switch request.headers["x-amz-target"]?.split(separator: ".").last {
            case "DescribeRepositories":
                return .respond(status: 200, headers: json, body: #"{"repositories":[{"repositoryName":"shop/web","repositoryArn":"\#(arn)","repositoryUri":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web"}]}"#)
            case "ListTagsForResource":
                return .respond(
                    status: 200, headers: json,
                    body: #"{"tags":[{"Key":"team","Value":"payments"},{"Key":"owner","Value":"ops"},{"Key":"berth:app","Value":"shop"},{"Key":"aws:cloudformation:stack-name","Value":"shop-web-ecr"}]}"#)
            case "GetRepositoryPolicy":
                return .respond(status: 200, headers: json, body: #"{"repositoryName":"shop/web","policyText":"{\"Version\":\"2012-10-17\"}"}"#)
            default:
                return .respond(status: 400, headers: json, body: #"{"__type":"InvalidParameterException","message":"unexpected"}"#)
            }
        }
    }

    private static func keeper(_ server: TestHTTPServer, template: JSONValue) throws -> RepositoryKeeper {
        RepositoryKeeper(ecr: ECRClient(configuration: try ForeignStackTests.configuration(server)), repository: "shop/web", template: template)
    }

    @Test func aChangeSetThatDoesNotModifyTheRepositoryCostsNoCall() async throws {
        let server = try Self.ecr()
        defer { server.stop() }
        let keeper = try Self.keeper(server, template: Self.template([:]))
        for changes in [[], [Self.change("Import", "AWS::ECR::Repository")], [Self.change("Add", "AWS::ECR::Repository")],
            [Self.change("Modify", "AWS::ECS::Service")]]
        {
            let kept = try await keeper.kept(before: changes) { throw TestServerError("the deployed template was read") }
            #expect(kept == nil)
        }
        #expect(server.requests.isEmpty)
    }

    @Test func whatNeitherTemplateDeclaresIsKept() async throws {
        let server = try Self.ecr()
        defer { server.stop() }
        let modify = [Self.change("Modify", "AWS::ECR::Repository")]
        // Neither declares a policy or tags: the repository's own tags and its policy.
        let kept = try await Self.keeper(server, template: Self.template([:])).kept(before: modify) { "{}" }
        #expect(kept == RepositoryKeeper.Kept(arn: Self.arn, region: "eu-west-1", tags: ["team": "payments", "owner": "ops"], policy: #"{"Version":"2012-10-17"}"#))
        // The deployed template declared the policy and the tag owner (Berth's, to remove), in YAML.
        let deployed = "Resources:\n  Repository:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryPolicyText: {Version: '2012-10-17'}\n      Tags:\n        - {Key: owner, Value: ops}\n"
        let declaredBefore = try await Self.keeper(server, template: Self.template([:])).kept(before: modify) { deployed }
        #expect(declaredBefore == RepositoryKeeper.Kept(arn: Self.arn, region: "eu-west-1", tags: ["team": "payments"], policy: nil))
        // The new template declares them: they are set, not kept.
        let declared = Self.template(["RepositoryPolicyText": ["Version": "2012-10-17"], "Tags": [["Key": "team", "Value": "payments"], ["Key": "owner", "Value": "ops"]]])
        #expect(try await Self.keeper(server, template: declared).kept(before: modify) { "{}" } == nil)
    }

    @Test func theCommandsSetWhatIsLeftQuotedForAShell() {
        let kept = RepositoryKeeper.Kept(arn: Self.arn, region: "eu-west-1", tags: ["team": "it's ours"], policy: "{\n  \"Sid\": \"a'b\"\n}")
        #expect(kept.commands == [
            "aws ecr tag-resource --region eu-west-1 --resource-arn \(Self.arn) --tags 'Key=team,Value=it'\\''s ours'",
            "aws ecr set-repository-policy --region eu-west-1 --registry-id 123456789012 --repository-name shop/web --policy-text '{ \"Sid\": \"a'\\''b\" }'",
        ])
        #expect(kept.what == "tags and repository policy")
    }
}
