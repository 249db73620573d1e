extension FargateService.Settings {
    /// Every whole-number key of a service in an environment file, described once: its path,
    /// its range and the property it lands in. `EnvironmentConfig` reads each key with its rule
    /// and `validate()` checks each property with the same rule, so a range lives here only;
    /// the defaults are the properties' own.
    package enum Rules {
        /// `cpu`: CPU units, one of the sizes Fargate offers (`FargateSize` checks the pair).
        package static var cpu: WholeNumberRule<FargateSize> { .init("cpu", FargateSize.cpuRange, \.cpu) }
        /// `memory`: MiB, one of the sizes Fargate offers.
        package static var memory: WholeNumberRule<FargateSize> { .init("memory", FargateSize.memoryRange, \.memory) }
        /// `desiredCount`: tasks to run.
        package static var desiredCount: WholeNumberRule<FargateService.Settings> {
            .init("desiredCount", 0...10_000, \.desiredCount)
        }
        /// `containerPort`: the port a web service's container listens on.
        package static var containerPort: WholeNumberRule<FargateService.Settings> {
            .init("containerPort", 1...65_535, \.containerPort)
        }
        /// `logs.retentionDays`: one of the retention periods CloudWatch Logs accepts.
        package static var logRetentionDays: WholeNumberRule<FargateService.Settings> {
            let days = FargateService.validLogRetentionDays
            return .init("logs.retentionDays", (days.first ?? 1)...(days.last ?? 1), \.logRetentionDays) { _, value, _ in
                days.contains(value) ? nil : "must be one of \(days.map(String.init).joined(separator: ", ")), got \(value)"
            }
        }
        /// `timeoutMinutes`: how long one run of a job may take (a week at most).
        package static var jobTimeoutMinutes: WholeNumberRule<FargateService.Job> {
            .init("timeoutMinutes", 1...10_080, \.timeoutMinutes)
        }
        /// `retries`: how often EventBridge Scheduler tries again to start a scheduled run.
        package static var jobRetries: WholeNumberRule<FargateService.Job> { .init("retries", 0...185, \.retries) }
        /// `deployment.minimumHealthyPercent`.
        package static var minimumHealthyPercent: WholeNumberRule<FargateService.Settings> {
            .init("deployment.minimumHealthyPercent", 0...100, \.minimumHealthyPercent)
        }
        /// `deployment.maximumPercent`.
        package static var maximumPercent: WholeNumberRule<FargateService.Settings> {
            .init("deployment.maximumPercent", 100...200, \.maximumPercent)
        }

        /// `healthCheck.*`, in the order they are read and checked.
        package static var healthCheck: [WholeNumberRule<FargateService.HealthCheck>] {
            [
                .init("healthCheck.intervalSeconds", 5...300, \.intervalSeconds),
                .init("healthCheck.timeoutSeconds", 2...120, \.timeoutSeconds) { check, value, range in
                    range.contains(value) && value < check.intervalSeconds
                        ? nil
                        : "must be \(range.lowerBound) to \(range.upperBound) and less than intervalSeconds (\(check.intervalSeconds)), got \(value)"
                },
                .init("healthCheck.healthyThreshold", 2...10, \.healthyThreshold),
                .init("healthCheck.unhealthyThreshold", 2...10, \.unhealthyThreshold),
                .init("healthCheck.gracePeriodSeconds", 0...2_147_483_647, \.gracePeriodSeconds),
            ]
        }
        /// `routing.priority`.
        package static var routingPriority: WholeNumberRule<FargateService.Routing> {
            .init("routing.priority", 1...50_000, \.priority)
        }

        /// `containerHealthCheck.*`, in the order they are read and checked.
        package static var containerHealthCheck: [WholeNumberRule<FargateService.ContainerHealthCheck>] {
            [
                .init("containerHealthCheck.intervalSeconds", 5...300, \.intervalSeconds),
                .init("containerHealthCheck.timeoutSeconds", 2...60, \.timeoutSeconds),
                .init("containerHealthCheck.retries", 1...10, \.retries),
                .init("containerHealthCheck.startPeriodSeconds", 0...300, \.startPeriodSeconds),
            ]
        }

        /// `autoscaling.minCount`.
        package static var minCount: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.minCount", 0...10_000, \.minCount)
        }
        /// `autoscaling.maxCount`: at least `minCount` too.
        package static var maxCount: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.maxCount", 1...10_000, \.maxCount) { autoscaling, value, range in
                value >= max(range.lowerBound, autoscaling.minCount)
                    ? nil
                    : "must be at least \(range.lowerBound) and at least minCount (\(autoscaling.minCount)), got \(value)"
            }
        }
        /// `autoscaling.cpuTargetPercent`.
        package static var cpuTargetPercent: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.cpuTargetPercent", 1...100, \.cpuTargetPercent)
        }
        /// `autoscaling.memoryTargetPercent`.
        package static var memoryTargetPercent: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.memoryTargetPercent", 1...100, \.memoryTargetPercent)
        }
        /// `autoscaling.requestsPerTarget`: requests per task and minute.
        package static var requestsPerTarget: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.requestsPerTarget", 1...1_000_000, \.requestsPerTarget)
        }
        /// `autoscaling.messagesPerTask`: visible messages of the queue per running task.
        package static var messagesPerTask: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.messagesPerTask", 1...1_000_000, \.messagesPerTask)
        }
        /// `autoscaling.schedule[].minCount`: zero lets a schedule stop the service.
        package static var scheduledMinCount: WholeNumberRule<FargateService.Autoscaling.ScheduledChange> {
            .init("autoscaling.schedule[].minCount", 0...10_000, \.minCount)
        }
        /// `autoscaling.schedule[].maxCount`: at least the entry's own `minCount` too.
        package static var scheduledMaxCount: WholeNumberRule<FargateService.Autoscaling.ScheduledChange> {
            .init("autoscaling.schedule[].maxCount", 0...10_000, \.maxCount) { change, value, range in
                range.contains(value) && value >= (change.minCount ?? 0)
                    ? nil
                    : "must be \(range.lowerBound) to \(range.upperBound) and at least the entry's minCount (\(change.minCount ?? 0)), got \(value)"
            }
        }

        /// `deployment.bakeTimeMinutes`.
        package static var bakeTimeMinutes: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.bakeTimeMinutes", 0...1440, \.bakeTimeMinutes)
        }
        /// `deployment.canary.bakeTimeMinutes`.
        package static var canaryBakeTimeMinutes: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.canary.bakeTimeMinutes", 0...1440, \.canaryBakeTimeMinutes)
        }
        /// `deployment.linear.stepBakeTimeMinutes`.
        package static var linearStepBakeTimeMinutes: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.linear.stepBakeTimeMinutes", 0...1440, \.linearStepBakeTimeMinutes)
        }
        /// `deployment.testPort`: not one of the load balancer's own ports.
        package static var testPort: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.testPort", 1...65_535, \.testPort) { _, value, range in
                range.contains(value) && ![80, 443].contains(value)
                    ? nil
                    : "must be a port from \(range.lowerBound) to \(range.upperBound) other than the load balancer's 80 and 443, got \(value)"
            }
        }
    }
}
