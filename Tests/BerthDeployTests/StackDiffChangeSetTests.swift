import BerthResources
import BerthTemplate
import Testing

@testable import BerthAWS
@testable import BerthDeploy
@testable import BerthDiff

/// A template comparison merged with what a change set said.
@Suite struct StackDiffChangeSetTests {
    private func compare(_ old: JSONValue, _ new: JSONValue) -> StackDiff {
        TemplateComparison(deployed: old, deployedParameters: [:], proposed: new, proposedParameters: [:],
            createOnlyProperties: { ResourceCatalog.createOnlyProperties[$0] }
        ).diff()
    }

    private func template(_ resources: JSONValue) -> JSONValue {
        ["Parameters": [:], "Conditions": [:], "Resources": resources, "Outputs": [:]]
    }

    @Test func theChangeSetsWordWinsForTheResourcesItLists() {
        let old = template(["Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["Port": 80, "HealthCheckPath": "/"]]])
        let new = template(["Group": ["Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": ["Port": 81, "HealthCheckPath": "/h"]]])
        let diff = compare(old, new)
        #expect(diff.resources.first?.replacement == .always)
        let merged = diff.merging([
            ResourceChange(
                action: "Modify", logicalID: "Group", physicalID: "arn", resourceType: "AWS::ElasticLoadBalancingV2::TargetGroup",
                replacement: "Conditional", scope: ["Properties"], details: [("Port", "Conditionally"), ("HealthCheckPath", "Never")]),
            ResourceChange(
                action: "Modify", logicalID: "Service", physicalID: "svc", resourceType: "AWS::ECS::Service", replacement: "False",
                scope: ["Properties"], details: []),
        ])
        #expect(merged.method == .changeSet)
        #expect(merged.resources.map(\.logicalID) == ["Group", "Service"])
        #expect(merged.resources[0].replacement == .conditional)
        #expect(merged.resources[0].changes.map(\.replacement) == [.conditional, .never])
        #expect(merged.resources[1].action == .modify)
        #expect(merged.resources[1].changeSetScope == ["Properties"])
        // An answer without Replacement (moto) keeps the template's classification.
        let silent = diff.merging([
            ResourceChange(action: "Modify", logicalID: "Group", physicalID: nil, resourceType: "", replacement: nil, scope: [], details: [])
        ])
        #expect(silent.resources[0].replacement == .always)
    }}
