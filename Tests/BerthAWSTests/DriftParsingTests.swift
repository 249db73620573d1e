import Foundation
import Testing

@testable import BerthAWS
import BerthTestSupport

/// CloudFormation's drift shapes, as the API reference documents them (moto has none of them).
@Suite struct DriftParsingTests {
    @Test func describeStacksCarriesTheLastDetection() throws {
        let node = try #require(
            try XMLNode.parse(
                Array(
                    """
                    <member><StackName>shop-api-dev</StackName><StackStatus>UPDATE_COMPLETE</StackStatus>\
                    <DriftInformation><StackDriftStatus>DRIFTED</StackDriftStatus>\
                    <LastCheckTimestamp>2026-11-22T10:00:00.000Z</LastCheckTimestamp></DriftInformation></member>
                    """.utf8)))
        let stack = CloudFormationClient.stack(node)
        #expect(stack.drift?.status == "DRIFTED")
        #expect(stack.drift?.lastCheck == Date(timeIntervalSince1970: 1_795_341_600))
        let unchecked = try #require(try XMLNode.parse(Array("<member><StackName>s</StackName></member>".utf8)))
        #expect(CloudFormationClient.stack(unchecked).drift == nil)
        #expect(CloudFormationClient.stack(unchecked).parentID == nil)
    }

    /// A nested stack names its parent (`ParentId`, as the API reference gives it): it takes the
    /// parent's tags, so a look for an environment's stacks by their tags passes it over.
    @Test func aNestedStackNamesItsParent() throws {
        let parent = "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-web-dev/1"
        let node = try #require(
            try XMLNode.parse(
                Array(
                    """
                    <member><StackName>shop-web-dev-Balancing-1A2B</StackName><StackStatus>CREATE_COMPLETE</StackStatus>                    <ParentId>\(parent)</ParentId><RootId>\(parent)</RootId></member>
                    """.utf8)))
        #expect(CloudFormationClient.stack(node).parentID == parent)
    }

    @Test func aDriftAwareChangeSetSaysWhatItReverts() throws {
        let node = try #require(
            try XMLNode.parse(
                Array(
                    """
                    <ResourceChange><Action>Modify</Action><LogicalResourceId>Service</LogicalResourceId>\
                    <ResourceType>AWS::ECS::Service</ResourceType><Replacement>False</Replacement>\
                    <ResourceDriftStatus>MODIFIED</ResourceDriftStatus><Details><member><Target><Attribute>Properties</Attribute>\
                    <Name>DesiredCount</Name><Path>/Properties/DesiredCount</Path><RequiresRecreation>Never</RequiresRecreation>\
                    <BeforeValue>5</BeforeValue><AfterValue>2</AfterValue><AttributeChangeType>Modify</AttributeChangeType>\
                    <Drift><PreviousValue>2</PreviousValue><ActualValue>5</ActualValue></Drift></Target></member></Details></ResourceChange>
                    """.utf8)))
        let change = CloudFormationClient.change(node)
        #expect(change.driftStatus == "MODIFIED")
        #expect(change.revertedProperties.map(\.property) == ["/Properties/DesiredCount"])
        #expect(change.revertedProperties.first?.actual == "5" && change.revertedProperties.first?.after == "2")
        #expect(change.details.map(\.property) == ["DesiredCount"])
    }

    /// A server that answers every page with the same NextToken is refused as a broken pagination,
    /// as every other listing is, not followed forever.
    @Test func resourceDriftsWithARepeatedNextTokenAreRefused() async throws {
        let server = try repeatingPages(
            "<DescribeStackResourceDriftsResponse><DescribeStackResourceDriftsResult><StackResourceDrifts></StackResourceDrifts>"
                + "<NextToken>same</NextToken></DescribeStackResourceDriftsResult></DescribeStackResourceDriftsResponse>")
        defer { server.stop() }
        let cloudFormation = CloudFormationClient(
            configuration: try testConfiguration(endpoint: try #require(Endpoint(url: server.url)), region: "ca-central-1"))
        await #expect(throws: PaginationError.self) {
            try await cloudFormation.describeStackResourceDrifts(stackName: "s", statuses: ["MODIFIED"])
        }
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.form["NextToken"] == "same")
    }
}
