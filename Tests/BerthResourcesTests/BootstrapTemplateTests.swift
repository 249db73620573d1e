import BerthTemplate
import Foundation
import Testing

@testable import BerthResources

/// The bootstrap template: two roles whose rights are exactly what Berth does.
@Suite struct BootstrapTemplateTests {
    private let template = BootstrapTemplate(app: "shop").template

    private func statements(of logicalID: String) -> [JSONValue] {
        template.resource(logicalID)?.properties["Policies"]?.elements?.first?["PolicyDocument"]?["Statement"]?.elements ?? []
    }

    private func actions(of statement: JSONValue) -> [String] {
        statement["Action"]?.stringValue.map { [$0] } ?? statement["Action"]?.elements?.compactMap(\.stringValue) ?? []
    }

    private func resources(of statement: JSONValue) -> [JSONValue] {
        statement["Resource"]?.elements ?? [statement["Resource"] ?? .null]
    }

    /// The IAM service each client file talks to, by the file name's start.
    private static let services = [
        "CloudFormation": "cloudformation", "Stack": "cloudformation", "EC2": "ec2", "ECR": "ecr", "ECS": "ecs", "ElasticLoadBalancing": "elasticloadbalancing",
        "KMS": "kms", "Logs": "logs", "STS": "sts",
    ]

    /// The calls IAM authorizes by another action than their own name (the ECR API reference:
    /// "the IAM principal invoking this operation must have the ecr:BatchGetImage permission").
    private static let authorizedBy = ["ecr:ListImageReferrers": "ecr:BatchGetImage"]

