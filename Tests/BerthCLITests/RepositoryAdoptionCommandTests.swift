import BerthModel
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// `deploy --phase ecr` over a repository that already exists outside any stack, against moto
/// with signature checking on. moto 5.2.1 does not model `ImportExistingResources` (a CREATE
/// change set makes the repository again and fails), so the adopting stack's CloudFormation calls
/// are answered by `ScriptedImport`, written from the API reference; ECR stays moto's, and the
/// images are counted there. Serialized: the suite's repositories share one region.
@Suite(.serialized) struct RepositoryAdoptionCommandTests {
    private static let region = "us-west-2"

    private static func environmentFile(app: String) -> String {
        """
        app: \(app)
        region: us-west-2
        network:
          vpc: new
          cidr: 10.60.0.0/16
        lifecycle:
          keepImages: 2
        services:
          web:
            cpu: 256
            memory: 512
            containerPort: 3000

        """
    }

    /// A repository made outside any stack, with one image pushed (tag `dev-20261201-100000-0000000a`).
    private static func repositoryOfOneImage(_ name: String, moto: Endpoint, keys: Credentials) async throws {
        try await MotoHelpers.createRepository(moto, region: region, name: name, policy: nil, credentials: keys)
        try await MotoHelpers.putImage(
            moto, region: region, repository: name, tag: "dev-20261201-100000-0000000a", digest: "sha256:" + String(repeating: "a", count: 64),
            credentials: keys)
    }

