import Testing

@testable import BerthResources

/// The whole-number rules that the environment-file reader and the settings' validation share.
@Suite struct SettingRulesTests {
    private typealias Rules = FargateService.Settings.Rules

    @Test func settingsValidateThemselvesWithoutAConstruct() {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        #expect(settings.validate().isEmpty)
        settings.desiredCount = 10_001
        settings.healthCheck.gracePeriodSeconds = -1
        settings.containerHealthCheck = .init(command: ["CMD", "true"])
        settings.containerHealthCheck?.retries = 0
        settings.rollout.testPort = 80
        #expect(settings.validate().map { "\($0.location): \($0.message)" } == [
            "desiredCount: must be 0 to 10000, got 10001",
            "healthCheck.gracePeriodSeconds: must be 0 or more, got -1",
            "containerHealthCheck.retries: must be 1 to 10, got 0",
            "deployment.testPort: a test listener is for blue-green deployments",
            "deployment.testPort: a test listener needs the service's own load balancer (loadBalancer: dedicated)",
            "deployment.testPort: must be a port from 1 to 65535 other than the load balancer's 80 and 443, got 80",
        ])
    }

    @Test func aRuleChecksTheValueItAssigns() {
        var check = FargateService.HealthCheck()
        let rules = Rules.healthCheck
        #expect(rules.map(\.key) == ["intervalSeconds", "timeoutSeconds", "healthyThreshold", "unhealthyThreshold", "gracePeriodSeconds"])
        for rule in rules { #expect(rule.problem(in: check) == nil) }
        let timeout = rules[1]
        timeout.assign(15, to: &check)
        #expect(check.timeoutSeconds == 15)
        #expect(timeout.problem(in: check) == "must be 2 to 120 and less than intervalSeconds (15), got 15")
        var rollout = FargateService.Rollout()
        #expect(Rules.bakeTimeMinutes.problem(in: rollout) == nil)
        Rules.bakeTimeMinutes.assign(1441, to: &rollout)
        #expect(rollout.bakeTimeMinutes == 1441)
        #expect(Rules.bakeTimeMinutes.problem(in: rollout) == "must be 0 to 1440, got 1441")
    }

    @Test func aListRuleNamesTheElementItChecks() {
        #expect(Rules.scheduledMinCount.key == "minCount")
        #expect(Rules.scheduledMinCount.path(at: 2) == "autoscaling.schedule[2].minCount")
        var change = FargateService.Autoscaling.ScheduledChange(cron: "cron(0 7 ? * MON *)", minCount: 3)
        Rules.scheduledMaxCount.assign(2, to: &change)
        #expect(change.maxCount == 2)
        #expect(Rules.scheduledMaxCount.problem(in: change) == "must be 0 to 10000 and at least the entry's minCount (3), got 2")
    }

    @Test func sizeRangesComeFromTheSizesFargateOffers() {
        #expect(Rules.cpu.range == 256...16_384)
        #expect(Rules.memory.range == 512...122_880)
        #expect(Rules.logRetentionDays.range == 1...3653)
    }

    @Test func everyPathIsDescribedOnce() {
        let autoscaling: [String] = [
            Rules.minCount.path, Rules.maxCount.path, Rules.cpuTargetPercent.path, Rules.memoryTargetPercent.path, Rules.requestsPerTarget.path,
            Rules.messagesPerTask.path, Rules.scheduledMinCount.path, Rules.scheduledMaxCount.path,
        ]
        let paths: [String] = autoscaling + [Rules.desiredCount.path, Rules.containerPort.path, Rules.logRetentionDays.path, Rules.minimumHealthyPercent.path,
            Rules.maximumPercent.path, Rules.routingPriority.path, Rules.bakeTimeMinutes.path, Rules.canaryBakeTimeMinutes.path, Rules.linearStepBakeTimeMinutes.path, Rules.testPort.path,
            Rules.cpu.path, Rules.memory.path, EnvironmentSettings.Rules.keepImages.path]
            + Rules.healthCheck.map(\.path) + Rules.containerHealthCheck.map(\.path)
        #expect(Set(paths).count == paths.count)
    }
}
