import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// What Berth's phase-1 template does not declare of a repository (its own tags, and a policy set
/// by hand or kept when the repository was adopted) outlives every update of the stack.
/// CloudFormation's update of an `AWS::ECR::Repository` removes such a policy and such tags
/// (AWS's ECR resource provider, `UpdateHandler`); moto 5.2.1 does neither, so a proxy in front of
/// moto deletes the policy and the tags in moto when the change set executes, as CloudFormation
/// would. Everything else is moto's, with signature checking on.
@Suite(.serialized) struct RepositoryKeepingTests {
    private static let region = "us-west-2"
    private static let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"ci","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:BatchGetImage"]}]}"#

    private static func environmentFile(app: String, keepImages: Int) -> String {
        """
        app: \(app)
        region: us-west-2
        network:
          vpc: new
          cidr: 10.61.0.0/16
        lifecycle:
          keepImages: \(keepImages)
        services:
          web:
            cpu: 256
            memory: 512
            containerPort: 3000

        """
    }

    /// The ECR operation of a request through the proxy, if it is one.
    private static func ecrOperation(_ request: TestHTTPServer.Request) -> String? {
        request.headers["x-amz-target"]?.split(separator: ".").last.map(String.init)
    }

    /// What a test needs after the update: moto, its keys, the proxy and the deploy's arguments.
    private struct Setup {
        let moto: Endpoint
        let keys: Credentials
        let proxy: TestHTTPServer
        let environment: [String: String]
        let deploy: [String]
        let updated: CommandResult
    }

    /// App `app`'s repository made by a first deploy, a policy and tags set on it by hand, then a deploy
    /// whose update modifies the repository (its lifecycle policy); with `refusingPolicyWrites`,
    /// the proxy answers SetRepositoryPolicy with AccessDenied.
    private static func updateAfterAPolicySetByHand(app: String, refusingPolicyWrites: Bool = false) async throws -> Setup {
        let (moto, keys, environment) = try await signedMoto()
        let proxy = try TestHTTPServer { request in
            // CloudFormation's update of the repository removes the undeclared policy.
            if request.form["Action"] == "ExecuteChangeSet", request.form["StackName"] == "\(app)-web-ecr" {
                let done = DispatchSemaphore(value: 0)
                Task {
                    try? await MotoHelpers.deleteRepositoryPolicy(moto, region: Self.region, repository: "\(app)/web", credentials: keys)
                    try? await MotoHelpers.untagRepository(moto, region: Self.region, repository: "\(app)/web", keys: ["team", "cost-center"], credentials: keys)
                    done.signal()
                }
                done.wait()
            }
            if refusingPolicyWrites, ecrOperation(request) == "SetRepositoryPolicy" {
                return .respond(
                    status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"__type":"AccessDeniedException","message":"not authorized to perform: ecr:SetRepositoryPolicy"}"#)
            }
            return .forward(port: moto.port ?? 0)
        }
        let directory = try configuration(["dev.yaml": environmentFile(app: app, keepImages: 2)])
        let deploy = ["deploy", "--config", directory, "--endpoint-url", proxy.url, "--phase", "ecr"]

        // The first create: the repository is new and has no policy, so there is nothing to keep.
        let created = await runBerth(deploy + ["--out", try temporaryDirectory()], environment: environment)
        #expect(created.status == 0, "\(created.out)\n\(created.err)")
        #expect(!created.out.contains("put it back"))

        try await MotoHelpers.setRepositoryPolicy(moto, region: region, repository: "\(app)/web", policy: policy, credentials: keys)
        try await MotoHelpers.tagRepository(moto, region: region, repository: "\(app)/web", tags: ["team": "payments", "cost-center": "4711"], credentials: keys)
        try environmentFile(app: app, keepImages: 5).write(toFile: (directory as NSString).appendingPathComponent("dev.yaml"), atomically: true, encoding: .utf8)
        let updated = await runBerth(deploy + ["--out", try temporaryDirectory()], environment: environment)
        #expect(proxy.requests.filter { $0.form["Action"] == "ExecuteChangeSet" }.count == 2, "the update did not run through the proxy")
        return Setup(moto: moto, keys: keys, proxy: proxy, environment: environment, deploy: deploy, updated: updated)
    }

    @Test func aPolicyAndTagsTheTemplateDoesNotDeclareArePutBackAfterAnUpdateRemovesThem() async throws {
        let setup = try await Self.updateAfterAPolicySetByHand(app: "wharf")
        #expect(setup.updated.status == 0, "\(setup.updated.out)\n\(setup.updated.err)")
        #expect(
            setup.updated.out.contains(
                "wharf-web-ecr: the update removed the tags cost-center, team of repository wharf/web, which the template does not declare; Berth put them back as they were"),
            "\(setup.updated.out)")
        #expect(
            setup.updated.out.contains("wharf-web-ecr: the update removed the repository policy of wharf/web, which the template does not declare; Berth put it back as it was"),
            "\(setup.updated.out)")
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(setup.moto, region: Self.region, credentials: setup.keys))
        let kept = try #require(try await ecr.getRepositoryPolicy(repository: "wharf/web"))
        #expect(try JSONValue.parseJSON(kept, file: "kept") == JSONValue.parseJSON(Self.policy, file: "set"))
        let arn = try #require(try await ecr.describeRepositories(names: ["wharf/web"]).collect().first?.repositoryArn)
        let tags = try await ecr.listTags(resourceArn: arn)
        #expect(tags["team"] == "payments" && tags["cost-center"] == "4711", "\(tags)")

        // A deploy that changes nothing reads no policy: the keeper costs a call only before an
        // update that modifies the repository.
        let before = setup.proxy.requests.count
        let unchanged = await runBerth(setup.deploy + ["--out", try temporaryDirectory()], environment: setup.environment)
        #expect(unchanged.status == 0, "\(unchanged.out)\n\(unchanged.err)")
        let read = setup.proxy.requests[before...].compactMap(Self.ecrOperation)
        #expect(!read.contains("GetRepositoryPolicy") && !read.contains("ListTagsForResource"), "\(read)")
    }

    @Test func aPolicyThatCannotBePutBackIsPrintedWithTheCommandThatSetsIt() async throws {
        let setup = try await Self.updateAfterAPolicySetByHand(app: "jetty", refusingPolicyWrites: true)
        #expect(setup.updated.status != 0)
        #expect(
            setup.updated.err.contains(
                "jetty-web-ecr: the update may have removed the tags and repository policy of repository jetty/web, which the template does not declare, and putting them back failed"),
            "\(setup.updated.err)")
        #expect(setup.updated.err.contains("AccessDeniedException"))
        #expect(
            setup.updated.err.contains(
                "aws ecr tag-resource --resource-arn arn:aws:ecr:us-west-2:123456789012:repository/jetty/web --tags 'Key=cost-center,Value=4711' 'Key=team,Value=payments'"),
            "\(setup.updated.err)")
        #expect(setup.updated.err.contains("aws ecr set-repository-policy --repository-name jetty/web --policy-text '\(Self.policy)'"), "\(setup.updated.err)")
    }
}