    /// Every action the clients in Sources/BerthAWS/Clients call, as `service:Action`: the
    /// action or operation names they send (`call("DescribeStacks"`, `action: "…"`,
    /// `operation: "…"`, on one line or the next).
    private func clientActions() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent("Sources/BerthAWS/Clients")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        let pattern = try NSRegularExpression(pattern: #"(?:call\(|action:|operation:)\s*"([A-Z][A-Za-z0-9]+)""#)
        var found: Set<String> = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let names = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
                Range(match.range(at: 1), in: text).map { String(text[$0]) }
            }
            guard !names.isEmpty else { continue }
            let service = Self.services.first { file.hasPrefix($0.key) }?.value
            #expect(service != nil, "\(file) calls \(names) of a service the bootstrap test does not know; add it to BootstrapTemplateTests.services")
            for name in names {
                let action = "\(service ?? "?"):\(name)"
                found.insert(Self.authorizedBy[action] ?? action)
            }
        }
        return found
    }

    /// The calls Berth makes only with the credentials of the repositories' account (phase 1),
    /// never with an environment's role, and the one file each is made from.
    private static let repositoriesSideOnly = ["ecr:SetRepositoryPolicy", "ecr:TagResource"]
    private static let repositoriesSideCallers = [
        "setRepositoryPolicy(": "Sources/BerthDeploy/Stack/RepositoryKeeper.swift", "tagResource(": "Sources/BerthDeploy/Stack/RepositoryKeeper.swift",
    ]

    /// `ecr:SetRepositoryPolicy` and `ecr:TagResource` are called from `RepositoryKeeper` alone,
    /// which only a phase-1 stack's deploy makes, with the phase-1 stack's clients
    /// (`AppDeployer.deployOne`).
    @Test func theCallsLeftOutOfTheDeployRoleAreMadeOnlyOnTheRepositoriesSide() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }.filter {
            $0.hasSuffix(".swift") && !$0.hasPrefix("BerthAWS/Clients/")
        }
        for (call, caller) in Self.repositoriesSideCallers {
            let calling = try files.filter { try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8).contains(call) }
            #expect(calling.map { "Sources/" + $0 } == [caller], "\(call) is called from \(calling); the deploy role does not grant it")
        }
        // The keeper that puts back is made in AppDeployer.deployStarted (deployOne's), for a
        // phase-1 stack, with its own clients; the deploy's look before any change makes one
        // that only reads a repository's policy, with the phase-1 stack's clients too.
        let making = try files.filter { !$0.hasSuffix("/RepositoryKeeper.swift") }.filter {
            try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8).contains("RepositoryKeeper(")
        }.sorted()
        #expect(making == ["BerthDeploy/App/AppDeployer+RepositoryRefusals.swift", "BerthDeploy/App/AppDeployer.swift"])
        let look = try String(contentsOf: sources.appendingPathComponent("BerthDeploy/App/AppDeployer+RepositoryRefusals.swift"), encoding: .utf8)
        #expect(look.contains("let clients = try clients(stack.target)") && look.contains("RepositoryKeeper(ecr: clients.ecr,"))
        #expect(!look.contains(".restore(") && !look.contains(".kept("))
        let deployer = try String(contentsOf: sources.appendingPathComponent("BerthDeploy/App/AppDeployer.swift"), encoding: .utf8)
        #expect(deployer.components(separatedBy: "RepositoryKeeper(").count == 2)
        let deployStarted = try #require(deployer.range(of: "private func deployStarted("))
        let body = deployer[deployStarted.upperBound...].prefix(700)
        #expect(body.contains("let clients = try clients(stack.target)"))
        #expect(body.contains("if stack.phase == .ecr, let held = stack.heldRepository {\n            deployment.repositoryKeeper = RepositoryKeeper(ecr: clients.ecr,"), "\(body)")
    }

    /// Drift detection reads each resource with the caller's rights, so the deploy role may read
    /// (describe, get, list) whatever the execution role may change, on the same resources, and
    /// nothing more; ECS's deployment reads name the service too; the execution role may look
    /// log groups up (the log group's handler does) and follow ECS's service deployments.
    @Test func theDeployRoleReadsWhatDriftDetectionReadsAndTheExecutionRoleWhatItsHandlersCall() throws {
        let deploy = statements(of: "DeployRole")
        let execution = statements(of: "CloudFormationExecutionRole")
        let reads = deploy.filter { ($0["Sid"]?.stringValue ?? "").hasPrefix("DriftReads") }
        #expect(!reads.isEmpty)
        for statement in reads {
            #expect(actions(of: statement).allSatisfy { action in
                let name = action.split(separator: ":").last ?? ""
                return name.hasPrefix("Describe") || name.hasPrefix("Get") || name.hasPrefix("List")
            }, "\(statement)")
            // Each on exactly the resources the execution role names for it.
            for action in actions(of: statement) {
                let source = try #require(execution.first { actions(of: $0).contains(action) })
                #expect(resources(of: source) == resources(of: statement), "\(action)")
            }
        }
        let deployGrants = deploy.flatMap(actions)
        for action in ["cloudformation:ListStacks", "cloudformation:DetectStackResourceDrift", "ec2:DescribeVpcs", "iam:GetRole", "logs:DescribeLogGroups", "elasticloadbalancing:DescribeRules"] {
            #expect(deployGrants.contains(action), "\(action)")
        }
        #expect(!deployGrants.contains { ["Create", "Delete", "Put", "Update", "Modify", "Tag", "Untag"].contains(where: ($0.split(separator: ":").last ?? "").hasPrefix) && !$0.hasPrefix("cloudformation:") })
        let deployments = try #require(deploy.first { $0["Sid"] == "ReadTheAppsDeployments" })
        #expect(resources(of: deployments).contains(["Fn::Sub": "arn:${AWS::Partition}:ecs:*:${AWS::AccountId}:service/shop-*"]))
        let executionGrants = execution.flatMap(actions)
        for action in ["logs:DescribeLogGroups", "ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments", "ecs:StopServiceDeployment"] {
            #expect(executionGrants.contains(action), "\(action)")
        }
    }

    /// IAM refuses a role whose inline policies hold more than 10,240 characters (whitespace
    /// not counted): each role's, with the longest app name and account ID filled in, stays under.
    @Test func eachRolesPoliciesFitIAMsLimit() throws {
        let long = BootstrapTemplate(app: String(repeating: "a", count: 32)).template
        for role in ["DeployRole", "CloudFormationExecutionRole"] {
            let policies = long.resource(role)?.properties["Policies"]?.elements?.compactMap { $0["PolicyDocument"] } ?? []
            #expect(!policies.isEmpty)
            let text = policies.map { $0.jsonText(pretty: false) }.joined()
                .replacingOccurrences(of: "${AWS::Partition}", with: "aws-us-gov").replacingOccurrences(of: "${AWS::AccountId}", with: "123456789012")
            #expect(text.filter { !$0.isWhitespace }.count < 10_240, "\(role): \(text.count)")
        }
    }

    @Test func theDeployRoleAllowsExactlyTheCallsTheClientsMake() throws {
        let called = try clientActions()
        // Sanity: the scan sees the calls of every client.
        for action in ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "ecs:RunTask", "ecr:DescribeImages", "logs:FilterLogEvents", "ec2:DescribeSubnets"] {
            #expect(called.contains(action), "the scan of the clients missed \(action)")
        }
        // STS is exempt: AssumeRole runs with the caller's own credentials, GetCallerIdentity needs no right.
        // So are the calls made only on the repositories' side, with the caller's own credentials.
        let expected = called.filter { !$0.hasPrefix("sts:") && !Self.repositoriesSideOnly.contains($0) }
        #expect(Set(BootstrapTemplate.deployRoleActions) == expected, """
            the deploy role and the clients differ: missing \(expected.subtracting(BootstrapTemplate.deployRoleActions).sorted()), \
            not called \(Set(BootstrapTemplate.deployRoleActions).subtracting(expected).sorted()); keep BootstrapTemplate.deployActions equal to the clients' calls
            """)
        // The role's statements grant each of them, and nothing else but passing roles and what
        // CloudFormation needs of the caller for those calls: ListStacks for DescribeStacks
        // without a name, and drift detection's reads of the resources.
        let granted = statements(of: "DeployRole").flatMap(actions)
        let driftReads = BootstrapTemplate(app: "shop").driftReadStatements.flatMap(\.actions)
        let onBehalf = Set(BootstrapTemplate.cloudFormationOnBehalf + BootstrapTemplate.driftOnStacks + driftReads)
        #expect(onBehalf.isDisjoint(with: expected))
        #expect(Set(granted.filter { $0 != "iam:PassRole" }) == expected.union(onBehalf))
        #expect(granted.filter { $0 != "iam:PassRole" }.count == expected.count + onBehalf.count, "an action is granted twice")
    }

    @Test func theDeployRoleIsScopedToTheAppsStacksAndPassesOnlyItsRoles() throws {
        let statements = statements(of: "DeployRole")
        let change = try #require(statements.first { $0["Sid"] == "ChangeTheAppsStacks" })
        #expect(resources(of: change) == [Intrinsic.sub("arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:stack/shop-*/*").templateValue])
        #expect(actions(of: change).contains("cloudformation:DeleteStack"))
        let passes = statements.filter { actions(of: $0) == ["iam:PassRole"] }
        #expect(passes.count == 2)
        let toCloudFormation = try #require(passes.first { $0["Sid"] == "PassTheExecutionRoleToCloudFormation" })
        #expect(resources(of: toCloudFormation) == [Intrinsic.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/berth-shop-cfn-exec").templateValue])
        #expect(toCloudFormation["Condition"] == ["StringEquals": ["iam:PassedToService": "cloudformation.amazonaws.com"]])
        let toTasks = try #require(passes.first { $0["Sid"] == "PassTheAppsTaskRoles" })
        #expect(toTasks["Condition"] == ["StringEquals": ["iam:PassedToService": "ecs-tasks.amazonaws.com"]])
        // Every unscoped statement only reads (describes, gets, lists), or lists within the app's clusters.
        for statement in statements where resources(of: statement) == ["*"] {
            #expect(
                actions(of: statement).allSatisfy { $0.contains(":Describe") || $0.contains(":List") || $0.contains(":Get") || $0.contains(":BatchDescribe") },
                "\(statement)")
        }
        #expect(template.resource("DeployRole")?.properties["RoleName"] == "berth-shop-deploy")
    }

    @Test func theDeployRoleTrustsTheTrustedAccountWithTheExternalIDWhenGiven() {
        let trust = template.resource("DeployRole")?.properties["AssumeRolePolicyDocument"]?["Statement"]?.elements?.first
        let choice = trust?["Fn::If"]?.elements ?? []
        #expect(choice.first == "HasExternalId")
        let principal: JSONValue = ["AWS": Intrinsic.sub("arn:${AWS::Partition}:iam::${TrustedAccount}:root").templateValue]
        #expect(choice.dropFirst().allSatisfy { $0["Principal"] == principal && $0["Action"] == "sts:AssumeRole" })
        #expect(choice.count == 3 && choice[1]["Condition"] == ["StringEquals": ["sts:ExternalId": ["Ref": "ExternalId"]]])
        #expect(choice.count == 3 && choice[2]["Condition"] == nil)
        #expect(template.conditions.first?.value == ["Fn::Not": [["Fn::Equals": [["Ref": "ExternalId"], ""]]]])
        #expect(template.parameters.map(\.name) == ["TrustedAccount", "ExternalId", "PermissionsBoundary"])
        #expect(template.parameters.first?.value.allowedPattern == "^[0-9]{12}$")
        #expect(template.parameters.dropFirst().allSatisfy { $0.value.defaultValue == "" })
    }

    @Test func theExecutionRoleIsCloudFormationsAndChangesOnlyTheAppsRoles() {
        let role = template.resource("CloudFormationExecutionRole")
        #expect(role?.properties["RoleName"] == "berth-shop-cfn-exec")
        #expect(role?.properties["AssumeRolePolicyDocument"]?["Statement"]?.elements?.first?["Principal"] == ["Service": "cloudformation.amazonaws.com"])
        let statements = statements(of: "CloudFormationExecutionRole")
        let roles = Intrinsic.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/shop-*").templateValue
        let serviceLinked = Intrinsic.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/*").templateValue
        for statement in statements where actions(of: statement).contains(where: { $0.hasPrefix("iam:") }) {
            #expect(resources(of: statement).allSatisfy { $0 == roles || $0 == serviceLinked }, "\(statement)")
            #expect(actions(of: statement).allSatisfy { $0.hasPrefix("iam:") })
        }
        // What Berth's templates create, every type of them.
        let granted = Set(statements.flatMap(actions))
        for action in [
            "ecs:CreateService", "ecs:RegisterTaskDefinition", "elasticloadbalancing:CreateLoadBalancer", "ec2:CreateVpc",
            "ec2:AuthorizeSecurityGroupIngress", "logs:CreateLogGroup", "application-autoscaling:PutScalingPolicy",
            "scheduler:CreateSchedule", "events:PutRule", "servicediscovery:CreateHttpNamespace", "iam:CreateRole", "cloudwatch:PutMetricAlarm",
            "ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", "route53:AssociateVPCWithHostedZone",
        ] {
            #expect(granted.contains(action), "\(action)")
        }
        #expect(!granted.contains { $0.hasSuffix(":*") || $0 == "*" })
        // The repositories are phase 1's, deployed with the caller's own rights, never with this
        // role (PlannedStack.cloudFormationRoleArn): it may not touch a repository nor its key.
        #expect(!granted.contains { $0.hasPrefix("ecr:") || $0.hasPrefix("kms:") }, "\(granted.sorted())")
        let skipped = role?.metadata?["checkov"]?["skip"]?.elements ?? []
        #expect(skipped.map { $0["id"] } == ["CKV_AWS_111"] && skipped.allSatisfy { ($0["comment"]?.stringValue ?? "").count > 40 })
    }

    @Test func theOutputsAreBothRolesARNs() {
        #expect(template.outputs.map(\.name) == ["DeployRoleArn", "CloudFormationExecutionRoleArn"])
        #expect(template.outputs.map(\.value.value) == [["Fn::GetAtt": ["DeployRole", "Arn"]], ["Fn::GetAtt": ["CloudFormationExecutionRole", "Arn"]]])
        #expect(template.validate().isEmpty)
        #expect(BootstrapTemplate.fileName(app: "shop", fileExtension: "json") == "bootstrap/shop-bootstrap.template.json")
    }
}
