extension FargateService.Rollout {
    /// What AWS would refuse about the rollout of a service of `kind` behind `loadBalancer`,
    /// found before anything is sent.
    func validate(
        kind: FargateService.Kind, loadBalancer: FargateService.LoadBalancerChoice, into problems: inout SettingProblems
    ) {
        typealias Rules = FargateService.Settings.Rules
        if shiftsTraffic {
            problems.check(
                kind == .web, "deployment.strategy",
                "\(strategy.rawValue) shifts traffic between two target groups, and a \(kind.rawValue) has none; a \(kind.rawValue) deploys rolling")
        }
        if bakeTimeMinutes != nil {
            problems.check(Rules.bakeTimeMinutes, in: self)
            problems.check(shiftsTraffic, "deployment.bakeTimeMinutes", "applies to blue-green, canary and linear, not rolling")
        }
        if strategy == .canary {
            problems.check((0.1...100).contains(canaryPercent), "deployment.canary.percent", "must be 0.1 to 100, got \(canaryPercent)")
            problems.check(Rules.canaryBakeTimeMinutes, in: self)
        }
        if strategy == .linear {
            problems.check(
                (3...100).contains(linearStepPercent), "deployment.linear.stepPercent", "must be 3 to 100, got \(linearStepPercent)")
            problems.check(Rules.linearStepBakeTimeMinutes, in: self)
        }
        problems.check(
            totalWaitMinutes <= Self.maximumTotalWaitMinutes, "deployment",
            "waits \(totalWaitMinutes) minutes in all, over the \(Self.maximumTotalWaitMinutes) (33 hours) CloudFormation waits for a stack")
        var seen: Set<String> = []
        for alarm in alarms {
            problems.check(!alarm.isEmpty && alarm.utf8.count <= 255, "deployment.alarms", "\"\(alarm)\" is not an alarm name (1 to 255 characters)")
            problems.check(seen.insert(alarm).inserted, "deployment.alarms", "\(alarm) is named twice")
        }
        if testPort != nil {
            problems.check(strategy == .blueGreen, "deployment.testPort", "a test listener is for blue-green deployments")
            problems.check(
                loadBalancer == .dedicated, "deployment.testPort",
                "a test listener needs the service's own load balancer (loadBalancer: dedicated)")
            problems.check(Rules.testPort, in: self)
        }
    }
}
