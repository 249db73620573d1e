import BerthResources
import BerthTemplate
import Testing

@testable import BerthDiff

/// The semantic diff: what counts as a change, replacement and its propagation, security tables.
@Suite struct TemplateComparisonTests {
    private func compare(
        _ old: JSONValue?, _ new: JSONValue, oldParameters: [String: String]? = [:], newParameters: [String: String] = [:]
    ) -> StackDiff {
        TemplateComparison(
            deployed: old, deployedParameters: oldParameters, proposed: new, proposedParameters: newParameters,
            createOnlyProperties: { ResourceCatalog.createOnlyProperties[$0] }
        ).diff()
    }

    private func template(_ resources: JSONValue, parameters: JSONValue = [:], conditions: JSONValue = [:], outputs: JSONValue = [:]) -> JSONValue {
        ["Parameters": parameters, "Conditions": conditions, "Resources": resources, "Outputs": outputs]
    }

    private func paths(_ resource: ResourceDiff?) -> [String] {
        resource?.changes.map { $0.path.withoutProperties.description } ?? []
    }

    @Test func keyOrderNumberSpellingAndGetAttFormsAreNotChanges() throws {
        let old = template(["Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["Port": 8080, "VpcId": ["Fn::GetAtt": "Vpc.VpcId"], "Protocol": "HTTP"]]])
        let new = template(["Group": ["Properties": ["Protocol": "HTTP", "VpcId": ["Fn::GetAtt": ["Vpc", "VpcId"]], "Port": "8080"], "Type": "AWS::ElasticLoadBalancingV2::TargetGroup"]])
        let diff = compare(old, new)
        #expect(!diff.hasDifferences)
        #expect(diff.resources.isEmpty)
    }

    /// Spellings CloudFormation reads alike are no change: a DependsOn of one name or a list of
    /// it, an Fn::Sub with no variables, a property set to AWS::NoValue or left out. Text that
    /// differs in its code points is a change, though Swift's strings call it equal (é as one
    /// code point, or e and a combining accent).
    @Test func spellingsCloudFormationReadsAlikeAreNoChangeButCodePointsAre() throws {
        let old = template([
            "Queue": ["Type": "AWS::SQS::Queue", "DependsOn": "Topic", "Properties": ["QueueName": ["Fn::Sub": "${AWS::StackName}-q"], "DelaySeconds": ["Ref": "AWS::NoValue"]]],
            "Topic": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": "café"]],
        ])
        let same = template([
            "Queue": ["Type": "AWS::SQS::Queue", "DependsOn": ["Topic"], "Properties": ["QueueName": ["Fn::Sub": ["${AWS::StackName}-q", [:]]]]],
            "Topic": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": "café"]],
        ])
        #expect(!compare(old, same).hasDifferences, "\(compare(old, same).resources)")
        let decomposed = template([
            "Queue": ["Type": "AWS::SQS::Queue", "DependsOn": "Topic", "Properties": ["QueueName": ["Fn::Sub": "${AWS::StackName}-q"]]],
            "Topic": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": "cafe\u{301}"]],
        ])
        #expect(paths(compare(old, decomposed).resources.first { $0.logicalID == "Topic" }) == ["DisplayName"])
    }

    /// Keys and parameter values are compared by code points too: a key written with `é` as one
    /// code point and then as `e` and a combining accent is another key to CloudFormation (and
    /// to IAM, in a condition), though Swift's dictionaries take the two as one.
    @Test func keysAndParameterValuesDifferByCodePoints() throws {
        func queue(_ key: String) -> JSONValue {
            let policy = JSONValue.object([JSONValue.Member("redrivePermission", "byQueue"), JSONValue.Member(key, "y")])
            return template(["Queue": ["Type": "AWS::SQS::Queue", "Properties": ["RedriveAllowPolicy": policy]]], parameters: ["Name": ["Type": "String"]])
        }
        let composed = queue("tag\u{E9}"), decomposed = queue("tage\u{301}")
        let changes = compare(composed, decomposed).resources.first { $0.logicalID == "Queue" }?.changes ?? []
        // The key that went and the key that came, each with its value on one side only.
        #expect(changes.count == 2, "\(changes)")
        #expect(changes.contains { $0.old == "y" && $0.new == nil } && changes.contains { $0.old == nil && $0.new == "y" })
        #expect(!compare(composed, composed).hasDifferences)
        let values = compare(composed, composed, oldParameters: ["Name": "caf\u{E9}"], newParameters: ["Name": "cafe\u{301}"]).parameterValues
        #expect(values.map(\.name) == ["Name"])
        #expect(compare(composed, composed, oldParameters: ["Name": "caf\u{E9}"], newParameters: ["Name": "caf\u{E9}"]).parameterValues.isEmpty)
    }

    /// An IAM statement whose condition key changes only in its code points is a change in the
    /// IAM table too, as in the resource's own changes.
    @Test func anIAMConditionKeyThatChangesInCodePointsIsAStatementChange() throws {
        func policy(_ key: String) -> JSONValue {
            let condition = JSONValue.object([JSONValue.Member("StringEquals", .object([JSONValue.Member(key, "x")]))])
            return template([
                "Policy": [
                    "Type": "AWS::IAM::Policy",
                    "Properties": ["PolicyName": "p", "Roles": ["r"], "PolicyDocument": ["Statement": [["Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": condition]]]],
                ]
            ])
        }
        let diff = compare(policy("aws:PrincipalTag/\u{E9}quipe"), policy("aws:PrincipalTag/e\u{301}quipe"))
        #expect(diff.iamStatements.map(\.action) == [.add, .remove], "\(diff.iamStatements)")
        #expect(compare(policy("aws:PrincipalTag/\u{E9}quipe"), policy("aws:PrincipalTag/\u{E9}quipe")).iamStatements.isEmpty)
    }

    /// The IAM and security-group tables, and parameter values, cut a value over 4 KiB as the
    /// property changes do, in the text, Markdown and JSON renderings.
    @Test func longValuesInTheSecurityTablesAreShownCut() throws {
        let long = String(repeating: "a", count: 10_000)
        let old = template([:], parameters: ["Name": ["Type": "String"]])
        let new = template(
            [
                "Policy": [
                    "Type": "AWS::IAM::Policy",
                    "Properties": [
                        "PolicyName": "p", "Roles": ["r"],
                        "PolicyDocument": ["Statement": [["Effect": "Allow", "Action": .string("s3:" + long), "Resource": "*", "Condition": ["StringEquals": ["k": .string(long)]]]]],
                    ],
                ],
                "Ingress": ["Type": "AWS::EC2::SecurityGroupIngress", "Properties": ["GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": .string(long)]],
            ], parameters: ["Name": ["Type": "String"]])
        let diff = compare(old, new, oldParameters: ["Name": "old"], newParameters: ["Name": long])
        #expect(diff.iamStatements.count == 1 && diff.securityGroupRules.count == 1 && diff.parameterValues.count == 1)
        var report = StackDiffReport(
            stackName: "shop-dev", region: "eu-west-1", phase: .ecs, environment: "dev", source: .deployed(status: "UPDATE_COMPLETE"), diff: diff)
        // Drift detection answers with whole property values (a policy document).
        report.drift = StackDrift(
            status: "DRIFTED",
            resources: [
                .init(
                    logicalID: "Policy", type: "AWS::IAM::Policy", status: "MODIFIED",
                    differences: [.init(path: "/PolicyDocument", expected: long, actual: long + "b", kind: "NOT_EQUAL")])
            ])
        let document = DiffDocument(reports: [report], securityOnly: false)
        let renderings = [
            DiffText(usesColor: false).render(document), DiffMarkdown.render(document), document.json.jsonText(pretty: false),
        ]
        for rendering in renderings {
            #expect(!rendering.contains(String(repeating: "a", count: JSONValue.displayLimit + 1)), "\(rendering.prefix(200))")
            #expect(rendering.contains("more bytes)"))
        }
    }

    /// A value over 4 KiB is shown cut, saying how much was left out, in the text; the JSON
    /// says its size: YAML aliases can repeat one long value thousands of times.
    @Test func aLongValueIsShownCut() throws {
        let long = String(repeating: "é", count: 3000)
        let diff = compare(template(["Topic": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": .string(long)]]]),
                           template(["Topic": ["Type": "AWS::SNS::Topic", "Properties": ["DisplayName": "short"]]]))
        let report = StackDiffReport(
            stackName: "shop-dev", region: "eu-west-1", phase: .ecs, environment: "dev", source: .deployed(status: "UPDATE_COMPLETE"), diff: diff)
        let document = DiffDocument(reports: [report], securityOnly: false)
        let text = DiffText(usesColor: false).render(document)
        #expect(text.contains("- " + String(repeating: "é", count: 2048) + "… (1904 more bytes)\n"), "\(text.prefix(300))")
        #expect(!text.contains(String(repeating: "é", count: 2049)))
        let json = document.json.jsonText(pretty: false)
        #expect(json.contains("(a value of 6002 bytes of JSON, not shown)") && !json.contains(String(repeating: "é", count: 100)))
    }

    @Test func aServiceThatJoinsServiceConnectGetsACostLineOnceAndInEveryRendering() throws {
        func service(_ connect: JSONValue?) -> JSONValue {
            let properties: JSONValue = connect.map { ["Cluster": "c", "ServiceConnectConfiguration": $0] } ?? ["Cluster": "c"]
            return ["Type": "AWS::ECS::Service", "Properties": properties]
        }
        let before = template(["Service": service(nil), "Other": service(["Enabled": false])])
        let after = template(["Service": service(["Enabled": true, "Namespace": "ns"]), "Other": service(["Enabled": "true"])])
        let joined = compare(before, after)
        #expect(joined.serviceConnectCosts.map(\.service) == ["Service", "Other"])
        let line = try #require(joined.serviceConnectCosts.first?.summary)
        #expect(line.contains("256 more CPU units and 64 MiB more memory per task"))
        // A new stack's services join too; one already in pays nothing new; leaving is no cost.
        #expect(compare(nil, after).serviceConnectCosts.count == 2)
        #expect(compare(after, after).serviceConnectCosts.isEmpty)
        #expect(compare(after, before).serviceConnectCosts.isEmpty)
        let report = StackDiffReport(
            stackName: "shop-api-dev", region: "eu-west-1", phase: .ecs, environment: "dev", source: .deployed(status: "UPDATE_COMPLETE"),
            diff: joined)
        let document = DiffDocument(reports: [report], securityOnly: false)
        #expect(DiffText(usesColor: false).render(document).contains("cost: \(line)\n"))
        #expect(DiffMarkdown.render(document).contains("cost: \(line)\n"))
        // Stacks left behind close the text and the summary, and count as no difference.
        let behind = StackLeftBehind(stack: "shop-mailer-dev", region: "eu-west-1", environment: "dev", service: "mailer", status: "UPDATE_COMPLETE")
        let withLeftBehind = DiffDocument(reports: [], securityOnly: false, leftBehind: [behind])
        #expect(DiffText(usesColor: false).render(withLeftBehind).hasSuffix("\nLeft behind\n\(behind.summary)\n"))
        #expect(DiffMarkdown.render(withLeftBehind).contains("### Left behind\n\n- \(behind.summary)\n"))
        #expect(!withLeftBehind.hasDifferences)
        #expect(DiffDocument(reports: [], securityOnly: false).json["leftBehind"] == nil)
    }

    @Test func shortFormYAMLAndLongFormJSONCompareEqual() throws {
        let yaml = """
            Parameters:
              ImageTag: {Type: String}
            Conditions:
              HasTag: !Not [!Equals [!Ref ImageTag, ""]]
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: ecs-tasks.amazonaws.com}
                        Action: sts:AssumeRole
              Logs:
                Type: AWS::Logs::LogGroup
                Properties:
                  LogGroupName: !Sub "/app/${ImageTag}"
                  RetentionInDays: !If [HasTag, 14, !Ref AWS::NoValue]
                  Tags:
                    - Key: role
                      Value: !GetAtt Role.Arn
                    - Key: zone
                      Value: !Select [0, !GetAZs ""]
                    - Key: joined
                      Value: !Join ["-", [a, !Base64 b, !ImportValue shared]]
            Outputs:
              Arn: {Value: !GetAtt Role.Arn, Condition: HasTag}
            """
        let json = """
            {"Parameters": {"ImageTag": {"Type": "String"}},
             "Conditions": {"HasTag": {"Fn::Not": [{"Fn::Equals": [{"Ref": "ImageTag"}, ""]}]}},
             "Resources": {
               "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {
                 "RetentionInDays": {"Fn::If": ["HasTag", 14, {"Ref": "AWS::NoValue"}]},
                 "LogGroupName": {"Fn::Sub": "/app/${ImageTag}"},
                 "Tags": [{"Key": "role", "Value": {"Fn::GetAtt": ["Role", "Arn"]}},
                          {"Key": "zone", "Value": {"Fn::Select": ["0", {"Fn::GetAZs": ""}]}},
                          {"Key": "joined", "Value": {"Fn::Join": ["-", ["a", {"Fn::Base64": "b"}, {"Fn::ImportValue": "shared"}]]}}]}},
               "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [
                 {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}}}},
             "Outputs": {"Arn": {"Condition": "HasTag", "Value": {"Fn::GetAtt": "Role.Arn"}}}}
            """
        let diff = compare(
            try JSONValue.parseTemplate(yaml, file: "short.yaml"), try JSONValue.parseTemplate(json, file: "long.json"))
        #expect(!diff.hasDifferences, "\(diff)")
        #expect(diff.iamStatements.isEmpty)
    }

    @Test func listsAreComparedElementByElement() {
        let old = template(["Service": ["Type": "AWS::ECS::Service", "Properties": ["LoadBalancers": [["ContainerPort": 80, "ContainerName": "api"], ["ContainerPort": 81]]]]])
        let new = template(["Service": ["Type": "AWS::ECS::Service", "Properties": ["LoadBalancers": [["ContainerPort": 8080, "ContainerName": "api"]]]]])
        let service = compare(old, new).resources.first
        #expect(paths(service) == ["LoadBalancers[0].ContainerPort", "LoadBalancers[1]"])
        #expect(service?.changes[0].old == 80)
        #expect(service?.changes[0].new == 8080)
        #expect(service?.changes[1].new == nil)
        #expect(service?.replacement == Replacement.never)
    }

    @Test func createOnlyPropertiesReplaceAndOthersDoNot() {
        let old = template([
            "Repository": ["Type": "AWS::ECR::Repository", "Properties": ["RepositoryName": "shop/api", "ImageTagMutability": "IMMUTABLE"]],
            "Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["Port": 8080, "HealthCheckPath": "/"]],
        ])
        let new = template([
            "Repository": ["Type": "AWS::ECR::Repository", "Properties": ["RepositoryName": "shop/web", "ImageTagMutability": "IMMUTABLE"]],
            "Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["Port": 8080, "HealthCheckPath": "/health"]],
        ])
        let diff = compare(old, new)
        #expect(diff.resources.map(\.logicalID) == ["Repository", "Group"])
        #expect(diff.resources[0].replacement == .always)
        #expect(diff.resources[0].changes.first?.replacement == .always)
        #expect(diff.resources[1].replacement == .never)
    }

    @Test func nestedCreateOnlyPathsAndWholeObjectsReplace() {
        let old = template(["Repository": ["Type": "AWS::ECR::Repository", "Properties": ["RepositoryName": "a"]]])
        let added = template(["Repository": ["Type": "AWS::ECR::Repository", "Properties": ["RepositoryName": "a", "EncryptionConfiguration": ["EncryptionType": "KMS"]]]])
        #expect(compare(old, added).resources.first?.replacement == .always)
        let typeChange = template(["Repository": ["Type": "AWS::Logs::LogGroup", "Properties": ["RepositoryName": "a"]]])
        #expect(compare(old, typeChange).resources.first?.replacement == .always)
    }

    /// A replaced resource changes the value of every Ref/GetAtt to it; where that is a
    /// create-only property, the referring resource is replaced too, and so on down the chain.
    @Test func replacementPropagatesThroughCreateOnlyReferences() {
        func stack(cidr: String) -> JSONValue {
            template([
                "Vpc": ["Type": "AWS::EC2::VPC", "Properties": ["CidrBlock": .string(cidr)]],
                "Subnet": ["Type": "AWS::EC2::Subnet", "Properties": ["VpcId": ["Ref": "Vpc"], "CidrBlock": "10.0.0.0/24"]],
                "Association": ["Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": ["SubnetId": ["Ref": "Subnet"], "RouteTableId": "rtb-1"]],
                "Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["VpcId": ["Fn::GetAtt": ["Vpc", "VpcId"]], "Port": 80]],
                "Listener": ["Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": ["LoadBalancerArn": "arn:lb", "DefaultActions": [["Type": "forward", "TargetGroupArn": ["Ref": "Group"]]]]],
                "Logs": ["Type": "AWS::Logs::LogGroup", "Properties": ["RetentionInDays": 7]],
            ])
        }
        let diff = compare(stack(cidr: "10.0.0.0/16"), stack(cidr: "10.1.0.0/16"))
        let byID = Dictionary(uniqueKeysWithValues: diff.resources.map { ($0.logicalID, $0) })
        #expect(diff.resources.map(\.logicalID) == ["Vpc", "Subnet", "Association", "Group", "Listener"])
        #expect(byID["Vpc"]?.replacement == .always)
        #expect(byID["Subnet"]?.replacement == .always)
        #expect(byID["Subnet"]?.changes.first?.cause == "Vpc is replaced")
        #expect(byID["Association"]?.replacement == .always)
        #expect(byID["Association"]?.changes.first?.cause == "Subnet is replaced")
        #expect(byID["Group"]?.replacement == .always)
        // The listener's target group is not create-only: updated in place, not replaced.
        #expect(byID["Listener"]?.replacement == .never)
        #expect(paths(byID["Listener"]) == ["DefaultActions[0].TargetGroupArn"])
        #expect(byID["Logs"] == nil)
    }

    @Test func changesFoundThroughReferencesSitInTemplateOrder() {
        func stack(name: String, port: Int) -> JSONValue {
            template([
                "Repository": ["Type": "AWS::ECR::Repository", "Properties": ["RepositoryName": .string(name)]],
                "Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["Name": ["Ref": "Repository"], "Port": .int(port), "Protocol": "HTTP"]],
            ])
        }
        let group = compare(stack(name: "a", port: 80), stack(name: "b", port: 81)).resources.last
        #expect(paths(group) == ["Name", "Port"])
        #expect(group?.changes.map { $0.cause != nil } == [true, false])
    }

    @Test func parameterValueChangesReachTheTaskDefinitionAndTheImageLine() throws {
        let image: JSONValue = ["Fn::If": ["UseDigest", ["Fn::Sub": "${RepositoryUri}@${ImageDigest}"], ["Fn::Sub": "${RepositoryUri}:${ImageTag}"]]]
        let stack = template(
            [
                "Task": ["Type": "AWS::ECS::TaskDefinition", "Properties": ["ContainerDefinitions": [["Name": "api", "Image": image, "Environment": [["Name": "IMAGE_TAG", "Value": ["Ref": "ImageTag"]]]]]]],
                "Service": ["Type": "AWS::ECS::Service", "Properties": ["TaskDefinition": ["Ref": "Task"], "DesiredCount": 1]],
            ],
            parameters: ["RepositoryUri": ["Type": "String"], "ImageTag": ["Type": "String"], "ImageDigest": ["Type": "String", "Default": ""]],
            conditions: ["UseDigest": ["Fn::Not": [["Fn::Equals": [["Ref": "ImageDigest"], ""]]]]])
        let deployed = ["RepositoryUri": "1.dkr.ecr/shop/api", "ImageTag": "dev-1", "ImageDigest": ""]
        let diff = compare(stack, stack, oldParameters: deployed, newParameters: ["ImageTag": "dev-2"])
        #expect(diff.parameterValues == [ParameterValueChange(name: "ImageTag", old: "dev-1", new: "dev-2")])
        #expect(diff.images.map(\.summary) == ["1.dkr.ecr/shop/api:dev-1 → dev-2"])
        #expect(diff.resources.map(\.logicalID) == ["Task", "Service"])
        #expect(diff.resources[0].replacement == .always)
        #expect(paths(diff.resources[0]) == ["ContainerDefinitions[0].Image", "ContainerDefinitions[0].Environment[0].Value"])
        #expect(diff.resources[0].changes.allSatisfy { $0.cause == "ImageTag changes" })
        #expect(diff.resources[1].replacement == .never)
        #expect(diff.resources[1].changes.first?.cause == "Task is replaced")

        // The same tag: nothing at all.
        #expect(!compare(stack, stack, oldParameters: deployed, newParameters: ["ImageTag": "dev-1"]).hasDifferences)
        // A digest flips the condition, and the image line shows it.
        let pinned = compare(stack, stack, oldParameters: deployed, newParameters: ["ImageDigest": "sha256:ab"])
        #expect(pinned.images.map(\.summary) == ["1.dkr.ecr/shop/api:dev-1 → 1.dkr.ecr/shop/api@sha256:ab"])

        // A stack not deployed yet lists its container with what is not known yet as the
        // parameter's name (a diff without --image-tag); the digest's default keeps the tag form.
        #expect(compare(nil, stack, oldParameters: nil).images.map(\.summary) == ["${RepositoryUri}:${ImageTag}"])
        #expect(
            compare(nil, stack, oldParameters: nil, newParameters: ["RepositoryUri": "1.dkr.ecr/shop/api"]).images.map(\.summary)
                == ["1.dkr.ecr/shop/api:${ImageTag}"])
        #expect(compare(nil, stack, oldParameters: nil, newParameters: ["RepositoryUri": "r", "ImageTag": "dev-3"]).images.map(\.summary) == ["r:dev-3"])
    }

    /// A plain variable whose name looks secret, or whose value is a URL with a password, is said
    /// to change, never shown: changed, added with its entry, or within a container changed whole.
    @Test func secretLookingVariablesAreShownChangingNeverTheirValues() {
        func stack(_ environment: [(String, String)]) -> JSONValue {
            let entries = environment.map { JSONValue.object([.init("Name", .string($0.0)), .init("Value", .string($0.1))]) }
            return template(["Task": ["Type": "AWS::ECS::TaskDefinition", "Properties": ["ContainerDefinitions": [["Name": "web", "Image": "web:1", "Environment": .array(entries)]]]]])
        }
        let before = stack([("DB_PASSWORD", "hunter2"), ("LOG_LEVEL", "info"), ("DATABASE_URL", "postgres://app:pw1@db/app")])
        let after = stack([("DB_PASSWORD", "hunter3"), ("LOG_LEVEL", "debug"), ("DATABASE_URL", "postgres://app:pw2@db/app"), ("API_TOKEN", "t0k")])
        let changes = compare(before, after).resources.first?.changes ?? []
        let shown = changes.map { "\($0.path.withoutProperties): \($0.old?.displayText ?? "-") → \($0.new?.displayText ?? "-")" }
        #expect(shown.contains("ContainerDefinitions[0].Environment[0].Value: (withheld: DB_PASSWORD looks like a secret) → (withheld: DB_PASSWORD looks like a secret)"), "\(shown)")
        #expect(shown.contains("ContainerDefinitions[0].Environment[1].Value: info → debug"), "\(shown)")
        #expect(shown.contains("ContainerDefinitions[0].Environment[2].Value: (withheld: DATABASE_URL looks like a secret) → (withheld: DATABASE_URL looks like a secret)"), "\(shown)")
        let rendered = "\(changes)"
        // The entry added shows whole, its value withheld.
        #expect(shown.contains("ContainerDefinitions[0].Environment[3]: - → {\"Name\":\"API_TOKEN\",\"Value\":\"(withheld: API_TOKEN looks like a secret)\"}"), "\(shown)")
        for secret in ["hunter", "pw1", "pw2", "t0k"] { #expect(!rendered.contains(secret), "\(secret): \(rendered)") }
        // Entries that shift under one path are each shown by their own name.
        let shifted = compare(stack([("DB_PASSWORD", "hunter2"), ("LOG_LEVEL", "info")]), stack([("LOG_LEVEL", "info")])).resources.first?.changes ?? []
        let value = shifted.first { "\($0.path.withoutProperties)" == "ContainerDefinitions[0].Environment[0].Value" }
        #expect(value?.old == SecretValues.withheld("DB_PASSWORD") && value?.new == "info", "\(shifted)")
    }

    @Test func noEchoValuesAreNeverComparedNorShownAndKeepTheirDeployedValue() {
        let stack = template(
            ["Db": ["Type": "AWS::Logs::LogGroup", "Properties": ["LogGroupName": ["Ref": "Password"]]]],
            parameters: ["Password": ["Type": "String", "NoEcho": true], "Tag": ["Type": "String"]])
        let comparison = TemplateComparison(
            deployed: stack, deployedParameters: ["Password": "****", "Tag": "a"], proposed: stack, proposedParameters: ["Tag": "b"],
            createOnlyProperties: { ResourceCatalog.createOnlyProperties[$0] })
        let diff = comparison.diff()
        #expect(diff.parameterValues.map(\.name) == ["Tag"])
        #expect(diff.resources.isEmpty)
        #expect(comparison.parameterValues().old["Password"] == nil)
        let sent = comparison.parametersToSend()
        #expect(sent.values.map(\.key) == ["Tag"])
        #expect(sent.values.map(\.value) == ["b"])
        #expect(sent.keepPrevious == ["Password"])
    }

    @Test func aLiteralImageChangeInTheTemplateIsOneLine() {
        func stack(_ image: String) -> JSONValue {
            template(["Task": ["Type": "AWS::ECS::TaskDefinition", "Properties": ["ContainerDefinitions": [["Name": "web", "Image": .string(image)]]]]])
        }
        let diff = compare(stack("nginx:1.25"), stack("nginx:1.27"))
        #expect(diff.images.map(\.summary) == ["nginx:1.25 → 1.27"])
        #expect(diff.resources.first?.replacement == .always)
    }

    @Test func removalDestroysOrOrphansAndAnUndeployedStackIsAllAdded() {
        let old = template([
            "Kept": ["Type": "AWS::ECR::Repository", "DeletionPolicy": "Retain", "Properties": [:]],
            "Gone": ["Type": "AWS::Logs::LogGroup", "Properties": [:]],
        ])
        let new = template([:])
        let diff = compare(old, new)
        #expect(diff.resources.map(\.removal) == [.orphan, .destroy])
        #expect(diff.resources.allSatisfy { $0.action == .remove })

        let fresh = compare(nil, old.setting("Description", "a stack"))
        #expect(!fresh.deployed)
        #expect(fresh.otherChanges.isEmpty)
        #expect(compare(old, old.setting("Description", "a stack")).otherChanges.map(\.path.description) == ["Description"])
        #expect(fresh.resources.map(\.action) == [.add, .add])
        #expect(fresh.parameterValues.isEmpty)
    }

    @Test func iamBroadeningAndNarrowing() {
        func role(_ statements: [JSONValue], managed: [JSONValue] = []) -> JSONValue {
            template([
                "TaskRole": [
                    "Type": "AWS::IAM::Role",
                    "Properties": [
                        "AssumeRolePolicyDocument": ["Statement": [["Effect": "Allow", "Principal": ["Service": "ecs-tasks.amazonaws.com"], "Action": "sts:AssumeRole"]]],
                        "ManagedPolicyArns": .array(managed),
                        "Policies": [["PolicyName": "app", "PolicyDocument": ["Statement": .array(statements)]]],
                    ],
                ]
            ])
        }
        let read: JSONValue = ["Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket/*"]
        let all: JSONValue = ["Effect": "Allow", "Action": "s3:*", "Resource": "*"]
        let deny: JSONValue = ["Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"]
        let broader = compare(role([read]), role([read, all], managed: ["arn:aws:iam::aws:policy/ReadOnlyAccess"])).iamStatements
        #expect(broader.map(\.action) == [.add, .add])
        #expect(broader.allSatisfy { $0.broadening })
        #expect(broader[0].statement.actions == ["s3:*"])
        #expect(broader[0].statement.principals == ["AWS:${TaskRole}"])
        #expect(broader[1].statement.actions == ["(managed policy)"])

        let narrower = compare(role([read, all]), role([read, deny])).iamStatements
        #expect(narrower.map(\.action) == [.add, .remove])
        #expect(narrower.allSatisfy { !$0.broadening })
        #expect(compare(role([read]), role([read])).iamStatements.isEmpty)
    }

    @Test func securityGroupRuleChanges() {
        func groups(_ port: Int, open: Bool) -> JSONValue {
            template([
                "LbGroup": ["Type": "AWS::EC2::SecurityGroup", "Properties": ["GroupDescription": "lb", "SecurityGroupIngress": [["IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": open ? "0.0.0.0/0" : "10.0.0.0/8"]]]],
                "FromLb": ["Type": "AWS::EC2::SecurityGroupIngress", "Properties": ["GroupId": ["Fn::GetAtt": ["AppGroup", "GroupId"]], "IpProtocol": "tcp", "FromPort": .int(port), "ToPort": .int(port), "SourceSecurityGroupId": ["Fn::GetAtt": ["LbGroup", "GroupId"]]]],
            ])
        }
        let changes = compare(groups(8080, open: false), groups(9090, open: true)).securityGroupRules
        #expect(changes.map(\.action) == [.add, .add, .remove, .remove])
        #expect(changes[0].rule == SecurityGroupRule(group: "LbGroup", direction: .ingress, protocolAndPorts: "tcp 80", peer: "0.0.0.0/0"))
        #expect(changes[0].rule.isOpenToTheInternet && changes[0].broadening)
        #expect(changes[1].rule == SecurityGroupRule(group: "AppGroup", direction: .ingress, protocolAndPorts: "tcp 9090", peer: "LbGroup"))
        #expect(changes[3].rule.protocolAndPorts == "tcp 8080")
        #expect(!changes[3].broadening)
    }

    @Test func outputsAndConditionsChangeByDefinitionAndThroughReplacement() {
        func stack(_ name: String, url: String) -> JSONValue {
            template(
                ["Repository": ["Type": "AWS::ECR::Repository", "Properties": ["RepositoryName": .string(name)]]],
                conditions: ["Prod": ["Fn::Equals": [.string(name), "prod"]]],
                outputs: ["Uri": ["Value": ["Fn::GetAtt": ["Repository", "RepositoryUri"]]], "Url": ["Value": .string(url)]])
        }
        let diff = compare(stack("a", url: "http://x"), stack("b", url: "https://x"))
        #expect(diff.conditions.map(\.name) == ["Prod"])
        #expect(diff.outputs.map(\.name) == ["Url", "Uri"])
        #expect(diff.outputs[1].changes.first?.cause == "Repository is replaced")
        #expect(diff.outputs[0].changes.first?.old == "http://x")
    }
}

extension JSONValue {
    /// A copy of this object with `key` set to `value`, added at the end when it is new.
    fileprivate func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        var members = self.members ?? []
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append(Member(key, value))
        }
        return .object(members)
    }
}
