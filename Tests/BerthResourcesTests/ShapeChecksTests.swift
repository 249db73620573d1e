import Testing

@testable import BerthResources

/// The shape checks that settings run before anything is sent (ARNs, cron fields, time zones):
/// read as bytes, so that only ASCII passes, whatever Unicode would call a digit or a letter.
@Suite struct ShapeChecksTests {
    @Test func anARNHasSixFieldsATwelveDigitAccountAndTheResourceAfterItsPrefix() {
        #expect(ARN.isWellFormed("arn:aws:acm:eu-west-1:123456789012:certificate/abc", service: "acm", resourcePrefix: "certificate/"))
        #expect(ARN.isWellFormed("arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts", service: "sns"))
        // The resource keeps its own colons: the split stops at the sixth field.
        #expect(ARN.isWellFormed("arn:aws:ssm:eu-west-1:123456789012:parameter/a:b", service: "ssm", resourcePrefix: "parameter/"))
        for bad in [
            "arn:aws:acm:eu-west-1:123456789012:certificate/",  // nothing after the prefix
            "arn:aws:acm:eu-west-1:12345678901:certificate/abc",  // 11 digits
            "arn:aws:acm:eu-west:123456789012:certificate/abc",  // not a region
            "arn:aws:sns:eu-west-1:123456789012:certificate/abc",  // another service
            "arn:azure:acm:eu-west-1:123456789012:certificate/abc",
            "arn:aws:acm:eu-west-1:123456789012",
            // Arabic-Indic and full-width digits are numbers to Character.isNumber, not to AWS.
            "arn:aws:acm:eu-west-1:١٢٣٤٥٦٧٨٩٠١٢:certificate/abc",
            "arn:aws:acm:eu-west-1:１２３４５６７８９０１２:certificate/abc",
            // A combining mark after a separator: the old Character-wise split refused these by
            // accident, and a byte-wise one must not let them through.
            "arn:aws:acm:eu-west-1:123456789012:certificate/\u{301}abc",
            "arn:aws\u{301}:acm:eu-west-1:123456789012:certificate/abc",
            "arn:aws:acm:eu-\u{301}west-1:123456789012:certificate/abc",
        ] {
            #expect(!ARN.isWellFormed(bad, service: "acm", resourcePrefix: "certificate/"), "\(bad)")
        }
    }

    @Test func cronFieldsTakeASCIIOnlyEvenWhatUppercasesIntoIt() {
        // Dotless ı uppercases to I and long ſ to S: Character-wise, "MON" could be spelled with them.
        #expect(FargateService.Autoscaling.isCron("cron(0 20 ? * mon-fri *)"))
        #expect(!FargateService.Autoscaling.isCron("cron(0 20 ? * MON-FRı *)"))
        #expect(FargateService.Job.isScheduleExpression("cron(0 3 * * ? *)"))
        #expect(FargateService.Job.isScheduleExpression("cron(0 3 ? * sun *)"))
        // EventBridge Scheduler takes ? in exactly one of the two day fields.
        #expect(!FargateService.Job.isScheduleExpression("cron(0 3 * * * *)"))
        #expect(!FargateService.Job.isScheduleExpression("cron(0 3 ? * ? *)"))
        #expect(!FargateService.Job.isScheduleExpression("cron(0 ? * * ? *)"))
        #expect(!FargateService.Job.isScheduleExpression("cron(0 3 ? * ſUN *)"))
        #expect(!FargateService.Job.isScheduleExpression("cron(0 3 ? * ＳＵＮ *)"))
    }

    /// Schedules written by habit are refused with what to change: the rate's unit, a crontab
    /// line or five-field cron (with the six-field form when day of week is `*`, which converts
    /// as is), the missing `?` or one out of place, the count of fields, a rate of 0.
    @Test func habitualSchedulesSayWhatToChange() {
        let expected: [(String, String?)] = [
            ("rate(1 days)", "with 1, the unit is singular: rate(1 day)"),
            ("rate(5 minute)", "with 5, the unit is plural: rate(5 minutes)"),
            ("0 3 * * *", "a crontab line: EventBridge takes cron(…) with six fields, the year last, and ? in one day field such as cron(0 3 * * ? *)"),
            ("cron(0 3 * * *)", "five fields: EventBridge takes cron(…) with six fields, the year last, and ? in one day field such as cron(0 3 * * ? *)"),
            ("0 3 * * 1", "a crontab line: EventBridge takes cron(…) with six fields, the year last, and ? in one day field"),
            ("cron(0 3 * * MON-FRI *)", "one of the two day fields, day-of-month or day-of-week, must be ?"),
            ("rate(0 days)", "a rate's number is 1 or more"), ("cron(0 3 * * ? * *)", "7 fields, not 6"),
            ("cron(0 3 ? * ? *)", "? in both day fields: one of them takes days (* for every day)"),
            ("cron(0 3 * ? ? *)", "? in the month field: only the two day fields take ?"),
            ("rate(5 minutes)", nil), ("cron(0 3 * * ? *)", nil), ("nightly", nil),
        ]
        for (schedule, problem) in expected {
            #expect(FargateService.Job.shapeProblem(of: schedule) == problem, "\(schedule)")
        }
    }

    @Test func aJobsTimeZoneIsReadAsAutoscalingReadsOne() {
        var job = FargateService.Job()
        job.schedule = "cron(0 3 * * ? *)"
        // Zones and links of the tz database (Asia/Calcutta is Asia/Kolkata's older name).
        for good in ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+2", "Asia/Calcutta", "America/Ciudad_Juarez", "EST5EDT"] {
            job.timezone = good
            #expect(problems(job).isEmpty, "\(good)")
        }
        // Before, a job took a lowercase first letter and any number of parts; IANA names have neither.
        // Names of the right shape that the tz database does not know are refused too: EventBridge
        // Scheduler would refuse them at deploy, after the services rolled out.
        for bad in [
            "europe/berlin", "Europe/Berlin/Mitte/Nord", "Europe//Berlin", "Ｅurope/Berlin", "Europe/Berlin Time", "Europe/Berln", "Mars/Olympus",
            "Factory", "Etc/GMT+15", "", "Asia/\u{212A}arachi",
        ] {
            job.timezone = bad
            #expect(
                problems(job) == ["timezone: expected an IANA time zone such as Europe/Berlin or UTC, got \"\(bad)\""], "\(bad)")
        }
    }

    private func problems(_ job: FargateService.Job) -> [String] {
        var problems = SettingProblems()
        job.validate(into: &problems)
        return problems.all.map { "\($0.location): \($0.message)" }
    }
}