    private static let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"ci","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:BatchGetImage"]}]}"#

    @Test func anExistingRepositoryIsListedAndRefusedThenAdoptedWithEveryImage() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "dock/web", policy: Self.policy, credentials: keys)
        try await MotoHelpers.tagRepository(moto, region: Self.region, repository: "dock/web", tags: ["team": "payments", "owner": "ops"], credentials: keys)
        for (index, digit) in ["a", "b", "c", "d"].enumerated() {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "dock/web", tag: "dev-2026120\(index + 1)-100000-0000000\(index)", digest: "sha256:" + String(repeating: digit, count: 64),
                credentials: keys)
        }
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let before = try await ecr.describeImages(repository: "dock/web").collect().map(\.imageDigest)
        #expect(before.count == 4)
        let repository = try #require(try await ecr.describeRepositories(names: ["dock/web"]).collect().first)
        let script = ScriptedImport(
            stackName: "dock-web-ecr", logicalID: "Repository", physicalID: "dock/web",
            outputs: [
                "RepositoryName": "dock/web", "RepositoryArn": repository.repositoryArn, "RepositoryUri": repository.repositoryUri,
            ])
        let proxy = try TestHTTPServer { request in script.answer(request) ?? .forward(port: moto.port ?? 0) }
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "dock")])
        let deploy = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr"]

        // Without --adopt: what adopting changes is listed, and nothing changes.
        let listed = await runBerth(deploy, environment: environment)
        #expect(listed.status == 2, "\(listed.err)")
        #expect(listed.out.contains("dock/web exists outside any stack (4 images); adopting it into dock-web-ecr:"), "\(listed.out)")
        #expect(listed.out.contains("tag mutability: MUTABLE becomes IMMUTABLE"))
        #expect(listed.out.contains("lifecycle policy: added (the repository has none)"))
        // keepImages: 2 keeps two dev- images and would expire the other two, each listed with its
        // digest, tags and rule (moto keeps push times in whole seconds: which two is not asserted).
        #expect(listed.out.contains("it would expire 2 of 4 images"), "\(listed.out)")
        let expiring = listed.out.split(separator: "\n").filter { $0.contains("sha256:") && $0.hasSuffix(") by rule 1") }
        #expect(expiring.count == 2)
        #expect(listed.out.contains("scan on push: off becomes on"))
        #expect(listed.out.contains("tags: kept (owner=ops, team=payments); Berth's template does not declare them"), "\(listed.out)")
        #expect(listed.out.contains("refused: it has a repository policy that Berth's template does not declare"))
        // The commands it gives name the repository's region, which may not be the shell's.
        #expect(listed.out.contains("aws ecr get-repository-policy --region us-west-2 --repository-name dock/web"), "\(listed.out)")
        #expect(listed.err.contains("repository dock/web cannot be adopted into dock-web-ecr"), "\(listed.err)")
        #expect(script.changeSetRequests.isEmpty)

        // --adopt alone still refuses the policy; kept with --keep-repository-policy, but only when confirmed.
        let policyRefused = await runBerth(deploy + ["--adopt", "--yes"], environment: environment)
        #expect(policyRefused.status == 2)
        #expect(policyRefused.err.contains("--keep-repository-policy"))
        // Adopting keeps every image unless the ones the lifecycle policy would expire are agreed
        // to by their number, whatever --yes says.
        let unagreed = await runBerth(deploy + ["--adopt", "--keep-repository-policy", "--yes"], environment: environment)
        #expect(unagreed.status == 2)
        #expect(
            unagreed.err.contains(
                "error: adopting would let Berth's lifecycle policy expire 2 images (listed above) within a day, and ECR cannot bring them back; "
                    + "nothing was changed. To keep them, raise lifecycle.keepImages, or tag the ones you need (an untagged image expires after a day), "
                    + "until none is listed; to adopt anyway, add --expire-images 2"), "\(unagreed.err)")
        let miscounted = await runBerth(deploy + ["--adopt", "--keep-repository-policy", "--expire-images", "3", "--yes"], environment: environment)
        #expect(miscounted.status == 2)
        #expect(miscounted.err.contains("error: --expire-images 3 was given, and adopting would let Berth's lifecycle policy expire 2 images"), "\(miscounted.err)")
        let unconfirmed = await runBerth(deploy + ["--adopt", "--keep-repository-policy", "--expire-images", "2"], environment: environment)
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.err.contains("adopting dock/web needs --yes when there is no terminal to ask on; nothing was changed"))
        #expect(script.changeSetRequests.isEmpty)

        let adopted = await runBerth(deploy + ["--adopt", "--keep-repository-policy", "--expire-images", "2", "--yes"], environment: environment)
        #expect(adopted.status == 0, "\(adopted.out)\n\(adopted.err)")
        #expect(adopted.out.contains("repository policy: kept as it is"))
        #expect(adopted.out.contains("ImportExistingResources"))
        #expect(adopted.out.contains("step 1 of 2: import the repository as it is"))
        #expect(adopted.out.contains("step 2 of 2: update it to Berth's settings"))
        #expect(adopted.out.contains("dock-web-ecr: adopted repository dock/web (4 images when inspected; Berth deleted none)"), "\(adopted.out)")
        // Step 1 imports the repository declared as it is; step 2 updates it to Berth's template.
        let requests = script.changeSetRequests
        try #require(requests.count == 2)
        #expect(requests[0]["ChangeSetType"] == "CREATE")
        #expect(requests[0]["ImportExistingResources"] == "true")
        #expect(requests[0]["TemplateBody"]?.contains("\"MUTABLE\"") == true)
        #expect(requests[0]["TemplateBody"]?.contains("LifecyclePolicyText") == false)
        #expect(requests[1]["ChangeSetType"] == "UPDATE")
        #expect(requests[1]["ImportExistingResources"] == nil)
        #expect(requests[1]["TemplateBody"]?.contains("IMMUTABLE") == true)
        #expect(requests[1]["TemplateBody"]?.contains("LifecyclePolicyText") == true)
        #expect(script.actions.filter { $0 == "ExecuteChangeSet" }.count == 2)
        #expect(adopted.out.contains("Import Repository"))
        #expect(adopted.out.contains("Modify Repository"))
        // The stack holds the repository (answered by the script, as moto cannot import).
        let held = try await CloudFormationClient(configuration: try MotoHelpers.configuration(try #require(Endpoint(url: proxy.url)), region: Self.region, credentials: keys))
            .listStackResources(stackName: "dock-web-ecr").collect()
        #expect(held.contains { $0.resourceType == "AWS::ECR::Repository" && $0.physicalID == "dock/web" })
        // Every image is still in moto's repository, digest for digest, and so is its policy.
        let after = try await ecr.describeImages(repository: "dock/web").collect().map(\.imageDigest)
        #expect(after.sorted() == before.sorted())
        #expect(try await ecr.getRepositoryPolicy(repository: "dock/web") != nil)
    }

    /// Phase 2 before the adoption: the gate says the repository is there, outside any stack,
    /// and is to be adopted (it said only that the repository stack does not exist).
    @Test func theGateSaysARepositoryOutsideAnyStackIsToBeAdopted() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await Self.repositoryOfOneImage("moor/web", moto: moto, keys: keys)
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "moor")])
        let deploy = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory(), "--phase", "ecs", "--env", "dev",
             "--image-tag", "dev-20261201-100000-0000000a"],
            environment: environment)
        #expect(deploy.status == 3, "\(deploy.err)")
        #expect(
            deploy.err.contains(
                "web: the repository stack moor-web-ecr does not exist, and repository moor/web does, outside any stack: it is to be adopted into "
                    + "moor-web-ecr, with its images; deploy --phase ecr first: it lists what adopting changes, and --adopt adopts it"), "\(deploy.err)")
    }

    /// diff of a repository stack that does not exist, whose repository does, says the deploy
    /// adopts it (the comparison with no stack alone read as a new, empty repository).
    @Test func diffSaysARepositoryOutsideAnyStackIsAdoptedByTheDeploy() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await Self.repositoryOfOneImage("slip/web", moto: moto, keys: keys)
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "slip")])
        let diff = await runBerth(["diff", "--config", config, "--endpoint-url", moto.origin, "--phase", "ecr"], environment: environment)
        #expect(diff.status == 0, "\(diff.err)")
        #expect(
            diff.out.contains(
                "note: repository slip/web exists outside any stack: a deploy of phase 1 adopts it into slip-web-ecr, with its images, once agreed to"),
            "\(diff.out)")
        // A repository stack whose repository is not there yet is a plain first create.
        let fresh = try configuration(["dev.yaml": Self.environmentFile(app: "skiff")])
        let plain = await runBerth(["diff", "--config", fresh, "--endpoint-url", moto.origin, "--phase", "ecr"], environment: environment)
        #expect(plain.status == 0 && !plain.out.contains("outside any stack"), "\(plain.out)\(plain.err)")
    }

    /// An update refused after the import says that the import stands, with every image, and
    /// how to finish.
    @Test func anUpdateRefusedAfterTheImportSaysTheImportStands() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await Self.repositoryOfOneImage("levee/web", moto: moto, keys: keys)
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let repository = try #require(try await ecr.describeRepositories(names: ["levee/web"]).collect().first)
        let script = ScriptedImport(
            stackName: "levee-web-ecr", logicalID: "Repository", physicalID: "levee/web",
            outputs: ["RepositoryName": "levee/web", "RepositoryArn": repository.repositoryArn, "RepositoryUri": repository.repositoryUri])
        script.refusesUpdate = true
        let proxy = try TestHTTPServer { request in script.answer(request) ?? .forward(port: moto.port ?? 0) }
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "levee")])
        let deploy = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr"]
        let adopted = await runBerth(deploy + ["--adopt", "--yes"], environment: environment)
        #expect(adopted.status != 0, "\(adopted.out)\n\(adopted.err)")
        #expect(
            adopted.out.contains(
                "levee-web-ecr: step 1 of 2 is done (the stack holds repository levee/web as it was, every image kept); "
                    + "step 2 failed: run the same deploy again to update it to Berth's settings, without --adopt"), "\(adopted.out)")
        #expect(adopted.err.contains("AccessDenied"), "\(adopted.err)")
        #expect(try await ecr.describeImages(repository: "levee/web").collect().count == 1)
    }

    /// A phase-1 stack whose first create failed (ROLLBACK_COMPLETE, scripted in front of moto,
    /// which never reaches it) holds no repository: the one that exists is still to be adopted,
    /// and a deploy without --adopt is refused before it deletes anything.
    @Test func aRepositoryBesideAFailedFirstCreateIsStillToBeAdopted() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "keel/web", policy: nil, credentials: keys)
        let failed = """
            <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>\
            <StackName>keel-web-ecr</StackName><StackId>arn:aws:cloudformation:\(Self.region):123456789012:stack/keel-web-ecr/1</StackId>\
            <StackStatus>ROLLBACK_COMPLETE</StackStatus><CreationTime>2026-12-01T10:00:00Z</CreationTime>\
            \(TestHTTPServer.Reply.stackTags(["berth:app": "keel"]))</member></Stacks></DescribeStacksResult>\
            <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>
            """
        let proxy = try TestHTTPServer { request in
            request.form["Action"] == "DescribeStacks" && request.form["StackName"] == "keel-web-ecr"
                ? .respond(status: 200, headers: [("Content-Type", "text/xml")], body: failed) : .forward(port: moto.port ?? 0)
        }
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "keel")])
        let result = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr"], environment: environment)
        #expect(result.status == 2, "\(result.err)")
        #expect(result.out.contains("keel/web exists outside any stack"), "\(result.out)\n\(result.err)")
        let actions = proxy.requests.compactMap { $0.form["Action"] }
        #expect(!actions.contains("DeleteStack") && !actions.contains("CreateChangeSet"), "\(actions)")
    }

    /// A repository kept (DeletionPolicy Retain) when its stack dropped it, or was deleted, keeps
    /// the `aws:cloudformation:stack-name` tag CloudFormation gave it, which no one can remove:
    /// the tag is a hint, checked against that stack's resources, not a refusal for ever. (ECR's
    /// ListTagsForResource is answered here with the tag; moto does not tag through CloudFormation.)
    @Test func aStackNameTagOfAStackThatNoLongerHoldsTheRepositoryDoesNotRefuse() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "bollard/web", policy: nil, credentials: keys)
        let proxy = try TestHTTPServer { request in
            request.headers["x-amz-target"]?.hasSuffix(".ListTagsForResource") == true
                ? .respond(
                    status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"tags":[{"Key":"aws:cloudformation:stack-name","Value":"bollard-legacy"},{"Key":"aws:cloudformation:logical-id","Value":"Registry"}]}"#)
                : .forward(port: moto.port ?? 0)
        }
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "bollard")])
        let result = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr"], environment: environment)
        #expect(result.status == 2, "\(result.err)")
        #expect(result.out.contains("bollard/web exists outside any stack"), "\(result.out)\n\(result.err)")
        #expect(!result.out.contains("already holds it") && !result.err.contains("already holds it"), "\(result.out)\n\(result.err)")
        #expect(proxy.requests.contains { $0.form["Action"] == "ListStackResources" && $0.form["StackName"] == "bollard-legacy" })
    }

    /// An adoption's change set that would make the repository rather than import it (moto's own
    /// answer: it plans `Add`, as CloudFormation does for a name it does not find in the stack's
    /// account and region) is deleted, never executed, and every image stays (it was executed,
    /// and failed on the existing repository). The stack the change set made, which holds
    /// nothing, goes with it: the next deploy starts from no stack, as this one did.
    @Test func anAdoptionThatWouldNotImportTheRepositoryIsNeverExecuted() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await Self.repositoryOfOneImage("capstan/web", moto: moto, keys: keys)
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "capstan")])
        let result = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr", "--adopt", "--yes"],
            environment: environment)
        #expect(result.status == 1, "\(result.out)\n\(result.err)")
        #expect(
            result.err.contains(
                "capstan-web-ecr: the adoption's change set would add the image repository Repository (Add) instead of importing the one that exists "
                    + "(Import): CloudFormation did not find it under that name in the stack's account and region; nothing was changed"),
            "\(result.err)")
        let actions = proxy.requests.compactMap { $0.form["Action"] }
        #expect(actions.contains("CreateChangeSet") && actions.contains("ListChangeSets") && !actions.contains("ExecuteChangeSet"), "\(actions)")
        #expect(actions.last == "DeleteStack", "\(actions)")
        let setup = try MotoHelpers.configuration(moto, region: Self.region, credentials: keys)
        #expect(try await CloudFormationClient(configuration: setup).describeStack("capstan-web-ecr") == nil)
        let ecr = ECRClient(configuration: setup)
        #expect(try await ecr.describeImages(repository: "capstan/web").collect().count == 1)
    }

    @Test func aRepositoryAnotherStackHoldsIsRefusedAndNamed() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let setup = try MotoHelpers.configuration(moto, region: Self.region, credentials: keys)
        let cloudFormation = CloudFormationClient(configuration: setup)
        let template = #"{"Resources":{"Registry":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"harbor/web"}}}}"#
        try await MotoHelpers.createStack(cloudFormation, name: "legacy-registry", templateBody: template)
        let ecr = ECRClient(configuration: setup)
        #expect(try await ecr.describeRepositories(names: ["harbor/web"]).collect().count == 1)

        let config = try configuration(["dev.yaml": Self.environmentFile(app: "harbor")])
        let deploy = ["deploy", "--config", config, "--endpoint-url", "http://127.0.0.1:\(moto.port ?? 0)", "--out", try temporaryDirectory(), "--phase", "ecr"]
        let refused = await runBerth(deploy + ["--adopt", "--yes"], environment: environment)
        #expect(refused.status == 2, "\(refused.out)\n\(refused.err)")
        #expect(refused.err.contains("repository harbor/web cannot be adopted into harbor-web-ecr: stack legacy-registry already holds it"), "\(refused.err)")
        // Listed as held by that stack, not as outside every stack.
        #expect(refused.out.contains("harbor/web (0 images) is held by stack legacy-registry; it cannot be adopted into harbor-web-ecr:"), "\(refused.out)")
        #expect(!refused.out.contains("exists outside any stack"), "\(refused.out)")
        #expect(try await cloudFormation.describeStack("harbor-web-ecr") == nil)
    }

    /// A deploy that would be refused for another app's stack asks for no confirmation first:
    /// without --yes and without a terminal, it is the stack that is named, not the missing --yes.
    @Test func anotherAppsStackIsNamedBeforeAdoptingIsConfirmed() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "berm/web", credentials: keys)
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let template = #"{"Resources":{"Registry":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"berm-legacy/api"}}}}"#
        try await MotoHelpers.createStack(cloudFormation, name: "berm-api-ecr", templateBody: template, tags: [(key: StackTags.appKey, value: "berm-api")])
        let twoServices = Self.environmentFile(app: "berm") + "  api:\n    kind: worker\n    cpu: 256\n    memory: 512\n"
        let config = try configuration(["dev.yaml": twoServices])
        let deploy = ["deploy", "--config", config, "--endpoint-url", "http://127.0.0.1:\(moto.port ?? 0)", "--out", try temporaryDirectory(), "--phase", "ecr"]
        let refused = await runBerth(deploy + ["--adopt"], environment: environment)
        #expect(refused.status == 2, "\(refused.out)\n\(refused.err)")
        #expect(refused.err.contains("berm-api-ecr belongs to app berm-api (its berth:app tag)"), "\(refused.err)")
        #expect(!refused.err.contains("--yes"), "\(refused.err)")
        #expect(try await cloudFormation.describeStack("berm-web-ecr") == nil)
        #expect(try await cloudFormation.getTemplate(stackName: "berm-api-ecr") == template)
    }

    @Test func aRepositoryWhoseEncryptionDiffersIsRefusedAndNamed() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let key = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555"
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "quay/web", kmsKey: key, credentials: keys)
        let config = try configuration(["dev.yaml": Self.environmentFile(app: "quay")])
        let deploy = [
            "deploy", "--config", config, "--endpoint-url", "http://127.0.0.1:\(moto.port ?? 0)", "--out", try temporaryDirectory(), "--phase", "ecr",
        ]
        let refused = await runBerth(deploy + ["--adopt", "--yes"], environment: environment)
        #expect(refused.status == 2, "\(refused.out)\n\(refused.err)")
        #expect(refused.err.contains("repository quay/web cannot be adopted into quay-web-ecr: its encryption is KMS (\(key)) and Berth's template says AES256"), "\(refused.err)")
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        #expect(try await cloudFormation.describeStack("quay-web-ecr") == nil)
    }

    @Test func aPolicyThatBerthsPullPolicyWouldReplaceIsRefusedEvenWhenKept() async throws {
        let (moto, keys, environment) = try await signedMoto()
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "pier/web", policy: Self.policy, credentials: keys)
        // prod lives in another account: phase 1 declares a repository policy that lets it pull.
        let config = try configuration([
            "dev.yaml": Self.environmentFile(app: "pier"),
            "prod.yaml": Self.environmentFile(app: "pier").replacingOccurrences(of: "10.60.0.0/16", with: "10.61.0.0/16") + "account: \"210987654321\"\n",
        ])
        let deploy = [
            "deploy", "--config", config, "--endpoint-url", "http://127.0.0.1:\(moto.port ?? 0)", "--out", try temporaryDirectory(), "--phase", "ecr",
        ]
        let refused = await runBerth(deploy + ["--adopt", "--keep-repository-policy", "--yes"], environment: environment)
        #expect(refused.status == 2, "\(refused.out)\n\(refused.err)")
        #expect(
            refused.err.contains(
                "it has a repository policy, and Berth's template declares its own (pull for the environments' accounts arn:aws:iam::210987654321:root), which would replace it; a policy the template replaces cannot be kept"),
            "\(refused.err)")
        #expect(refused.err.contains("(--keep-repository-policy cannot keep a policy the template replaces); nothing was changed"),
            "\(refused.err)")
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        #expect(try await cloudFormation.describeStack("pier-web-ecr") == nil)
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))

        // Without a policy of its own, the repository gets Berth's, and the listing says so.
        try await MotoHelpers.createRepository(moto, region: Self.region, name: "pier/api", credentials: keys)
        let withAPI = try configuration([
            "prod.yaml": Self.environmentFile(app: "pier").replacingOccurrences(of: "  web:", with: "  api:") + "account: \"210987654321\"\n"
        ])
        let listed = await runBerth(
            ["deploy", "--config", withAPI, "--endpoint-url", "http://127.0.0.1:\(moto.port ?? 0)", "--out", try temporaryDirectory(), "--phase", "ecr"],
            environment: environment)
        #expect(listed.status == 2, "\(listed.out)\n\(listed.err)")
        #expect(listed.out.contains("repository policy: added, letting the environments' accounts pull (arn:aws:iam::210987654321:root)"), "\(listed.out)")
        #expect(try await ecr.getRepositoryPolicy(repository: "pier/api") == nil)
        #expect(try await ecr.getRepositoryPolicy(repository: "pier/web").map(RepositoryAdoptionCommandTests.canonical) == RepositoryAdoptionCommandTests.canonical(Self.policy))
    }

    private static func canonical(_ text: String) -> String {
        (try? JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(text.utf8)), options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? text
    }
}
