extension FargateService.Autoscaling {
    /// What AWS would refuse about the autoscaling of a service of `kind` that deploys with
    /// `rollout`, or what would not scale as written, each at its key.
    func validate(kind: FargateService.Kind, rollout: FargateService.Rollout, into problems: inout SettingProblems) {
        typealias Rules = FargateService.Settings.Rules
        problems.check(Rules.minCount, in: self)
        problems.check(Rules.maxCount, in: self)
        problems.check(Rules.cpuTargetPercent, in: self)
        problems.check(Rules.memoryTargetPercent, in: self)
        // Swift-only settings (no environment-file key): Application Auto Scaling takes whole seconds, none below 0.
        for (key, seconds) in [("scaleInCooldownSeconds", scaleInCooldownSeconds), ("scaleOutCooldownSeconds", scaleOutCooldownSeconds)] {
            problems.check(seconds >= 0, "autoscaling.\(key)", "must be 0 seconds or more, got \(seconds)")
        }
        if requestsPerTarget != nil {
            problems.check(Rules.requestsPerTarget, in: self)
            if kind == .web {
                problems.check(
                    !rollout.shiftsTraffic, "autoscaling.requestsPerTarget",
                    "counts the requests of one target group, and a \(rollout.strategy.rawValue) deployment moves the traffic to the other; scale on cpuTargetPercent or memoryTargetPercent, or deploy rolling")
            } else {
                problems.add(
                    "autoscaling.requestsPerTarget",
                    "counts a load balancer's requests, and a \(kind.rawValue) takes none; scale it on cpuTargetPercent, memoryTargetPercent or a queue")
            }
        }
        if let queue {
            problems.check(
                Self.isQueue(queue), "autoscaling.queue",
                "expected an SQS queue's name (up to 80 letters, digits, - and _, ending .fifo for a FIFO queue) or its ARN (arn:aws:sqs:<region>:<account>:<name>), got \"\(queue)\"")
            problems.check(messagesPerTask != nil, "autoscaling.queue", "needs messagesPerTask: the visible messages per running task that scaling aims for")
            problems.check(
                minCount >= 1, "autoscaling.minCount",
                "must be at least 1 when scaling on a queue: the backlog is divided by the running tasks, so with none it never scales out (a schedule may still stop the service with minCount: 0 and maxCount: 0)")
        }
        if messagesPerTask != nil {
            problems.check(Rules.messagesPerTask, in: self)
            problems.check(queue != nil, "autoscaling.messagesPerTask", "needs queue: the SQS queue (a name or an ARN) whose backlog it divides")
        }
        var crons: Set<String> = []
        for (index, change) in schedule.enumerated() {
            let path = "autoscaling.schedule[\(index)]"
            problems.check(
                Self.isCron(change.cron), path + ".cron",
                "expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"\(change.cron)\""
                    + ((CronExpression.valueProblem(change.cron) ?? CronExpression.spacingProblem(change.cron)).map { " (\($0))" } ?? ""))
            // Names are read in either case (MON, mon): one schedule written twice is one.
            problems.check(crons.insert(change.cron.uppercased()).inserted, path + ".cron", "\(change.cron) is scheduled twice; merge the two entries")
            problems.check(change.minCount != nil || change.maxCount != nil, path, "changes nothing; give minCount, maxCount or both")
            problems.check(Rules.scheduledMinCount, in: change, at: index)
            problems.check(Rules.scheduledMaxCount, in: change, at: index)
            if queue != nil, change.minCount == 0 {
                problems.check(
                    change.maxCount == 0, path + ".minCount",
                    "0 lets the queue's backlog policy scale in to no task, from which it never scales out; stop the service with minCount: 0 and maxCount: 0, or keep at least 1")
            }
        }
        if let timezone {
            problems.check(!schedule.isEmpty, "autoscaling.timezone", "applies to the schedule's cron expressions, and there is no schedule")
            problems.check(
                TimeZoneName.isKnown(timezone), "autoscaling.timezone",
                "expected an IANA time zone name such as Europe/Paris, America/New_York or UTC, got \"\(timezone)\"")
        }
    }

    /// What the autoscaling needs of the environment it runs in: scaling on a queue counts the
    /// running tasks with Container Insights, and reads the queue's metrics in the service's region.
    func validate(in environment: EnvironmentSettings, into problems: inout SettingProblems) {
        guard let queue else { return }
        problems.check(
            environment.containerInsights, "autoscaling.queue",
            "divides the backlog by the running tasks that Container Insights counts (ECS/ContainerInsights RunningTaskCount); remove containerInsights: false from the environment")
        let parts = queue.split(separator: ":", omittingEmptySubsequences: false)
        if queue.hasPrefix("arn:"), parts.count == 6 {
            problems.check(
                parts[3] == environment.region, "autoscaling.queue",
                "is in \(parts[3]), and the service's scaling alarms read the metrics of \(environment.region) only")
        }
    }

    /// An SQS queue's name (letters, digits, `-` and `_`, at most 80, a FIFO queue's ending in
    /// `.fifo`) or its ARN.
    static func isQueue(_ text: String) -> Bool {
        guard text.hasPrefix("arn:") else { return isQueueName(text) }
        guard ARN.isWellFormed(text, service: "sqs"), let name = text.split(separator: ":").last else { return false }
        return isQueueName(String(name))
    }

    private static func isQueueName(_ name: String) -> Bool {
        let base = name.hasSuffix(".fifo") ? name.dropLast(5) : Substring(name)
        return !base.isEmpty && name.utf8.count <= 80
            && base.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// `cron(minutes hours day-of-month month day-of-week year)`, the form Application Auto
    /// Scaling's scheduled actions take (`CronExpression`).
    static func isCron(_ text: String) -> Bool { CronExpression.isValid(text) }

    /// What a cron field is written with, in either case: digits, names (`MON`, `JAN`, `L`, `W`)
    /// and `* ? , - / #`. Bytes, not characters: nothing outside ASCII is allowed, even what
    /// uppercases into it (`ı` into `I`).
    static func isCronFieldByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
        case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "#"): true
        default: false
        }
    }
}
