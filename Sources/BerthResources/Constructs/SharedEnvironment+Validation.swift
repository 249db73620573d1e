extension SharedEnvironment {
    /// Everything about the environment's shared settings that AWS would reject, but for the
    /// names and ARNs the environment-file reader refuses as it reads them (`namingProblems`,
    /// which `add(to:)` checks too). Locations are the keys as environment files spell them
    /// (`network.cidr`).
    public func validate() -> [(location: String, message: String)] {
        var problems: [(String, String)] = []
        switch environment.network {
        case .newVPC(let cidr, _):
            if let block = IPv4Block(cidr) {
                if environment.makesPrivateSubnets {
                    if !(16...26).contains(block.prefixLength) {
                        problems.append(
                            ("network.cidr", "must be a /16 to /26 block: it is cut into four subnets of at least a /28 each, two of them private; got \(cidr)"))
                    }
                } else if !(16...27).contains(block.prefixLength) {
                    problems.append(("network.cidr", "must be a /16 to /27 block, got \(cidr)"))
                }
            } else {
                problems.append(("network.cidr", "must be an IPv4 CIDR block such as 10.0.0.0/16, got \"\(cidr)\""))
            }
        case .existing(let vpcID, let publicSubnetIDs, let privateSubnetIDs):
            if !Self.isResourceID(vpcID, prefix: "vpc-") {
                problems.append(("network.vpcId", "must be a VPC ID (vpc- and 8 or 17 hexadecimal digits), got \"\(vpcID)\""))
            }
            if publicSubnetIDs.count < 2 {
                problems.append(
                    ("network.publicSubnetIds", "a load balancer needs subnets in at least two availability zones; give two or more"))
            }
            for (key, list) in [("network.publicSubnetIds", publicSubnetIDs), ("network.privateSubnetIds", privateSubnetIDs)] {
                for (index, id) in list.enumerated() where !Self.isSubnetID(id) {
                    problems.append(("\(key)[\(index)]", "\"\(id)\" is not a subnet ID (subnet- and 8 or 17 hexadecimal digits)"))
                }
            }
            for (key, list) in [("network.publicSubnetIds", publicSubnetIDs), ("network.privateSubnetIds", privateSubnetIDs)] {
                var seen: Set<String> = []
                for (index, id) in list.enumerated() where !seen.insert(id).inserted { problems.append(("\(key)[\(index)]", "\(id) is listed twice")) }
            }
            for id in Set(publicSubnetIDs).intersection(privateSubnetIDs).sorted() {
                problems.append(("network.privateSubnetIds", "\(id) is also a public subnet; tasks go in private subnets, load balancers in public ones"))
            }
        }
        if environment.makesPrivateSubnets && environment.repositoryRegion != environment.region {
            problems.append(
                ("repositories.region", "the tasks run in the new VPC's private subnets, whose ECR endpoints reach only \(environment.region)'s "
                    + "registries, and cannot pull from \(environment.repositoryRegion); keep the repositories in \(environment.region), "
                    + "or use vpc: existing with privateSubnetIds whose NAT gateway reaches \(environment.repositoryRegion)"))
        }
        if let https = environment.https, !ARN.isWellFormed(https.certificateArn, service: "acm", resourcePrefix: "certificate/") {
            problems.append(
                ("https.certificateArn", "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got \"\(https.certificateArn)\""))
        }
        if environment.controls == .controlTower && environment.tasksNeedPublicIP {
            let control = ProactiveControl.servicePublicIP
            let way: String
            switch environment.network {
            case .newVPC: way = "set privateSubnets: true (or leave it out): tasks then run in private subnets and reach AWS through VPC endpoints"
            case .existing:
                way = "set privateSubnetIds, subnets that reach ECR, S3 and CloudWatch Logs through a NAT gateway or VPC endpoints"
            }
            problems.append(
                (environment.network.privateSubnetsKey, "\(control.id) refuses this under controls: \(ControlProfile.controlTower.rawValue) (\(control.summary)): "
                    + "the tasks would run in public subnets with public IPs; \(way)"))
        }
        let keepImages = EnvironmentSettings.Rules.keepImages
        if let problem = keepImages.problem(in: environment) { problems.append((keepImages.path, problem)) }
        return problems
    }

    /// What the environment-file reader refuses at its line, checked again of settings Swift
    /// code set (`EnvironmentSettings` built or changed in an app's code): names and ARNs AWS
    /// would refuse at deploy, after the stacks before them changed.
    static func namingProblems(of environment: EnvironmentSettings) -> [(location: String, message: String)] {
        var problems: [(String, String)] = []
        if !ARN.isRegionShaped(environment.region) {
            problems.append(("region", "expected an AWS region such as eu-west-1, got \"\(environment.region.prefix(64))\""))
        }
        for (key, arn) in [("roleArn", environment.roleArn), ("cloudFormationRoleArn", environment.cloudFormationRoleArn)] {
            if let arn, IAMName.roleAccount(of: arn) == nil {
                problems.append((key, "expected an IAM role ARN (arn:aws:iam::<account>:role/<name>), got \"\(arn.prefix(2048))\""))
            }
        }
        if let boundary = environment.permissionsBoundary, IAMName.policyAccount(of: boundary) == nil, !IAMName.isPolicyName(boundary) {
            problems.append(("permissionsBoundary", "expected a managed policy's ARN or name, got \"\(boundary.prefix(2048))\""))
        }
        if let logs = environment.accessLogs, !S3BucketName.isValid(logs.bucket) {
            problems.append(("accessLogs.bucket", "expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, got \"\(logs.bucket.prefix(64))\""))
        }
        if let https = environment.https, https.sslPolicy.isEmpty || https.sslPolicy.contains(where: { $0.isWhitespace }) {
            problems.append(("https.sslPolicy", "expected an Elastic Load Balancing security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06, got \"\(https.sslPolicy.prefix(64))\""))
        }
        return problems
    }

    /// `subnet-0a1b2c3d` or `subnet-0a1b2c3d4e5f60701`.
    static func isSubnetID(_ id: String) -> Bool { isResourceID(id, prefix: "subnet-") }

    /// `<prefix>` and 8 or 17 lowercase hexadecimal digits, as EC2 makes its IDs.
    static func isResourceID(_ id: String, prefix: String) -> Bool {
        guard id.hasPrefix(prefix) else { return false }
        let digits = id.dropFirst(prefix.count)
        return (digits.count == 8 || digits.count == 17) && digits.allSatisfy { $0.isASCII && $0.isHexDigit && !$0.isUppercase }
    }
}
