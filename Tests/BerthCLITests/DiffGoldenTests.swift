import BerthTemplate
import BerthDeploy
import Foundation
import BerthResources
import Testing

@testable import BerthConfig
@testable import BerthDiff
@testable import BerthAWS
@testable import BerthCLI
@testable import berth

/// Golden files of `berth diff`'s text, JSON and Markdown for crafted pairs: the deployed side is
/// the sample app's template with one thing changed. Re-record on purpose with
/// `BERTH_RECORD_GOLDEN=1 swift test`, then review the diff.
@Suite struct DiffGoldenTests {
    static let goldenDirectory = repositoryRoot + "/Tests/BerthCLITests/Golden/diff"

    /// What a deployed phase-2 stack of the sample app holds as parameter values.
    static let deployedParameters = [
        "RepositoryUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api", "RepositoryName": "shop/api",
        "ImageTag": "dev-20261122-100000-aaaaaaaa", "ImageDigest": "", "CommitSha": "aaaaaaaa", "BuildTime": "unknown",
        "VpcId": "vpc-0a1b2c3d4e5f60718", "TaskSubnetIds": "subnet-0a1b2c3d4e5f60701,subnet-0a1b2c3d4e5f60702",
        "ClusterName": "shop-dev-Cluster-AbCdEf012345",
        "ListenerArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop-dev/0123456789abcdef/fedcba9876543210",
        "LoadBalancerSecurityGroupId": "sg-0a1b2c3d4e5f60718",
    ]

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let stack: String
        /// Turns the template that would be deployed into the one that is deployed.
        let deployed: @Sendable (JSONValue) -> JSONValue
        var newParameters: [String: String] = [:]

        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no-change", stack: "shop-api-dev", deployed: { $0 }),
        Case(name: "property-change", stack: "shop-api-dev", deployed: { $0.setting(["Resources", "Service", "Properties", "DesiredCount"], to: 3) }),
        Case(
            name: "replace-repository-name", stack: "shop-api-ecr",
            deployed: { $0.setting(["Resources", "Repository", "Properties", "RepositoryName"], to: "shop/api-old") }),
        Case(
            name: "replace-target-group-port", stack: "shop-api-dev",
            deployed: { $0.setting(["Resources", "TargetGroup", "Properties", "Port"], to: 9090) }),
        Case(
            name: "replace-container-image", stack: "shop-api-dev",
            deployed: {
                $0.setting(["Resources", "TaskDefinition", "Properties", "ContainerDefinitions", "0", "Image"], to: "public.ecr.aws/nginx/nginx:1.25")
            }),
        Case(
            name: "remove-retained", stack: "shop-api-ecr",
            deployed: {
                $0.setting(
                    ["Resources", "LegacyRepository"],
                    to: ["Type": "AWS::ECR::Repository", "DeletionPolicy": "Retain", "Properties": ["RepositoryName": "shop/legacy"]])
            }),
        Case(
            name: "iam-broadening", stack: "shop-api-dev",
            deployed: {
                $0.setting(["Resources", "TaskExecutionRole", "Properties", "Policies", "0", "PolicyDocument", "Statement", "1"], to: nil)
            }),
        Case(
            name: "iam-narrowing", stack: "shop-api-dev",
            deployed: { template in
                let policies = template["Resources"]?["TaskRole"]?["Properties"]?["Policies"]?.elements ?? []
                let everything: JSONValue = [
                    "PolicyName": "everything", "PolicyDocument": ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": "s3:*", "Resource": "*"]]],
                ]
                return template.setting(["Resources", "TaskRole", "Properties", "Policies"], to: .array(policies + [everything]))
            }),
        Case(
            name: "security-group-rule", stack: "shop-dev",
            deployed: {
                $0.setting(["Resources", "LoadBalancerSecurityGroup", "Properties", "SecurityGroupIngress", "0", "FromPort"], to: 443)
                    .setting(["Resources", "LoadBalancerSecurityGroup", "Properties", "SecurityGroupIngress", "0", "ToPort"], to: 443)
            }),
        Case(name: "parameter-only-image", stack: "shop-api-dev", deployed: { $0 }, newParameters: ["ImageTag": "dev-20261122-110000-bbbbbbbb"]),
        // A service deployed by a Berth before Service Connect: the cost line, the new parameters,
        // the proxy's configuration and the services group.
        Case(
            name: "join-service-connect", stack: "shop-worker-dev",
            deployed: {
                $0.setting(["Resources", "Service", "Properties", "ServiceConnectConfiguration"], to: nil)
                    .setting(["Resources", "Service", "Properties", "NetworkConfiguration", "AwsvpcConfiguration", "SecurityGroups", "1"], to: nil)
                    .setting(["Parameters", "ServicesSecurityGroupId"], to: nil)
                    .setting(["Parameters", "ServiceConnectNamespace"], to: nil)
            }),
        Case(
            name: "output-change", stack: "shop-dev",
            deployed: {
                $0.setting(["Outputs", "LoadBalancerUrl", "Value"], to: ["Fn::Sub": "https://${LoadBalancer.DNSName}"])
                    .setting(["Outputs", "OldOutput"], to: ["Value": "gone"])
            }),
    ]

    @Test(arguments: cases)
    func diffOutputMatchesTheGoldenFiles(_ pair: Case) throws {
        let app = try SampleApp().makeApp(configuration: Configuration(directory: sampleConfiguration))
        let stack = try #require(app.stacks.first { $0.name == pair.stack })
        let proposed = stack.template.templateValue
        let comparison = TemplateComparison(
            deployed: pair.deployed(proposed), deployedParameters: stack.template.parameters.isEmpty ? [:] : Self.deployedParameters,
            proposed: proposed, proposedParameters: pair.newParameters, createOnlyProperties: DiffCommand.createOnlyProperties)
        let report = StackDiffReport(stack: stack, source: .deployed(status: "UPDATE_COMPLETE"), diff: comparison.diff())
        let document = DiffDocument(reports: [report], securityOnly: false)
        let outputs = [
            "txt": DiffText(usesColor: false).render(document),
            "json": document.json.jsonText(),
            "md": DiffMarkdown.render(document),
        ]
        for (fileExtension, actual) in outputs {
            let path = "\(Self.goldenDirectory)/\(pair.name).\(fileExtension)"
            if SynthGoldenTests.recording {
                try FileManager.default.createDirectory(atPath: Self.goldenDirectory, withIntermediateDirectories: true)
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            #expect(actual == (try readFile(path)), "\(path) differs; re-record with BERTH_RECORD_GOLDEN=1 if the change is intended")
        }
        #expect(document.hasDifferences == (pair.name != "no-change"))
    }

    @Test func whatOnlyTheChangeSetKnowsIsNamed() throws {
        let app = try SampleApp().makeApp(configuration: Configuration(directory: sampleConfiguration))
        let stack = try #require(app.stacks.first { $0.name == "shop-api-dev" })
        let proposed = stack.template.templateValue
        let diff = TemplateComparison(deployed: proposed, proposed: proposed, createOnlyProperties: DiffCommand.createOnlyProperties)
            .diff()
            .merging([
                ResourceChange(
                    action: "Modify", logicalID: "Vpc", physicalID: "vpc-1", resourceType: "AWS::EC2::VPC", replacement: "False",
                    scope: ["Tags"], details: [])
            ])
        let document = DiffDocument(reports: [StackDiffReport(stack: stack, source: .deployed(status: "UPDATE_COMPLETE"), diff: diff)], securityOnly: false)
        let text = DiffText(usesColor: false).render(document)
        #expect(text.contains("Stack shop-api-dev (eu-west-1): 1 to change\n"))
        #expect(text.contains("[~] AWS::EC2::VPC Vpc (CloudFormation: Tags)\n"))
        #expect(document.json["stacks"]?.elements?.first?["method"] == "change-set")
    }

    @Test func coloursOnlyWhenAsked() throws {
        let app = try SampleApp().makeApp(configuration: Configuration(directory: sampleConfiguration))
        let stack = try #require(app.stacks.first { $0.name == "shop-api-dev" })
        let proposed = stack.template.templateValue
        let diff = TemplateComparison(
            deployed: proposed.setting(["Resources", "TargetGroup", "Properties", "Port"], to: 9090), proposed: proposed,
            createOnlyProperties: DiffCommand.createOnlyProperties
        ).diff()
        let document = DiffDocument(reports: [StackDiffReport(stack: stack, source: .deployed(status: "UPDATE_COMPLETE"), diff: diff)], securityOnly: false)
        let coloured = DiffText(usesColor: true).render(document)
        #expect(coloured.contains("\u{1B}[31mreplace\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33m[~]\u{1B}[0m"))
        #expect(!DiffText(usesColor: false).render(document).contains("\u{1B}"))

        #expect(Console.usesColor(isTerminal: true, environment: ["TERM": "xterm-256color"]))
        #expect(!Console.usesColor(isTerminal: true, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"]))
        #expect(!Console.usesColor(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(!Console.usesColor(isTerminal: false, environment: [:]))
    }
}

extension JSONValue {
    /// A copy with the value at `path` (object keys; list indexes as digits) replaced, added, or removed (`nil`).
    func setting(_ path: [String], to newValue: JSONValue?) -> JSONValue {
        guard let key = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        switch self {
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { return self }
            if rest.isEmpty && newValue == nil {
                elements.remove(at: index)
            } else {
                elements[index] = elements[index].setting(rest, to: newValue)
            }
            return .array(elements)
        case .object(var members):
            if let index = members.firstIndex(where: { $0.key == key }) {
                if rest.isEmpty && newValue == nil {
                    members.remove(at: index)
                } else {
                    members[index].value = members[index].value.setting(rest, to: newValue)
                }
            } else if let newValue {
                members.append(Member(key, JSONValue.object([]).setting(rest, to: newValue)))
            }
            return .object(members)
        default:
            return self
        }
    }
}

extension StackDiffReport {
    /// The report of a synthesized stack, as the diff makes it for the stack's plan.
    init(stack: Stack, source: Source, diff: StackDiff) {
        self.init(
            stackName: stack.name, region: stack.region, phase: stack.phase == .ecr ? .ecr : .ecs, environment: stack.environment,
            source: source, diff: diff)
    }
}
