extension FargateService.Settings {
    /// Every whole-number key of a service in an environment file, described once: its path,
    /// its range and the property it lands in. `EnvironmentConfig` reads each key with its rule
    /// and `validate()` checks each property with the same rule, so a range lives here only;
    /// the defaults are the properties' own.
    package enum Rules {
        /// `cpu`: CPU units, one of the sizes Fargate offers (`FargateSize` checks the pair).
        package static var cpu: WholeNumberRule<FargateSize> {
            .init("cpu", FargateSize.cpuRange, get: { $0.cpu }, set: { $0.cpu = $1 })
        }
        /// `memory`: MiB, one of the sizes Fargate offers.
        package static var memory: WholeNumberRule<FargateSize> {
            .init("memory", FargateSize.memoryRange, get: { $0.memory }, set: { $0.memory = $1 })
        }
        /// `desiredCount`: tasks to run.
        package static var desiredCount: WholeNumberRule<FargateService.Settings> {
            .init("desiredCount", 0...10_000, get: { $0.desiredCount }, set: { $0.desiredCount = $1 })
        }
        /// `containerPort`: the port a web service's container listens on.
        package static var containerPort: WholeNumberRule<FargateService.Settings> {
            .init("containerPort", 1...65_535, get: { $0.containerPort }, set: { $0.containerPort = $1 })
        }
        /// `logs.retentionDays`: one of the retention periods CloudWatch Logs accepts.
        package static var logRetentionDays: WholeNumberRule<FargateService.Settings> {
            let days = FargateService.validLogRetentionDays
            return .init(
                "logs.retentionDays", (days.first ?? 1)...(days.last ?? 1), get: { $0.logRetentionDays }, set: { $0.logRetentionDays = $1 }
            ) { _, value, _ in
                days.contains(value) ? nil : "must be one of \(days.map(String.init).joined(separator: ", ")), got \(value)"
            }
        }
        /// `timeoutMinutes`: how long one run of a job may take (a week at most).
        package static var jobTimeoutMinutes: WholeNumberRule<FargateService.Job> {
            .init("timeoutMinutes", 1...10_080, get: { $0.timeoutMinutes }, set: { $0.timeoutMinutes = $1 })
        }
        /// `retries`: how often EventBridge Scheduler tries again to start a scheduled run.
        package static var jobRetries: WholeNumberRule<FargateService.Job> {
            .init("retries", 0...185, get: { $0.retries }, set: { $0.retries = $1 })
        }
        /// `deployment.minimumHealthyPercent`.
        package static var minimumHealthyPercent: WholeNumberRule<FargateService.Settings> {
            .init("deployment.minimumHealthyPercent", 0...100, get: { $0.minimumHealthyPercent }, set: { $0.minimumHealthyPercent = $1 })
        }
        /// `deployment.maximumPercent`.
        package static var maximumPercent: WholeNumberRule<FargateService.Settings> {
            .init("deployment.maximumPercent", 100...200, get: { $0.maximumPercent }, set: { $0.maximumPercent = $1 })
        }

        /// `healthCheck.*`, in the order they are read and checked.
        package static var healthCheck: [WholeNumberRule<FargateService.HealthCheck>] {
            [
                .init("healthCheck.intervalSeconds", 5...300, get: { $0.intervalSeconds }, set: { $0.intervalSeconds = $1 }),
                .init("healthCheck.timeoutSeconds", 2...120, get: { $0.timeoutSeconds }, set: { $0.timeoutSeconds = $1 }) { check, value, range in
                    range.contains(value) && value < check.intervalSeconds
                        ? nil
                        : "must be \(range.lowerBound) to \(range.upperBound) and less than intervalSeconds (\(check.intervalSeconds)), got \(value)"
                },
                .init("healthCheck.healthyThreshold", 2...10, get: { $0.healthyThreshold }, set: { $0.healthyThreshold = $1 }),
                .init("healthCheck.unhealthyThreshold", 2...10, get: { $0.unhealthyThreshold }, set: { $0.unhealthyThreshold = $1 }),
                .init("healthCheck.gracePeriodSeconds", 0...2_147_483_647, get: { $0.gracePeriodSeconds }, set: { $0.gracePeriodSeconds = $1 }),
            ]
        }
        /// `routing.priority`.
        package static var routingPriority: WholeNumberRule<FargateService.Routing> {
            .init("routing.priority", 1...50_000, get: { $0.priority }, set: { $0.priority = $1 })
        }

        /// `containerHealthCheck.*`, in the order they are read and checked.
        package static var containerHealthCheck: [WholeNumberRule<FargateService.ContainerHealthCheck>] {
            [
                .init("containerHealthCheck.intervalSeconds", 5...300, get: { $0.intervalSeconds }, set: { $0.intervalSeconds = $1 }),
                .init("containerHealthCheck.timeoutSeconds", 2...60, get: { $0.timeoutSeconds }, set: { $0.timeoutSeconds = $1 }),
                .init("containerHealthCheck.retries", 1...10, get: { $0.retries }, set: { $0.retries = $1 }),
                .init("containerHealthCheck.startPeriodSeconds", 0...300, get: { $0.startPeriodSeconds }, set: { $0.startPeriodSeconds = $1 }),
            ]
        }

        /// `autoscaling.minCount`.
        package static var minCount: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.minCount", 0...10_000, get: { $0.minCount }, set: { $0.minCount = $1 })
        }
        /// `autoscaling.maxCount`: at least `minCount` too.
        package static var maxCount: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.maxCount", 1...10_000, get: { $0.maxCount }, set: { $0.maxCount = $1 }) { autoscaling, value, range in
                value >= max(range.lowerBound, autoscaling.minCount)
                    ? nil
                    : "must be at least \(range.lowerBound) and at least minCount (\(autoscaling.minCount)), got \(value)"
            }
        }
        /// `autoscaling.cpuTargetPercent`.
        package static var cpuTargetPercent: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.cpuTargetPercent", 1...100, get: { $0.cpuTargetPercent }, set: { $0.cpuTargetPercent = $1 })
        }
        /// `autoscaling.memoryTargetPercent`.
        package static var memoryTargetPercent: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.memoryTargetPercent", 1...100, get: { $0.memoryTargetPercent }, set: { $0.memoryTargetPercent = $1 })
        }
        /// `autoscaling.requestsPerTarget`: requests per task and minute.
        package static var requestsPerTarget: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.requestsPerTarget", 1...1_000_000, get: { $0.requestsPerTarget }, set: { $0.requestsPerTarget = $1 })
        }
        /// `autoscaling.messagesPerTask`: visible messages of the queue per running task.
        package static var messagesPerTask: WholeNumberRule<FargateService.Autoscaling> {
            .init("autoscaling.messagesPerTask", 1...1_000_000, get: { $0.messagesPerTask }, set: { $0.messagesPerTask = $1 })
        }
        /// `autoscaling.schedule[].minCount`: zero lets a schedule stop the service.
        package static var scheduledMinCount: WholeNumberRule<FargateService.Autoscaling.ScheduledChange> {
            .init("autoscaling.schedule[].minCount", 0...10_000, get: { $0.minCount }, set: { $0.minCount = $1 })
        }
        /// `autoscaling.schedule[].maxCount`: at least the entry's own `minCount` too.
        package static var scheduledMaxCount: WholeNumberRule<FargateService.Autoscaling.ScheduledChange> {
            .init("autoscaling.schedule[].maxCount", 0...10_000, get: { $0.maxCount }, set: { $0.maxCount = $1 }) { change, value, range in
                range.contains(value) && value >= (change.minCount ?? 0)
                    ? nil
                    : "must be \(range.lowerBound) to \(range.upperBound) and at least the entry's minCount (\(change.minCount ?? 0)), got \(value)"
            }
        }

        /// `deployment.bakeTimeMinutes`.
        package static var bakeTimeMinutes: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.bakeTimeMinutes", 0...1440, get: { $0.bakeTimeMinutes }, set: { $0.bakeTimeMinutes = $1 })
        }
        /// `deployment.canary.bakeTimeMinutes`.
        package static var canaryBakeTimeMinutes: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.canary.bakeTimeMinutes", 0...1440, get: { $0.canaryBakeTimeMinutes }, set: { $0.canaryBakeTimeMinutes = $1 })
        }
        /// `deployment.linear.stepBakeTimeMinutes`.
        package static var linearStepBakeTimeMinutes: WholeNumberRule<FargateService.Rollout> {
            .init(
                "deployment.linear.stepBakeTimeMinutes", 0...1440, get: { $0.linearStepBakeTimeMinutes },
                set: { $0.linearStepBakeTimeMinutes = $1 })
        }
        /// `deployment.testPort`: not one of the load balancer's own ports.
        package static var testPort: WholeNumberRule<FargateService.Rollout> {
            .init("deployment.testPort", 1...65_535, get: { $0.testPort }, set: { $0.testPort = $1 }) { _, value, range in
                range.contains(value) && ![80, 443].contains(value)
                    ? nil
                    : "must be a port from \(range.lowerBound) to \(range.upperBound) other than the load balancer's 80 and 443, got \(value)"
            }
        }
    }
}
