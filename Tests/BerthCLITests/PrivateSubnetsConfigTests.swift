import BerthResources
import Testing

@testable import BerthConfig

/// `network: {vpc: new, privateSubnets: …}`: read as given, left to the profile when absent,
/// refused at its file and line when it is not a boolean or sits under an existing VPC.
@Suite struct PrivateSubnetsConfigTests {
    private let head = """
        app: shop
        service: api
        region: eu-west-1
        cpu: 256
        memory: 512

        """

    private func parse(_ text: String) throws(ConfigurationError) -> EnvironmentConfig {
        try EnvironmentConfig.parse(head + text, name: "dev", file: "dev.yaml")
    }

    private func errors(_ text: String) -> [String] { environmentFileErrors(head + text) }

    @Test func theKeyIsReadAsGiven() throws {
        let chosen = try parse("network:\n  vpc: new\n  cidr: \"10.30.0.0/16\"\n  privateSubnets: true\n")
        #expect(chosen.settings.network == .newVPC(cidr: "10.30.0.0/16", privateSubnets: true))
        #expect(chosen.settings.makesPrivateSubnets && !chosen.settings.tasksNeedPublicIP)

        let refused = try parse("network:\n  vpc: new\n  privateSubnets: false\n")
        #expect(refused.settings.network == .newVPC(cidr: "10.0.0.0/16", privateSubnets: false))
        #expect(refused.settings.tasksNeedPublicIP)
    }

    @Test func withoutTheKeyTheProfileDecides() throws {
        let plain = try parse("network:\n  vpc: new\n")
        #expect(plain.settings.network == .newVPC(cidr: "10.0.0.0/16"))
        #expect(plain.settings.tasksNeedPublicIP)
        // The profile's choice holds whether or not the file has a network mapping at all.
        for text in ["controls: control-tower\n", "controls: control-tower\nnetwork:\n  vpc: new\n"] {
            let controlled = try parse(text)
            #expect(controlled.settings.makesPrivateSubnets, "\(text)")
            #expect(!controlled.settings.tasksNeedPublicIP, "\(text)")
        }
    }

    @Test func aWrongValueIsRefusedAtItsLine() {
        #expect(errors("network:\n  vpc: new\n  privateSubnets: sometimes\n") == [
            "dev.yaml:8:19: network.privateSubnets: expected true or false, got \"sometimes\""
        ])
    }

    @Test func anExistingVPCNamesItsSubnetsInstead() {
        let found = errors("""
            network:
              vpc: existing
              vpcId: vpc-0a1b2c3d4e5f60718
              publicSubnetIds: [subnet-0a1b2c3d4e5f60701, subnet-0a1b2c3d4e5f60702]
              privateSubnets: true

            """)
        #expect(found == [
            "dev.yaml:10:3: network.privateSubnets: is for vpc: new; an existing VPC names its tasks' subnets in privateSubnetIds"
        ])
    }

    @Test func initWritesTheKeyBack() {
        var file = EnvironmentFile(app: "shop", region: "eu-west-1", services: [], network: .newVPC(cidr: "10.30.0.0/16", privateSubnets: true))
        #expect(file.text.contains("network:\n  vpc: new\n  cidr: \"10.30.0.0/16\"\n  privateSubnets: true\n"))
        file.network = .newVPC(cidr: "10.30.0.0/16")
        #expect(!file.text.contains("privateSubnets"))
    }
}
