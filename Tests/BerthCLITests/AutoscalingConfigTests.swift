import BerthResources
import Testing

@testable import BerthConfig

/// `autoscaling` in an environment file: every key read, every mistake at its file:line:column.
@Suite struct AutoscalingConfigTests {
    private func errors(_ text: String) -> [String] { environmentFileErrors(text) }

    /// A web service `web` (line 4) and a worker `jobs` after it, each with `autoscaling:`
    /// (line 7 for `web`) and the lines given, indented under it.
    private func environment(web: String = "", jobs: String = "", containerInsights: Bool = true) -> String {
        func indented(_ lines: String) -> String {
            lines.split(separator: "\n").map { "      " + $0 + "\n" }.joined()
        }
        return """
            app: shop
            region: eu-west-1
            services:
              web:
                cpu: 256
                memory: 512
              jobs:
                kind: worker
                cpu: 256
                memory: 512

            """.replacingOccurrences(of: "    memory: 512\n  jobs:", with: "    memory: 512\n" + (web.isEmpty ? "" : "    autoscaling:\n" + indented(web)) + "  jobs:")
            + (jobs.isEmpty ? "" : "    autoscaling:\n" + indented(jobs))
            + (containerInsights ? "" : "containerInsights: false\n")
    }

    @Test func everyKeyIsRead() throws {
        let text = environment(
            web: """
                minCount: 1
                maxCount: 4
                memoryTargetPercent: 80
                requestsPerTarget: 500
                timezone: Europe/Paris
                schedule:
                  - {cron: "cron(0 20 ? * MON-FRI *)", minCount: 0, maxCount: 0}
                  - cron: cron(0 7 ? * MON-FRI *)
                    maxCount: 4
                """,
            jobs: """
                minCount: 2
                maxCount: 9
                cpuTargetPercent: 50
                queue: arn:aws:sqs:eu-west-1:123456789012:orders
                messagesPerTask: 25
                """)
        let config = try EnvironmentConfig.parse(text, name: "dev", file: "dev.yaml")
        let web = try #require(config.settings.service("web")?.autoscaling)
        #expect(web.minCount == 1 && web.maxCount == 4)
        #expect(web.cpuTargetPercent == nil && web.cpuPolicyTargetPercent == nil)
        #expect(web.memoryTargetPercent == 80)
        #expect(web.requestsPerTarget == 500)
        #expect(web.timezone == "Europe/Paris")
        #expect(web.schedule == [
            .init(cron: "cron(0 20 ? * MON-FRI *)", minCount: 0, maxCount: 0), .init(cron: "cron(0 7 ? * MON-FRI *)", maxCount: 4),
        ])
        let jobs = try #require(config.settings.service("jobs")?.autoscaling)
        #expect(jobs.cpuPolicyTargetPercent == 50)
        #expect(jobs.queue == "arn:aws:sqs:eu-west-1:123456789012:orders" && jobs.queueName == "orders")
        #expect(jobs.messagesPerTask == 25)
        #expect(config.location(of: "autoscaling.schedule[1].maxCount", service: "web") == "dev.yaml:16:21")
        #expect(config.location(of: "autoscaling.schedule[0]", service: "web") == "dev.yaml:14:11")
    }

    @Test func scheduleMistakesAreFoundWhereTheyAre() {
        let found = errors(environment(web: """
            minCount: 0
            maxCount: 2
            schedule:
              - {minCount: 1}
              - {cron: "cron(0 7 * * * *)", minCount: 3, maxCount: 2}
              - {cron: "cron(0 8 ? * MON *)", when: daily}
              - cron(0 9 ? * MON *)
            """))
        // Every mistake at once: an entry that cannot be read is left out of the value checks
        // (nothing said twice), and the others' are placed at their own entries in the file.
        #expect(found == [
            "dev.yaml:11:11: services.web.autoscaling.schedule[0].cron: missing; expected when, such as cron(0 20 ? * MON-FRI *)",
            "dev.yaml:13:41: services.web.autoscaling.schedule[2].when: unknown key; expected one of cron, minCount, maxCount",
            "dev.yaml:14:11: services.web.autoscaling.schedule[3]: expected a mapping of keys to values, got a string",
            "dev.yaml:12:18: services.web.autoscaling.schedule[1].cron: expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"cron(0 7 * * * *)\"",
            "dev.yaml:12:62: services.web.autoscaling.schedule[1].maxCount: must be 0 to 10000 and at least the entry's minCount (3), got 2",
            "dev.yaml:13:11: services.web.autoscaling.schedule[2]: changes nothing; give minCount, maxCount or both",
        ])
        #expect(errors(environment(web: """
            minCount: 0
            maxCount: 2
            schedule:
              - {cron: "cron(0 7 * * * *)", minCount: 3, maxCount: 2}
              - {cron: "cron(0 8 ? * MON *)"}
            """)) == [
            "dev.yaml:11:18: services.web.autoscaling.schedule[0].cron: expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"cron(0 7 * * * *)\"",
            "dev.yaml:11:62: services.web.autoscaling.schedule[0].maxCount: must be 0 to 10000 and at least the entry's minCount (3), got 2",
            "dev.yaml:12:11: services.web.autoscaling.schedule[1]: changes nothing; give minCount, maxCount or both",
        ])
        #expect(errors(environment(web: "minCount: 1\nmaxCount: 2\nschedule: {cron: x}")) == [
            "dev.yaml:10:17: services.web.autoscaling.schedule: expected a list of mappings, got a mapping"
        ])
        #expect(errors(environment(web: "minCount: 1\nmaxCount: 2\ntimezone: Mars\nschedule:\n  - {cron: \"cron(0 7 ? * MON *)\", maxCount: -1}")) == [
            "dev.yaml:12:51: services.web.autoscaling.schedule[0].maxCount: expected a whole number from 0 to 10000, got -1"
        ])
        // With one entry read, the time zone is checked with it.
        #expect(errors(environment(web: "minCount: 1\nmaxCount: 2\ntimezone: paris\nschedule:\n  - {maxCount: 1}\n  - {cron: \"cron(0 7 ? * MON *)\", maxCount: 0}")) == [
            "dev.yaml:12:11: services.web.autoscaling.schedule[0].cron: missing; expected when, such as cron(0 20 ? * MON-FRI *)",
            "dev.yaml:10:17: services.web.autoscaling.timezone: expected an IANA time zone name such as Europe/Paris, America/New_York or UTC, got \"paris\"",
        ])
    }

    /// A bound that is missing (a misspelt `maxCount`) or out of range is said once, and hides
    /// none of the other mistakes: the schedule's and the metrics' are still found.
    @Test func aMissingBoundHidesNoOtherMistake() {
        let found = errors(environment(web: """
            minCount: 2
            maxcount: 4
            cpuTargetPercent: 500
            schedule:
              - {cron: "cron(0 7 * * * *)", maxCount: 1}
            """))
        // The misspelt bound is said once, as the key that stands for it: not also as missing.
        #expect(found == [
            "dev.yaml:10:25: services.web.autoscaling.cpuTargetPercent: expected a whole number from 1 to 100, got 500",
            "dev.yaml:9:7: services.web.autoscaling.maxcount: unknown key; did you mean maxCount?",
            "dev.yaml:12:18: services.web.autoscaling.schedule[0].cron: expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"cron(0 7 * * * *)\"",
        ], "\(found)")
        // A bound out of range stands in too: no queue or ordering problem is made up from it.
        #expect(errors(environment(jobs: "minCount: 1\nmaxCount: 0\nqueue: orders\nmessagesPerTask: 10")) == [
            "dev.yaml:13:17: services.jobs.autoscaling.maxCount: expected a whole number from 1 to 10000, got 0"
        ])
    }

    @Test func metricMistakesAreFoundAtTheirKeys() {
        let found = errors(environment(
            web: "minCount: 1\nmaxCount: 2\nrequestsPerTarget: 0\ntimezone: Europe/Paris",
            jobs: "minCount: 1\nmaxCount: 2\nrequestsPerTarget: 100\nmessagesPerTask: 10\nmemoryTargetPercent: 101"))
        #expect(found == [
            "dev.yaml:10:26: services.web.autoscaling.requestsPerTarget: expected a whole number from 1 to 1000000, got 0",
            "dev.yaml:21:28: services.jobs.autoscaling.memoryTargetPercent: expected a whole number from 1 to 100, got 101",
            "dev.yaml:11:17: services.web.autoscaling.timezone: applies to the schedule's cron expressions, and there is no schedule",
            "dev.yaml:19:26: services.jobs.autoscaling.requestsPerTarget: counts a load balancer's requests, and a worker takes none; scale it on cpuTargetPercent, memoryTargetPercent or a queue",
            "dev.yaml:20:24: services.jobs.autoscaling.messagesPerTask: needs queue: the SQS queue (a name or an ARN) whose backlog it divides",
        ])
        // A queue refused at its line is not also said to be missing.
        let queueRefused = errors(environment(jobs: "minCount: 1\nmaxCount: 2\nqueue: [orders]\nmessagesPerTask: 10"))
        #expect(queueRefused.count == 1 && queueRefused.first?.contains("services.jobs.autoscaling.queue:") == true, "\(queueRefused)")
        // A messagesPerTask refused at its line is not also said to be missing.
        #expect(errors(environment(jobs: "minCount: 1\nmaxCount: 2\nqueue: orders\nmessagesPerTask: 0")) == [
            "dev.yaml:15:24: services.jobs.autoscaling.messagesPerTask: expected a whole number from 1 to 1000000, got 0"
        ])
    }

    @Test func aQueueNeedsContainerInsights() {
        #expect(errors(environment(jobs: "minCount: 1\nmaxCount: 2\nqueue: orders\nmessagesPerTask: 5", containerInsights: false)) == [
            "dev.yaml:14:14: services.jobs.autoscaling.queue: divides the backlog by the running tasks that Container Insights counts (ECS/ContainerInsights RunningTaskCount); remove containerInsights: false from the environment"
        ])
    }
}
