import BerthAWS
import BerthResources

extension ServiceImport {
    /// The environment's network for a service whose tasks run in `taskSubnets` (as EC2
    /// describes them, all in one VPC), beside `vpcSubnets` (every subnet of that VPC), and a
    /// note on how it was worked out; `nil` when it cannot be (no two subnets for the load
    /// balancer), with a note saying what to write.
    static func network(
        assignPublicIP: String?, taskSubnetIDs: [String], taskSubnets: [EC2Client.Subnet], vpcSubnets: [EC2Client.Subnet]
    ) -> (network: EnvironmentSettings.Network?, note: String) {
        let vpcs = Set(taskSubnets.map(\.vpcID))
        let listed = taskSubnetIDs.joined(separator: ", ")
        guard vpcs.count == 1, let vpcID = vpcs.first, Set(taskSubnets.map(\.id)) == Set(taskSubnetIDs) else {
            return (nil, fallbackNote(taskSubnetIDs, assignPublicIP: assignPublicIP, why: "EC2 does not place them in one VPC"))
        }
        if assignPublicIP == "ENABLED" {
            guard taskSubnetIDs.count >= 2 else {
                return (nil, fallbackNote(taskSubnetIDs, assignPublicIP: assignPublicIP, why: "a load balancer needs two subnets", vpcID: vpcID))
            }
            return (
                .existing(vpcID: vpcID, publicSubnetIDs: taskSubnetIDs, privateSubnetIDs: []),
                "network: the tasks run with public IPs in \(listed) of \(vpcID): the file puts the tasks and the load balancer there"
            )
        }
        let publicIDs = vpcSubnets.filter { $0.vpcID == vpcID && $0.mapPublicIPOnLaunch && !taskSubnetIDs.contains($0.id) }.map(\.id).sorted()
        guard publicIDs.count >= 2 else {
            return (
                nil,
                fallbackNote(taskSubnetIDs, assignPublicIP: assignPublicIP, why: "\(vpcID) has fewer than two other subnets that give public IPs, for the load balancer", vpcID: vpcID)
            )
        }
        return (
            .existing(vpcID: vpcID, publicSubnetIDs: publicIDs, privateSubnetIDs: taskSubnetIDs),
            "network: the tasks' subnets \(listed) of \(vpcID) are privateSubnetIds; publicSubnetIds, for the load balancer, are the VPC's other subnets that give public IPs on launch: check them"
        )
    }

    /// What to write by hand when the network cannot be worked out.
    static func fallbackNote(_ subnets: [String], assignPublicIP: String?, why: String, vpcID: String? = nil) -> String {
        let listed = subnets.joined(separator: ", ")
        return "network: the tasks run in subnets \(listed) (public IP \(assignPublicIP ?? "DISABLED")), but \(why); the file makes a new VPC: for theirs, set network: {vpc: existing, vpcId: \(vpcID ?? "<their VPC>"), publicSubnetIds: [<the load balancer's>], privateSubnetIds: [\(listed)]}"
    }
}
