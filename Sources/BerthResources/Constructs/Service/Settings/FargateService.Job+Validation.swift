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
                "expected cron(minutes hours day-of-month month day-of-week year) or rate(N minutes|hours|days), got \"\(schedule)\"")
        }
        if let timezone {
            problems.check(schedule != nil, "timezone", "a time zone reads a schedule; add schedule, or remove timezone")
            problems.check(
                Self.isTimeZoneName(timezone), "timezone", "expected an IANA time zone such as Europe/Berlin or UTC, got \"\(timezone)\"")
        }
        if let failureTopicArn {
            problems.check(
                ARN.isWellFormed(failureTopicArn, service: "sns", resourcePrefix: ""), "notifyOnFailure",
                "must be the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<topic>), got \"\(failureTopicArn)\"")
        }
    }

    /// `cron(…)` with six fields, or `rate(N unit)` with a positive N, as EventBridge Scheduler
    /// takes them.
    static func isScheduleExpression(_ text: String) -> Bool {
        if text.hasPrefix("cron(") && text.hasSuffix(")") {
            let fields = text.dropFirst(5).dropLast().split(separator: " ", omittingEmptySubsequences: true)
            let allowed = Set("0123456789*?,-/LW#ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            return fields.count == 6 && fields.allSatisfy { $0.uppercased().allSatisfy(allowed.contains) }
        }
        if text.hasPrefix("rate(") && text.hasSuffix(")") {
            let parts = text.dropFirst(5).dropLast().split(separator: " ")
            guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return false }
            let units = count == 1 ? ["minute", "hour", "day"] : ["minutes", "hours", "days"]
            return units.contains(String(parts[1]))
        }
        return false
    }

    /// `UTC`, `Europe/Berlin`, `America/Argentina/Buenos_Aires`, `Etc/GMT+2`: the shape of an IANA
    /// time zone name.
    static func isTimeZoneName(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count), text.first?.isLetter == true else { return false }
        return text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+-".contains($0)) }
        }
    }
}
