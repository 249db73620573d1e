extension SharedEnvironment {
    /// Everything about the environment's shared settings that AWS would reject. Locations are
    /// the keys as environment files spell them (`network.cidr`).
    public func validate() -> [(location: String, message: String)] {
        var problems: [(String, String)] = []
        switch environment.network {
        case .newVPC(let cidr):
            if let block = IPv4Block(cidr) {
                if !(16...27).contains(block.prefixLength) { problems.append(("network.cidr", "must be a /16 to /27 block, got \(cidr)")) }
            } else {
                problems.append(("network.cidr", "must be an IPv4 CIDR block such as 10.0.0.0/16, got \"\(cidr)\""))
            }
        case .existing(let vpcID, let publicSubnetIDs, let privateSubnetIDs):
            if !vpcID.hasPrefix("vpc-") { problems.append(("network.vpcId", "must be a VPC ID (vpc-…), got \"\(vpcID)\"")) }
            if publicSubnetIDs.count < 2 {
                problems.append(
                    ("network.publicSubnetIds", "a load balancer needs subnets in at least two availability zones; give two or more"))
            }
            for id in publicSubnetIDs + privateSubnetIDs where !id.hasPrefix("subnet-") {
                problems.append(("network", "\"\(id)\" is not a subnet ID (subnet-…)"))
            }
        }
        if let https = environment.https, !(https.certificateArn.hasPrefix("arn:") && https.certificateArn.contains(":acm:")) {
            problems.append(("https.certificateArn", "must be an ACM certificate ARN (arn:aws:acm:…), got \"\(https.certificateArn)\""))
        }
        if (1...10_000).contains(environment.keepImages) == false {
            problems.append(("lifecycle.keepImages", "must be 1 to 10000, got \(environment.keepImages)"))
        }
        return problems
    }
}
