extension FargateService {
    /// Retention periods CloudWatch Logs accepts, in days.
    public static let validLogRetentionDays = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]

    /// Everything about the service's settings that AWS would reject or that would not work.
    public func validate() -> [(location: String, message: String)] {
        var problems: [(String, String)] = []
        func check(_ condition: Bool, _ location: String, _ message: @autoclosure () -> String) {
            if !condition { problems.append((location, message())) }
        }
        if let problem = settings.size.problem { problems.append(("cpu", problem)) }
        check((0...10_000).contains(settings.desiredCount), "desiredCount", "must be 0 to 10000, got \(settings.desiredCount)")
        check((1...65_535).contains(settings.containerPort), "containerPort", "must be 1 to 65535, got \(settings.containerPort)")
        check(settings.healthCheck.path.hasPrefix("/"), "healthCheck.path", "must start with /, got \"\(settings.healthCheck.path)\"")
        check(
            Self.isValidMatcher(settings.healthCheck.matcher), "healthCheck.matcher",
            "must be HTTP codes such as 200, 200,204 or 200-399, got \"\(settings.healthCheck.matcher)\"")
        check(
            (5...300).contains(settings.healthCheck.intervalSeconds), "healthCheck.intervalSeconds",
            "must be 5 to 300, got \(settings.healthCheck.intervalSeconds)")
        check(
            (2...120).contains(settings.healthCheck.timeoutSeconds) && settings.healthCheck.timeoutSeconds < settings.healthCheck.intervalSeconds,
            "healthCheck.timeoutSeconds",
            "must be 2 to 120 and less than intervalSeconds (\(settings.healthCheck.intervalSeconds)), got \(settings.healthCheck.timeoutSeconds)")
        check(
            (2...10).contains(settings.healthCheck.healthyThreshold), "healthCheck.healthyThreshold",
            "must be 2 to 10, got \(settings.healthCheck.healthyThreshold)")
        check(
            (2...10).contains(settings.healthCheck.unhealthyThreshold), "healthCheck.unhealthyThreshold",
            "must be 2 to 10, got \(settings.healthCheck.unhealthyThreshold)")
        check(
            (0...2_147_483_647).contains(settings.healthCheck.gracePeriodSeconds), "healthCheck.gracePeriodSeconds",
            "must be 0 or more, got \(settings.healthCheck.gracePeriodSeconds)")
        if let containerHealthCheck = settings.containerHealthCheck {
            check(
                ["CMD", "CMD-SHELL"].contains(containerHealthCheck.command.first ?? ""), "containerHealthCheck.command",
                "must start with CMD or CMD-SHELL")
            check(
                (5...300).contains(containerHealthCheck.intervalSeconds), "containerHealthCheck.intervalSeconds",
                "must be 5 to 300")
            check((2...60).contains(containerHealthCheck.timeoutSeconds), "containerHealthCheck.timeoutSeconds", "must be 2 to 60")
            check((1...10).contains(containerHealthCheck.retries), "containerHealthCheck.retries", "must be 1 to 10")
            check(
                (0...300).contains(containerHealthCheck.startPeriodSeconds), "containerHealthCheck.startPeriodSeconds",
                "must be 0 to 300")
        }
        for key in settings.environment.keys.sorted() {
            check(Self.isValidVariableName(key), "environment.\(key)", "is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)")
            check(
                !Self.buildMetadataVariables.contains(key), "environment.\(key)",
                "is set by Berth from the deploy's build metadata; choose another name")
        }
        for key in settings.secrets.keys.sorted() {
            let arn = settings.secrets[key] ?? ""
            check(Self.isValidVariableName(key), "secrets.\(key)", "is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)")
            check(settings.environment[key] == nil, "secrets.\(key)", "is also a plain environment variable; keep one")
            check(
                arn.hasPrefix("arn:") && (arn.contains(":secretsmanager:") || arn.contains(":ssm:")), "secrets.\(key)",
                "must be the ARN of a Secrets Manager secret or an SSM parameter, got \"\(arn)\"")
        }
        check(
            Self.validLogRetentionDays.contains(settings.logRetentionDays), "logs.retentionDays",
            "must be one of \(Self.validLogRetentionDays.map(String.init).joined(separator: ", ")), got \(settings.logRetentionDays)")
        switch settings.network {
        case .newVPC(let cidr):
            if let block = IPv4Block(cidr) {
                check((16...27).contains(block.prefixLength), "network.cidr", "must be a /16 to /27 block, got \(cidr)")
            } else {
                problems.append(("network.cidr", "must be an IPv4 CIDR block such as 10.0.0.0/16, got \"\(cidr)\""))
            }
        case .existing(let vpcID, let publicSubnetIDs, let privateSubnetIDs):
            check(vpcID.hasPrefix("vpc-"), "network.vpcId", "must be a VPC ID (vpc-…), got \"\(vpcID)\"")
            check(
                publicSubnetIDs.count >= 2, "network.publicSubnetIds",
                "a load balancer needs subnets in at least two availability zones; give two or more")
            for id in publicSubnetIDs + privateSubnetIDs where !id.hasPrefix("subnet-") {
                problems.append(("network", "\"\(id)\" is not a subnet ID (subnet-…)"))
            }
        }
        if let autoscaling = settings.autoscaling {
            check(autoscaling.minCount >= 0, "autoscaling.minCount", "must be 0 or more, got \(autoscaling.minCount)")
            check(
                autoscaling.maxCount >= max(1, autoscaling.minCount), "autoscaling.maxCount",
                "must be at least 1 and at least minCount (\(autoscaling.minCount)), got \(autoscaling.maxCount)")
            check(
                (1...100).contains(autoscaling.cpuTargetPercent), "autoscaling.cpuTargetPercent",
                "must be 1 to 100, got \(autoscaling.cpuTargetPercent)")
        }
        if let https = settings.https {
            check(
                https.certificateArn.hasPrefix("arn:") && https.certificateArn.contains(":acm:"), "https.certificateArn",
                "must be an ACM certificate ARN (arn:aws:acm:…), got \"\(https.certificateArn)\"")
        }
        check(
            (0...100).contains(settings.minimumHealthyPercent), "deployment.minimumHealthyPercent",
            "must be 0 to 100, got \(settings.minimumHealthyPercent)")
        check(
            (100...200).contains(settings.maximumPercent), "deployment.maximumPercent", "must be 100 to 200, got \(settings.maximumPercent)")
        return problems
    }

    static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || ("0"..."9").contains($0) }
    }

    /// `200`, `200,204`, `200-399`: HTTP codes from 200 to 499.
    static func isValidMatcher(_ matcher: String) -> Bool {
        func isCode(_ text: Substring) -> Bool { Int(text).map { (200...499).contains($0) } ?? false }
        return matcher.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
            let range = part.split(separator: "-", omittingEmptySubsequences: false)
            switch range.count {
            case 1: return isCode(range[0])
            case 2: return isCode(range[0]) && isCode(range[1]) && (Int(range[0]) ?? 0) < (Int(range[1]) ?? 0)
            default: return false
            }
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
