import BerthModel

extension FargateService.Job {
    /// The job's problems, at its keys as environment files spell them.
    func validate(into problems: inout SettingProblems) {
        problems.check(FargateService.Settings.Rules.jobTimeoutMinutes, in: self)
        problems.check(FargateService.Settings.Rules.jobRetries, in: self)
        if let command {
            problems.check(!command.isEmpty && command.allSatisfy { !$0.isEmpty }, "command", "must hold at least one word, and no empty one")
            problems.check(!command.contains { $0.utf8.contains(0) }, "command", "holds a NUL character, which a command's words cannot carry")
        }
        if let schedule, !Self.isScheduleExpression(schedule) {
            let why = (CronExpression.valueProblem(schedule) ?? Self.shapeProblem(of: schedule)).map { " (\($0))" } ?? ""
            problems.add(
                "schedule",
                "expected cron(minutes hours day-of-month month day-of-week year), with ? in one of the two day fields, such as cron(0 3 * * ? *), "
                    + "or rate(N minutes|hours|days), got \"\(schedule)\"\(why)")
        }
        // What only a schedule reads does nothing without one: `enabled: false` on a job run on
        // deploy would look as if it turned the job off.
        problems.check(schedule != nil || scheduleEnabled, "enabled", "turns a schedule on or off; add schedule, or remove enabled")
        problems.check(schedule != nil || retries == 0, "retries", "retries a scheduled run; add schedule, or remove retries")
        if let timezone {
            problems.check(schedule != nil, "timezone", "a time zone reads a schedule; add schedule, or remove timezone")
            problems.check(
                TimeZoneName.isKnown(timezone), "timezone", "expected an IANA time zone such as Europe/Berlin or UTC, got \"\(timezone)\"")
        }
        if let failureTopicArn {
            problems.check(
                ARN.isWellFormed(failureTopicArn, service: "sns", resourcePrefix: ""), "notifyOnFailure",
                "must be the ARN of an SNS topic (arn:aws:sns:<region>:<account>:<topic>), got \"\(failureTopicArn)\"")
        }
    }

    /// What the job needs of the environment it runs in: EventBridge sends its failure alert to a
    /// topic of the environment's own region only (a rule's targets are in its region).
    func validate(in environment: EnvironmentSettings, into problems: inout SettingProblems) {
        guard let failureTopicArn, ARN.isWellFormed(failureTopicArn, service: "sns", resourcePrefix: ""),
            let region = ARN.region(of: failureTopicArn)
        else { return }
        problems.check(
            region == environment.region, "notifyOnFailure",
            "is in \(region), and the failure alert's EventBridge rule, in \(environment.region), can send only to a topic of its own region")
    }

    /// What is wrong with the shape of a schedule people write by habit: a rate whose unit does
    /// not agree with its number, a crontab line of five fields (Kubernetes', cron's), a `cron(…)`
    /// of five fields, or one with no `?` day field. `nil` for any other text.
    static func shapeProblem(of text: String) -> String? {
        if let problem = CronExpression.spacingProblem(text) { return problem }
        if text.hasPrefix("rate(") && text.hasSuffix(")") {
            let parts = text.dropFirst(5).dropLast().split(separator: " ")
            guard parts.count == 2, let count = DecimalText.value(parts[0]) else { return nil }
            if count == 0 { return "a rate's number is 1 or more" }
            let unit = parts[1]
            if count == 1, ["minutes", "hours", "days"].contains(unit) { return "with 1, the unit is singular: rate(1 \(unit.dropLast()))" }
            if count > 1, ["minute", "hour", "day"].contains(unit) { return "with \(count), the unit is plural: rate(\(count) \(unit)s)" }
            return nil
        }
        let cron = text.hasPrefix("cron(") && text.hasSuffix(")")
        let fields = (cron ? text.dropFirst(5).dropLast() : Substring(text)).split(separator: " ")
        if fields.count == 5 {
            // Day of week `*` converts as is; a crontab's numbered days (0 = Sunday) do not.
            let example = fields[4] == "*" ? " such as cron(\(fields[0]) \(fields[1]) \(fields[2]) \(fields[3]) ? *)" : ""
            return (cron ? "five fields" : "a crontab line") + ": EventBridge takes cron(…) with six fields, the year last, and ? in one day field\(example)"
        }
        guard cron else { return nil }
        if fields.count != 6 { return "\(fields.count) fields, not 6" }
        if fields[2] != "?", fields[4] != "?" { return "one of the two day fields, day-of-month or day-of-week, must be ?" }
        if fields[2] == "?", fields[4] == "?" { return "? in both day fields: one of them takes days (* for every day)" }
        if let other = [0, 1, 3, 5].first(where: { fields[$0].contains("?") }) {
            return "? in the \(["minutes", "hours", "", "month", "", "year"][other]) field: only the two day fields take ?"
        }
        return nil
    }

    /// `cron(…)` with six fields and `?` in exactly one of the two day fields, or `rate(N unit)`
    /// with a positive N, as EventBridge Scheduler takes them.
    static func isScheduleExpression(_ text: String) -> Bool {
        if text.hasPrefix("cron(") { return FargateService.Autoscaling.isCron(text) }
        if text.hasPrefix("rate(") && text.hasSuffix(")") {
            let parts = text.dropFirst(5).dropLast().split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let count = DecimalText.value(parts[0]), count > 0 else { return false }
            let units = count == 1 ? ["minute", "hour", "day"] : ["minutes", "hours", "days"]
            return units.contains(String(parts[1]))
        }
        return false
    }
}
