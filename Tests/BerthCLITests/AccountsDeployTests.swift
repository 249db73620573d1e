import BerthModel
import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// Environments in other accounts, against a real moto server: moto keeps accounts apart by the
/// credentials AssumeRole returns, so the stacks an environment's role deploys live in its
/// account, not the caller's (moto's default, 123456789012). Each test has a region of its own.
@Suite struct AccountsDeployTests {
    private static let caller = "123456789012"
    private static let target = "210987654321"
    private static let role = "arn:aws:iam::\(target):role/berth-deploy"

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDACCOUNTS", "AWS_SECRET_ACCESS_KEY": "accounts-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    private static func environmentFile(region: String, extra: String) -> String {
        """
        app: ledger
        region: \(region)
        \(extra)
        services:
          api:
            kind: backend
            cpu: 256
            memory: 512

        """
    }

    /// The names of the app's stacks the credentials see in `region` (other suites share regions).
    private func stacks(_ moto: Endpoint, region: String, credentials: Credentials) async throws -> Set<String> {
        let configuration = try MotoHelpers.configuration(moto, region: region, credentials: credentials)
        return Set(try await CloudFormationClient(configuration: configuration).describeStacks().collect().map(\.name).filter { $0.hasPrefix("ledger-") })
    }

    @Test func anEnvironmentsStacksLandInTheAccountOfItsRole() async throws {
        let moto = try await MotoServer.open.endpoint()
        // The environment in one region, the repositories in another: pulled across regions.
        let region = "ap-southeast-3"
        let repositories = "ap-southeast-4"
        let config = try configuration([
            "prod.yaml": Self.environmentFile(
                region: region,
                extra: "account: \"\(Self.target)\"\nroleArn: \(Self.role)\nexternalId: ledger-prod\nrepositories: {region: \(repositories)}"),
        ])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]

        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        let tag = "prod-20261201-100000-aaaaaaaa"
        try await MotoHelpers.putImage(
            moto, region: repositories, repository: "ledger/api", tag: tag, digest: "sha256:" + String(repeating: "a", count: 64))

