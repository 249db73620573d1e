import BerthModel

extension FargateService.Job {
    /// The job's problems, at its keys as environment files spell them.
    func validate(into problems: inout SettingProblems) {
        problems.check(FargateService.Settings.Rules.jobTimeoutMinutes, in: self)
        problems.check(FargateService.Settings.Rules.jobRetries, in: self)
        if let command {
            problems.check(!command.isEmpty && command.allSatisfy { !$0.isEmpty }, "command", "must hold at least one word, and no empty one")
        }
        if let schedule {
            problems.check(
                Self.isScheduleExpression(schedule), "schedule",
                "expected cron(minutes hours day-of-month month day-of-week year), with ? in one of the two day fields, such as cron(0 3 * * ? *), "
                    + "or rate(N minutes|hours|days), got \"\(schedule)\"")
        }
        if let timezone {
            problems.check(schedule != nil, "timezone", "a time zone reads a schedule; add schedule, or remove timezone")
            problems.check(
                FargateService.Autoscaling.isTimeZoneName(timezone), "timezone", "expected an IANA time zone such as Europe/Berlin or UTC, got \"\(timezone)\"")
        }
        if let failureTopicArn {
            problems.check(
                ARN.isWellFormed(failureTopicArn, service: "sns", resourcePrefix: ""), "notifyOnFailure",
                "must be the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<topic>), got \"\(failureTopicArn)\"")
        }
    }

    /// `cron(…)` with six fields and `?` in exactly one of the two day fields, or `rate(N unit)`
    /// with a positive N, as EventBridge Scheduler takes them.
    static func isScheduleExpression(_ text: String) -> Bool {
        if text.hasPrefix("cron(") { return FargateService.Autoscaling.isCron(text) }
        if text.hasPrefix("rate(") && text.hasSuffix(")") {
            let parts = text.dropFirst(5).dropLast().split(separator: " ")
            guard parts.count == 2, let count = DecimalText.value(parts[0]), count > 0 else { return false }
            let units = count == 1 ? ["minute", "hour", "day"] : ["minutes", "hours", "days"]
            return units.contains(String(parts[1]))
        }
        return false
    }
}
