import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

/// `autoscaling`: a policy per metric, the schedule on the scalable target, and what is refused.
@Suite struct AutoscalingTests {
    private typealias Autoscaling = FargateService.Autoscaling

    private func service(
        _ autoscaling: Autoscaling, kind: FargateService.Kind = .web, loadBalancer: FargateService.LoadBalancerChoice = .shared
    ) -> FargateService {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: kind)
        settings.loadBalancer = loadBalancer
        settings.autoscaling = autoscaling
        return FargateService(
            name: "api", qualifiedName: "shop-dev-api", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"),
            settings: settings, repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 20)
    }

    private func build(_ service: FargateService) -> Stack {
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service.add(to: &stack)
        return stack
    }

    private func policies(_ template: Template) -> [String] {
        template.resources.filter { $0.value.type == "AWS::ApplicationAutoScaling::ScalingPolicy" }.map(\.name).sorted()
    }

    private func spec(_ template: Template, _ policy: String) -> JSONValue? {
        template.resource(policy)?.properties["TargetTrackingScalingPolicyConfiguration"]
    }

    @Test func theCPUPolicyAppliesWhenGivenOrWhenNoOtherMetricIs() {
        let alone = build(service(Autoscaling(minCount: 1, maxCount: 4))).template
        #expect(policies(alone) == ["CpuScalingPolicy"])
        #expect(spec(alone, "CpuScalingPolicy")?["TargetValue"] == .double(60))

        var memory = Autoscaling(minCount: 1, maxCount: 4)
        memory.memoryTargetPercent = 80
        let memoryOnly = build(service(memory)).template
        #expect(policies(memoryOnly) == ["MemoryScalingPolicy"])
        #expect(spec(memoryOnly, "MemoryScalingPolicy")?["PredefinedMetricSpecification"] == ["PredefinedMetricType": "ECSServiceAverageMemoryUtilization"])
        #expect(spec(memoryOnly, "MemoryScalingPolicy")?["TargetValue"] == .double(80))
        #expect(memoryOnly.resource("MemoryScalingPolicy")?.properties["PolicyName"] == ["Fn::Sub": "${AWS::StackName}-memory"])

        memory.cpuTargetPercent = 70
        let both = build(service(memory)).template
        #expect(policies(both) == ["CpuScalingPolicy", "MemoryScalingPolicy"])
        #expect(spec(both, "CpuScalingPolicy")?["TargetValue"] == .double(70))
    }

    @Test func requestsBehindTheSharedLoadBalancerNameItByAParameterFromTheSharedStack() {
        var autoscaling = Autoscaling(minCount: 1, maxCount: 4)
        autoscaling.requestsPerTarget = 500
        let stack = build(service(autoscaling))
        #expect(stack.validate().isEmpty)
        #expect(policies(stack.template) == ["RequestCountScalingPolicy"])
        #expect(spec(stack.template, "RequestCountScalingPolicy")?["PredefinedMetricSpecification"] == [
            "PredefinedMetricType": "ALBRequestCountPerTarget",
            "ResourceLabel": ["Fn::Sub": "${LoadBalancerFullName}/${TargetGroup.TargetGroupFullName}"],
        ])
        #expect(spec(stack.template, "RequestCountScalingPolicy")?["TargetValue"] == .double(500))
        #expect(stack.template.parameters.last?.name == "LoadBalancerFullName")
        #expect(stack.parameterSources.last?.value == .stackOutput(stack: "shop-dev", output: "LoadBalancerFullName"))
        // Without a request policy the service stack asks for no load balancer name.
        #expect(!build(service(Autoscaling(minCount: 1, maxCount: 4))).template.parameters.map(\.name).contains("LoadBalancerFullName"))
    }

    @Test func requestsBehindTheServicesOwnLoadBalancerNameItDirectly() {
        var autoscaling = Autoscaling(minCount: 1, maxCount: 4)
        autoscaling.requestsPerTarget = 200
        let stack = build(service(autoscaling, loadBalancer: .dedicated))
        #expect(stack.validate().isEmpty)
        #expect(spec(stack.template, "RequestCountScalingPolicy")?["PredefinedMetricSpecification"]?["ResourceLabel"] == [
            "Fn::Sub": "${LoadBalancer.LoadBalancerFullName}/${TargetGroup.TargetGroupFullName}"
        ])
        #expect(!stack.template.parameters.map(\.name).contains("LoadBalancerFullName"))
    }

    @Test func theSharedStackOutputsTheLoadBalancersFullNameOnlyWhenAServiceScalesOnRequests() {
        func outputs(requests: Int?, loadBalancer: FargateService.LoadBalancerChoice = .shared) -> [String] {
            var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
            var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
            settings.loadBalancer = loadBalancer
            var autoscaling = Autoscaling(minCount: 1, maxCount: 2)
            autoscaling.requestsPerTarget = requests
            settings.autoscaling = autoscaling
            environment.services = [Named("web", settings), Named("api", FargateService.Settings(size: FargateSize(cpu: 256, memory: 512)))]
            var stack = Stack(name: "shop-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
            SharedEnvironment(environment: environment, qualifiedName: "shop-dev").add(to: &stack)
            return stack.template.outputs.map(\.name)
        }
        #expect(outputs(requests: 100).contains("LoadBalancerFullName"))
        #expect(!outputs(requests: nil).contains("LoadBalancerFullName"))
        #expect(!outputs(requests: 100, loadBalancer: .dedicated).contains("LoadBalancerFullName"))
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        var web = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        web.autoscaling = Autoscaling(minCount: 1, maxCount: 2)
        web.autoscaling?.requestsPerTarget = 100
        environment.services = [Named("web", web)]
        var stack = Stack(name: "shop-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        SharedEnvironment(environment: environment, qualifiedName: "shop-dev").add(to: &stack)
        #expect(stack.template.outputs.first { $0.name == "LoadBalancerFullName" }?.value.value == ["Fn::GetAtt": ["LoadBalancer", "LoadBalancerFullName"]])
    }

    @Test func aQueuesBacklogIsDividedByTheRunningTasks() throws {
        var autoscaling = Autoscaling(minCount: 1, maxCount: 10)
        autoscaling.queue = "arn:aws:sqs:eu-west-1:123456789012:shop-dev-orders"
        autoscaling.messagesPerTask = 100
        let stack = build(service(autoscaling, kind: .worker))
        #expect(stack.validate().isEmpty)
        #expect(policies(stack.template) == ["QueueBacklogScalingPolicy"])
        let configuration = try #require(spec(stack.template, "QueueBacklogScalingPolicy"))
        #expect(configuration["TargetValue"] == .double(100))
        let metrics = try #require(configuration["CustomizedMetricSpecification"]?["Metrics"]?.elements)
        #expect(metrics.map { $0["Id"] } == ["m1", "m2", "e1"])
        #expect(metrics.map { $0["ReturnData"] } == [false, false, true])
        #expect(metrics[0]["MetricStat"] == [
            "Metric": [
                "Dimensions": [["Name": "QueueName", "Value": "shop-dev-orders"]], "MetricName": "ApproximateNumberOfMessagesVisible",
                "Namespace": "AWS/SQS",
            ],
            "Stat": "Sum",
        ])
        #expect(metrics[1]["MetricStat"]?["Metric"] == [
            "Dimensions": [
                ["Name": "ClusterName", "Value": ["Ref": "ClusterName"]], ["Name": "ServiceName", "Value": ["Fn::GetAtt": ["Service", "Name"]]],
            ],
            "MetricName": "RunningTaskCount", "Namespace": "ECS/ContainerInsights",
        ])
        #expect(metrics[2]["Expression"] == "m1 / m2")
        // A queue named by name is used as it is.
        autoscaling.queue = "exports.fifo"
        let byName = build(service(autoscaling, kind: .worker)).template
        let named = spec(byName, "QueueBacklogScalingPolicy")?["CustomizedMetricSpecification"]?["Metrics"]?.elements?.first
        #expect(named?["MetricStat"]?["Metric"]?["Dimensions"] == [["Name": "QueueName", "Value": "exports.fifo"]])
    }

    @Test func theScheduleChangesTheBoundsOfTheScalableTarget() throws {
        var autoscaling = Autoscaling(minCount: 1, maxCount: 4)
        autoscaling.schedule = [
            .init(cron: "cron(0 20 ? * MON-FRI *)", minCount: 0, maxCount: 0), .init(cron: "cron(0 7 ? * MON-FRI *)", maxCount: 4),
        ]
        autoscaling.timezone = "Europe/Paris"
        let stack = build(service(autoscaling))
        #expect(stack.validate().isEmpty)
        let target = try #require(stack.template.resource("ScalableTarget"))
        #expect(target.properties["ScheduledActions"] == [
            [
                "ScalableTargetAction": ["MaxCapacity": 0, "MinCapacity": 0], "Schedule": "cron(0 20 ? * MON-FRI *)",
                "ScheduledActionName": "schedule-1", "Timezone": "Europe/Paris",
            ],
            [
                "ScalableTargetAction": ["MaxCapacity": 4], "Schedule": "cron(0 7 ? * MON-FRI *)", "ScheduledActionName": "schedule-2",
                "Timezone": "Europe/Paris",
            ],
        ])
        // The schedule is no metric: the CPU policy still applies.
        #expect(policies(stack.template) == ["CpuScalingPolicy"])
        #expect(build(service(Autoscaling(minCount: 1, maxCount: 4))).template.resource("ScalableTarget")?.properties["ScheduledActions"] == nil)
    }

    @Test func everyMistakeIsReportedAtItsKey() {
        var autoscaling = Autoscaling(minCount: 0, maxCount: 4)
        autoscaling.requestsPerTarget = 100
        autoscaling.queue = "orders queue"
        autoscaling.schedule = [
            .init(cron: "cron(0 20 * * MON-FRI *)", minCount: 0, maxCount: 3),
            .init(cron: "0 7 * * ? *"),
            .init(cron: "cron(0 7 ? * MON *)", minCount: 3, maxCount: 2),
            .init(cron: "cron(0 7 ? * mon *)", minCount: 1),
            .init(cron: "cron(0  9 ? * TUE *)", minCount: 1),
        ]
        autoscaling.timezone = "paris"
        let problems = service(autoscaling, kind: .worker).validate().map { "\($0.location): \($0.message)" }
        #expect(problems == [
            "autoscaling.requestsPerTarget: counts a load balancer's requests, and a worker takes none; scale it on cpuTargetPercent, memoryTargetPercent or a queue",
            "autoscaling.queue: expected an SQS queue's name (up to 80 letters, digits, - and _, ending .fifo for a FIFO queue) or its ARN (arn:aws:sqs:<region>:<account>:<name>), got \"orders queue\"",
            "autoscaling.queue: needs messagesPerTask: the visible messages per running task that scaling aims for",
            "autoscaling.minCount: must be at least 1 when scaling on a queue: the backlog is divided by the running tasks, so with none it never scales out (a schedule may still stop the service with minCount: 0 and maxCount: 0)",
            "autoscaling.schedule[0].cron: expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"cron(0 20 * * MON-FRI *)\"",
            "autoscaling.schedule[0].minCount: 0 lets the queue's backlog policy scale in to no task, from which it never scales out; stop the service with minCount: 0 and maxCount: 0, or keep at least 1",
            "autoscaling.schedule[1].cron: expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"0 7 * * ? *\"",
            "autoscaling.schedule[1]: changes nothing; give minCount, maxCount or both",
            "autoscaling.schedule[2].maxCount: must be 0 to 10000 and at least the entry's minCount (3), got 2",
            "autoscaling.schedule[3].cron: cron(0 7 ? * mon *) is scheduled twice; merge the two entries",
            "autoscaling.schedule[4].cron: expected cron(minutes hours day-of-month month day-of-week year): six fields, ? in one of the two day fields, such as cron(0 20 ? * MON-FRI *), got \"cron(0  9 ? * TUE *)\" (separate its parts by single spaces: cron(0 9 ? * TUE *))",
            "autoscaling.timezone: expected an IANA time zone name such as Europe/Paris, America/New_York or UTC, got \"paris\"",
        ])
    }

    @Test func numbersOutOfRangeAndHalfAQueueAreRefused() {
        var autoscaling = Autoscaling(minCount: 1, maxCount: 4, cpuTargetPercent: 101)
        autoscaling.memoryTargetPercent = 0
        autoscaling.messagesPerTask = 0
        autoscaling.timezone = "UTC"
        autoscaling.schedule = []
        var web = service(autoscaling)
        web.settings.rollout.strategy = .canary
        web.settings.autoscaling?.requestsPerTarget = 0
        #expect(web.validate().map { "\($0.location): \($0.message)" } == [
            "autoscaling.cpuTargetPercent: must be 1 to 100, got 101",
            "autoscaling.memoryTargetPercent: must be 1 to 100, got 0",
            "autoscaling.requestsPerTarget: must be 1 to 1000000, got 0",
            "autoscaling.requestsPerTarget: counts the requests of one target group, and a canary deployment moves the traffic to the other; scale on cpuTargetPercent or memoryTargetPercent, or deploy rolling",
            "autoscaling.messagesPerTask: must be 1 to 1000000, got 0",
            "autoscaling.messagesPerTask: needs queue: the SQS queue (a name or an ARN) whose backlog it divides",
            "autoscaling.timezone: applies to the schedule's cron expressions, and there is no schedule",
        ])
    }

    @Test func aQueueNeedsContainerInsightsAndTheServicesRegion() {
        var autoscaling = Autoscaling(minCount: 1, maxCount: 4)
        autoscaling.queue = "arn:aws:sqs:us-east-1:123456789012:orders"
        autoscaling.messagesPerTask = 10
        var worker = service(autoscaling, kind: .worker)
        worker.environment.containerInsights = false
        let expected = [
            "autoscaling.queue: divides the backlog by the running tasks that Container Insights counts (ECS/ContainerInsights RunningTaskCount); remove containerInsights: false from the environment",
            "autoscaling.queue: is in us-east-1, and the service's scaling alarms read the metrics of eu-west-1 only",
        ]
        #expect(worker.validate().map { "\($0.location): \($0.message)" } == expected)
        #expect(worker.settings.validate().isEmpty)
        #expect(worker.settings.validate(in: worker.environment).map { "\($0.location): \($0.message)" } == expected)
        // The synthesized stack carries them too.
        #expect(build(worker).validate().map(\.message).contains { $0.contains("Container Insights") })
    }

    @Test func cronExpressionsHaveSixFieldsAndOneQuestionMark() {
        for good in [
            "cron(0 20 ? * MON-FRI *)", "cron(15 10 ? * 6L 2026-2030)", "cron(0/5 8-17 1,15 * ? *)", "cron(0 0 L * ? *)", "cron(0 9 ? * 2#1 *)",
            "cron(59 23 31 DEC ? 2199)", "cron(0 0 ? jan-mar sun 1970)", "cron(*/10 * 15W * ? *)", "cron(0 12 LW * ? *)", "cron(0 8 ? * L *)",
            "cron(0 3 29 FEB ? 2027-2028)", "cron(0 3 29 2 ? 2000)", "cron(0 3 29 FEB ? *)", "cron(0 3 29W FEB ? 2026/2)", "cron(0 3 31 JAN,FEB ? 2027)",
        ] {
            #expect(Autoscaling.isCron(good), "\(good)")
            #expect(CronExpression.valueProblem(good) == nil, "\(good)")
        }
        // Values out of their field's range, which EventBridge and Application Auto Scaling refuse
        // at deploy time: refused here, saying which field.
        for (bad, problem) in [
            ("cron(60 3 * * ? *)", "minutes: 60 is not one of 0-59"), ("cron(0 24 * * ? *)", "hours: 24 is not one of 0-23"),
            ("cron(0 3 0 * ? *)", "day-of-month: 0 is not one of 1-31"), ("cron(0 3 ? 13 * *)", "month: 13 is not one of 1-12 or JAN-DEC"),
            ("cron(0 3 ? * FOO *)", "day-of-week: FOO is not one of 1-7 or SUN-SAT"),
            ("cron(0/0 3 * * ? *)", "minutes: 0/0: the step after / is a whole number from 1 to 59"),
            ("cron(-1 3 * * ? *)", "minutes: an empty value is not one of 0-59"), ("cron(0 3 ? * 6#6 *)", "day-of-week: 6#6: # goes between a day of the week and its week of the month (1-5), as in 2#1"),
            ("cron(0 3 * * ? 1969)", "year: 1969 is not one of 1970-2199"), ("cron(0 3 1,,2 * ? *)", "day-of-month: an empty item"),
            ("cron(99 99 99 99 ? *)", "minutes: 99 is not one of 0-59"), ("cron(0 3 32W * ? *)", "day-of-month: 32W: W follows a day of the month (1-31)"),
            // What AWS's reference does not allow in the day of the week: a step, or # among others.
            ("cron(0 3 ? * 1/2 *)", "day-of-week: 1/2: the day of the week takes no / (list the days: MON,WED,FRI)"),
            ("cron(0 3 ? * MON-FRI/2 *)", "day-of-week: MON-FRI/2: the day of the week takes no / (list the days: MON,WED,FRI)"),
            ("cron(0 3 ? * 3#1,6#3 *)", "day-of-week: 3#1,6#3: an item with # is the field's only one (3#1,6#3 is two expressions, which AWS refuses)"),
            ("cron(0 3 ? * MON,2#1 *)", "day-of-week: MON,2#1: an item with # is the field's only one (3#1,6#3 is two expressions, which AWS refuses)"),
            // Taken by AWS, and never fires: the weekday nearest a day February does not have, and
            // 29 February in years none of which is a leap year (2100 is not one).
            ("cron(0 3 30W FEB ? *)", "day-of-month: 30W is in none of the months named (FEB has at most 29 days), so the schedule never fires"),
            ("cron(0 3 29 2 ? 2027)", "day-of-month: 29 of February is in none of the years named (2027 holds no leap year), so the schedule never fires"),
            ("cron(0 3 29 FEB ? 2025-2027,2100)", "day-of-month: 29 of February is in none of the years named (2025-2027,2100 holds no leap year), so the schedule never fires"),
        ] {
            #expect(!Autoscaling.isCron(bad), "\(bad)")
            #expect(CronExpression.valueProblem(bad) == problem, "\(bad)")
        }
        var job = FargateService.Job()
        job.schedule = "cron(0 24 * * ? *)"
        var problems = SettingProblems()
        job.validate(into: &problems)
        #expect(problems.all.map(\.message).contains { $0.hasSuffix("got \"cron(0 24 * * ? *)\" (hours: 24 is not one of 0-23)") }, "\(problems.all)")
        for bad in [
            "cron(0 20 * * MON-FRI *)", "cron(0 20 ? * ? *)", "cron(0 20 ? * MON-FRI)", "cron(0 20 ? * MON-FRI * *)", "rate(5 minutes)",
            "cron(0 20 ? * MON-FRI *", "cron(? 20 1 * ? *)", "cron(0 20 ? * MON;FRI *)", "cron()",
            // Fields separated otherwise than by single spaces: not passed on as written.
            "cron( 0 20 ? * MON-FRI *)", "cron(0  20 ? * MON-FRI *)", "cron(0 20 ? * MON-FRI * )",
        ] {
            #expect(!Autoscaling.isCron(bad), "\(bad)")
        }
        for bad in ["rate( 5 minutes)", "rate(5  minutes)", "rate(5 minutes )"] {
            #expect(!FargateService.Job.isScheduleExpression(bad), "\(bad)")
            #expect(FargateService.Job.shapeProblem(of: bad) == "separate its parts by single spaces: rate(5 minutes)", "\(bad)")
        }
        #expect(FargateService.Job.shapeProblem(of: "cron(0  20 ? * MON-FRI *)") == "separate its parts by single spaces: cron(0 20 ? * MON-FRI *)")
        #expect(TimeZoneName.isKnown("America/Argentina/Buenos_Aires") && TimeZoneName.isKnown("Etc/GMT+5"))
        #expect(TimeZoneName.isKnown("Africa/Abidjan") && TimeZoneName.isKnown("Zulu"), "the list's first and last")
        #expect(!TimeZoneName.isKnown("Europe//Paris") && !TimeZoneName.isKnown("europe/paris") && !TimeZoneName.isKnown("Europe/Paris Time"))
        #expect(!TimeZoneName.isKnown("Europe/Pariss") && !TimeZoneName.isKnown("Zulu2") && !TimeZoneName.isKnown("A"))
        #expect(Autoscaling.isQueue("arn:aws:sqs:eu-west-1:123456789012:orders.fifo") && Autoscaling.isQueue("a_b-c"))
        #expect(!Autoscaling.isQueue("arn:aws:sqs:eu-west-1:123:orders") && !Autoscaling.isQueue(String(repeating: "q", count: 81)) && !Autoscaling.isQueue(".fifo"))
    }
}