        // moto's CloudFormation does not apply a repository's RepositoryPolicyText: until the
        // policy is there, the gate refuses, as it must when phase 1 has not granted the
        // environment's account pull yet, and nothing is changed in that account.
        let ungranted = await runBerth(base + ["--phase", "ecs", "--env", "prod", "--image-tag", tag], environment: credentials())
        #expect(ungranted.status == 3, "\(ungranted.out)\n\(ungranted.err)")
        #expect(
            ungranted.err.contains(
                "repository ledger/api does not let account \(Self.target) pull its images (it has no repository policy), so the service's tasks there "
                    + "could not start; deploy --phase ecr first"), "\(ungranted.err)")
        let assumer = STSClient(configuration: try MotoHelpers.configuration(moto, region: region))
        #expect(try await stacks(moto, region: region, credentials: try await assumer.assumeRole(roleArn: Self.role, sessionName: "test-reader")).isEmpty)
        // The policy phase 1's template declares, set as CloudFormation sets it on AWS.
        let repositorySide = try MotoHelpers.configuration(moto, region: repositories)
        let declared = try JSONValue.parseJSON(
            try await CloudFormationClient(configuration: repositorySide).getTemplate(stackName: "ledger-api-ecr"), file: "ecr")
        let policy = try #require(declared["Resources"]?["Repository"]?["Properties"]?["RepositoryPolicyText"])
        try await ECRClient(configuration: repositorySide).setRepositoryPolicy(repository: "ledger/api", policyText: policy.jsonText(pretty: false))

        let phaseTwo = await runBerth(base + ["--phase", "ecs", "--env", "prod", "--image-tag", tag], environment: credentials())
        #expect(phaseTwo.status == 0, "\(phaseTwo.err)")
        #expect(!phaseTwo.out.contains("accounts-secret-never-printed") && !phaseTwo.err.contains("accounts-secret-never-printed"))
        #expect(phaseTwo.out.contains("prod: as role arn:aws:iam::\(Self.target):role/"), "\(phaseTwo.out)")
        #expect(phaseTwo.out.contains("(session berth-ledger-prod), in account \(Self.target)"), "\(phaseTwo.out)")

        // Berth assumed the role with a session that names it and the environment, and the external ID.
        let assumed = proxy.requests.filter { $0.text.contains("Action=AssumeRole") }
        #expect(!assumed.isEmpty)
        #expect(assumed.allSatisfy { $0.text.contains("RoleSessionName=berth-ledger-prod") && $0.text.contains("ExternalId=ledger-prod") })

        // The environment's stacks are in the role's account; the repository's in the caller's.
        let sts = STSClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let roleCredentials = try await sts.assumeRole(roleArn: Self.role, sessionName: "test-reader")
        let inTarget = try await stacks(moto, region: region, credentials: roleCredentials)
        let caller = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
        #expect(inTarget == ["ledger-prod", "ledger-api-prod"])
        #expect(try await stacks(moto, region: region, credentials: caller).isEmpty)
        #expect(try await stacks(moto, region: repositories, credentials: roleCredentials).isEmpty)
        #expect(try await stacks(moto, region: repositories, credentials: caller) == ["ledger-api-ecr"])

        // The service pulls its image from the repositories' region, by the digest the gate pinned.
        let service = try await CloudFormationClient(
            configuration: try MotoHelpers.configuration(moto, region: region, credentials: roleCredentials)
        ).describeStack("ledger-api-prod")
        let uri = service?.parameters.values.first { $0.contains(".dkr.ecr.") }
        #expect(uri?.contains(".dkr.ecr.\(repositories).") == true, "\(service?.parameters ?? [:])")

        // The repository policy lets the environment's account pull, and only pull.
        let setup = try MotoHelpers.configuration(moto, region: repositories)
        let template = try JSONValue.parseJSON(
            try await CloudFormationClient(configuration: setup).getTemplate(stackName: "ledger-api-ecr"), file: "ecr")
        let statement = template["Resources"]?["Repository"]?["Properties"]?["RepositoryPolicyText"]?["Statement"]?.elements?.first
        #expect(statement?["Principal"]?["AWS"] == .array([.string("arn:aws:iam::\(Self.target):root")]))
        #expect(statement?["Action"] == ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])

        // status reads the environment with the role too.
        let status = await runBerth(
            ["status", "--config", config, "--endpoint-url", proxy.url, "--env", "prod"], environment: credentials())
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.contains("ledger-api-prod"), "\(status.out)")
    }

    /// status compares the running digest with what the tag points to now in the repository:
    /// read where the repository is (its region, its side's credentials), not in the environment's
    /// region, where ECR has no such repository.
    @Test func statusReadsTheTagInTheRepositoriesRegion() async throws {
        let moto = try await MotoServer.open.endpoint()
        let region = "ap-northeast-3"
        let repositories = "ap-south-2"
        let config = try configuration([
            "prod.yaml": Self.environmentFile(region: region, extra: "repositories: {region: \(repositories)}")
                .replacingOccurrences(of: "    memory: 512\n", with: "    memory: 512\n    mutableTags: [prod-latest]\n")
        ])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        try await MotoHelpers.putImage(
            moto, region: repositories, repository: "ledger/api", tag: "prod-latest", digest: "sha256:" + String(repeating: "b", count: 64))
        // A tag that can move: its digest is pinned, so the service runs image@digest.
        let phaseTwo = await runBerth(
            base + ["--phase", "ecs", "--env", "prod", "--image-tag", "prod-latest", "--allow-mutable-tag"], environment: credentials())
        #expect(phaseTwo.status == 0, "\(phaseTwo.err)")
        let status = await runBerth(["status", "--config", config, "--endpoint-url", proxy.url, "--env", "prod"], environment: credentials())
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.contains("ledger-api-prod"), "\(status.out)")
    }

    /// A service stack not deployed yet takes its repository from the phase-1 stack's output,
    /// read where that stack is (the repositories' region), as a deploy reads it. moto reports no
    /// outputs for a stack made by a change set, so the proxy answers DescribeStacks of the
    /// phase-1 stack in the repositories' region (and there only) with them, as the API reference
    /// gives them; everything else is moto's.
    @Test func diffOfAStackNotDeployedReadsTheRepositoryWhereItIs() async throws {
        let moto = try await MotoServer.open.endpoint()
        let region = "ap-southeast-4"
        let repositories = "ap-southeast-5"
        let config = try configuration(["prod.yaml": Self.environmentFile(region: region, extra: "repositories: {region: \(repositories)}")])
        let phaseOne = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory(), "--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        let uri = "\(Self.caller).dkr.ecr.\(repositories).amazonaws.com/ledger/api"
        let proxy = try TestHTTPServer { request in
            guard request.form["Action"] == "DescribeStacks", request.form["StackName"] == "ledger-api-ecr",
                request.headers["authorization"]?.contains("/\(repositories)/cloudformation/") == true
            else { return .forward(port: moto.port ?? 0) }
            return .queryResult(
                "DescribeStacks",
                "<Stacks><member><StackName>ledger-api-ecr</StackName>"
                    + "<StackId>arn:aws:cloudformation:\(repositories):\(Self.caller):stack/ledger-api-ecr/1</StackId>"
                    + "<StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-12-06T10:00:00Z</CreationTime><Outputs>"
                    + "<member><OutputKey>RepositoryUri</OutputKey><OutputValue>\(uri)</OutputValue></member>"
                    + "<member><OutputKey>RepositoryName</OutputKey><OutputValue>ledger/api</OutputValue></member></Outputs>"
                    + TestHTTPServer.Reply.stackTags(["berth:app": "ledger", "berth:phase": "ecr", "berth:service": "api"]) + "</member></Stacks>")
        }
        let diff = await runBerth(
            ["diff", "--config", config, "--endpoint-url", proxy.url, "--env", "prod", "--image-tag", "prod-20261206-100000-abcdef12"],
            environment: credentials())
        #expect(diff.status == 0, "\(diff.err)")
        #expect(diff.out.contains("\nimage: \(uri):prod-20261206-100000-abcdef12\n"), "\(diff.out)")
    }

    @Test func anAccountTheCredentialsAreNotInIsRefusedBeforeAnyChange() async throws {
        let moto = try await MotoServer.open.endpoint()
        let region = "me-central-1"
        let config = try configuration(["prod.yaml": Self.environmentFile(region: region, extra: "account: \"\(Self.target)\"")])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let refused = await runBerth(
            ["deploy", "--phase", "ecs", "--env", "prod", "--image-tag", "prod-20261201-100000-aaaaaaaa", "--config", config,
             "--endpoint-url", proxy.url, "--out", try temporaryDirectory()],
            environment: credentials())
        #expect(refused.status == 2, "\(refused.err)")
        #expect(refused.err.contains("prod.yaml:3:10: account: environment prod is in account \(Self.target), and the current credentials"), "\(refused.err)")
        #expect(refused.err.contains("are in account \(Self.caller); use credentials of account \(Self.target) (a profile of that account, AWS_PROFILE), or add roleArn"))
        #expect(proxy.requests.contains { $0.text.contains("Action=GetCallerIdentity") })
        #expect(!proxy.requests.contains { $0.text.contains("Action=CreateChangeSet") || $0.text.contains("Action=CreateStack") })
        let caller = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
        #expect(try await stacks(moto, region: region, credentials: caller).isEmpty)
    }

    /// A role STS refuses to let the caller assume is said at its roleArn (with account
    /// beside it, it was said at account's line), and nothing is changed.
    @Test func aRoleThatCannotBeAssumedIsSaidAtItsKey() async throws {
        let moto = try await MotoServer.open.endpoint()
        let region = "ap-east-1"
        let config = try configuration([
            "prod.yaml": Self.environmentFile(region: region, extra: "account: \"\(Self.target)\"\nroleArn: \(Self.role)")
        ])
        // STS's answer to a caller the role's trust policy does not name (the API reference's AccessDenied).
        let denied = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error></ErrorResponse>"
        let proxy = try TestHTTPServer { request in
            request.form["Action"] == "AssumeRole" ? .respond(status: 403, headers: [("Content-Type", "text/xml")], body: denied) : .forward(port: moto.port ?? 0)
        }
        let refused = await runBerth(
            ["deploy", "--phase", "ecs", "--env", "prod", "--image-tag", "prod-20261201-100000-aaaaaaaa", "--config", config,
             "--endpoint-url", proxy.url, "--out", try temporaryDirectory()],
            environment: credentials())
        #expect(refused.status == 2, "\(refused.err)")
        #expect(refused.err.contains("prod.yaml:4:10: roleArn: cannot assume \(Self.role): AccessDenied"), "\(refused.err)")
        #expect(!proxy.requests.contains { $0.form["Action"] == "CreateChangeSet" || $0.form["Action"] == "CreateStack" })
    }

    @Test func theRepositoriesAccountIsCheckedBeforePhaseOne() async throws {
        let moto = try await MotoServer.open.endpoint()
        let region = "il-central-1"
        let config = try configuration([
            "prod.yaml": Self.environmentFile(region: region, extra: "repositories: {account: \"\(Self.target)\", region: \(region)}")
        ])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let refused = await runBerth(
            ["deploy", "--phase", "ecr", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()],
            environment: credentials())
        #expect(refused.status == 2, "\(refused.err)")
        #expect(refused.err.contains("repositories.account: the repositories are in account \(Self.target)"), "\(refused.err)")
        let caller = Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test")
        #expect(try await stacks(moto, region: region, credentials: caller).isEmpty)
        // Reading the environment needs no credentials of the repositories' account: status
        // notes the tag it could not read there; logs and history read nothing there.
        let read = ["--config", config, "--endpoint-url", proxy.url, "--env", "prod"]
        let status = await runBerth(["status"] + read, environment: credentials())
        #expect(status.status == 0, "\(status.out)\n\(status.err)")
        #expect(status.out.contains("prod api: not deployed"), "\(status.out)")
        let logs = await runBerth(["logs", "--since", "5m"] + read, environment: credentials())
        #expect(!logs.err.contains("repositories.account"), "\(logs.err)")
        #expect(logs.err.contains("not deployed") || logs.status == 0, "logs got past the credentials' check: \(logs.status) \(logs.err)")
        let history = await runBerth(["history"] + read, environment: credentials())
        #expect(!history.err.contains("repositories.account") && (history.status == 0 || history.err.contains("not deployed")), "\(history.status) \(history.err)")
        let images = await runBerth(["images", "--config", config, "--endpoint-url", proxy.url], environment: credentials())
        #expect(images.status == 2 && images.err.contains("repositories.account: the repositories are in account \(Self.target)"), "\(images.err)")
    }

    @Test func regionIsRefusedWhenEnvironmentsAreInSeveralRegions() async throws {
        let repositories = "repositories: {region: eu-west-1}"
        let config = try configuration([
            "dev.yaml": Self.environmentFile(region: "eu-west-1", extra: repositories),
            "prod.yaml": Self.environmentFile(region: "us-east-1", extra: repositories),
        ])
        let result = await runBerth(
            ["status", "--config", config, "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:9"], environment: credentials())
        #expect(result.status == 2, "\(result.err)")
        #expect(result.err.contains("--region eu-west-1: the app's stacks are in eu-west-1, us-east-1"), "\(result.err)")
    }

    @Test func theSessionNameSaysBerthTheAppAndTheEnvironmentWithinSTSLimits() {
        #expect(AssumeRoleCredentialSource.sessionName(app: "ledger", environment: "prod") == "berth-ledger-prod")
        let long = AssumeRoleCredentialSource.sessionName(app: String(repeating: "a", count: 32), environment: String(repeating: "b", count: 32))
        #expect(long.utf8.count == 64 && long.hasPrefix("berth-aaaa"))
    }

    @Test func assumedCredentialsAreAssumedAgainBeforeTheyExpire() async throws {
        let moto = try await MotoServer.open.endpoint()
        let start = Date()
        let clock = TestClock(start)
        let sts = STSClient(configuration: try MotoHelpers.configuration(moto, region: "eu-south-2"))
        let source = AssumeRoleCredentialSource(roleArn: Self.role, sessionName: "berth-ledger-prod", externalID: nil, sts: sts)
        let chain = CredentialChain(sources: [source], now: { clock.now })
        let first = try await chain.credentials()
        let expiration = try #require(first.expiration)
        #expect(expiration > start)
        clock.now = expiration.addingTimeInterval(-301)
        #expect(try await chain.credentials().accessKeyID == first.accessKeyID)
        clock.now = expiration.addingTimeInterval(-299)
        let renewed = try await chain.credentials()
        #expect(renewed.accessKeyID != first.accessKeyID)
    }
}

/// A clock a test moves by hand.
private final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ value: Date) { self.value = value }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
