import BerthModel
import BerthResources
import BerthTemplate

/// Reading a service's keys: the ones every service has, and the ones its kind decides.
extension EnvironmentConfig {
    /// The whole-number keys of a service, each read with the range its settings check.
    private typealias Rules = FargateService.Settings.Rules

    /// One service's keys, from its own mapping or, in the one-service form, the top level.
    /// A service's settings; under `controls`, the defaults Berth chooses follow the controls
    /// (logs kept a year). `routingRefused` says whether its routing's paths or hosts were refused.
    static func readService(
        _ reader: inout YAMLMappingReader, controls: ControlProfile?, routingRefused: inout Bool
    ) -> FargateService.Settings? {
        let readKind = reader.choice("kind", FargateService.Kind.allCases.map(\.rawValue)).flatMap(FargateService.Kind.init)
        // A kind refused (`kind: jobs`), or a misspelt kind key beside a job's keys (`knd: job`),
        // leaves the web and job keys unread and the service out: each would be refused, or
        // checked against other services, as a kind the service was not meant to have. (The keys
        // every service but a job has are still read.)
        let kindRefused =
            readKind == nil && (reader.has("kind") || (Self.jobKeys.contains(where: reader.has) && reader.misspells("kind")))
        let kind = readKind ?? .web
        let cpu = reader.int(Rules.cpu, required: true)
        let memory = reader.int(Rules.memory, required: true)
        // A cpu or memory refused at its line stands as the smallest size, so that the service's
        // other values are still checked (every mistake at once); the file is refused anyway.
        let size = cpu.flatMap { cpu in memory.map { FargateSize(cpu: cpu, memory: $0) } } ?? FargateSize(cpu: 256, memory: 512)
        var settings = FargateService.Settings(size: size, kind: kind)
        if controls == .controlTower { settings.logRetentionDays = FargateService.Settings.controlledLogRetentionDays }

        reader.read(Rules.desiredCount, into: &settings)
        if let value = reader.choice("architecture", ["x86_64", "arm64"]) {
            settings.cpuArchitecture = value == "arm64" ? .arm64 : .x86_64
        }
        if kindRefused {
            reader.leaveUnread(Self.webKeys + Self.jobKeys)
        } else {
            readKindKeys(kind, &reader, into: &settings, routingRefused: &routingRefused)
        }
        if var nested = reader.mapping("containerHealthCheck") {
            let command = nested.healthCheckCommand("command")
            // The other keys are read whatever the command is: a mistake there hides none here.
            var check = FargateService.ContainerHealthCheck(command: command ?? [])
            for rule in Rules.containerHealthCheck { nested.read(rule, into: &check) }
            if command != nil { settings.containerHealthCheck = check }
            reader.finish(nested)
        }
        if let value = reader.bool("readonlyRootFilesystem") { settings.readonlyRootFilesystem = value }
        settings.scratchPaths = reader.stringList("scratchPaths") ?? []
        settings.user = reader.string("user", expected: "a user name or ID, optionally with a group (1000:1000)")
        settings.repository = reader.string("repository", expected: "an ECR repository name such as shop/api")
        if let tags = reader.stringList("mutableTags") {
            if tags.isEmpty {
                reader.refuse("mutableTags", "lists no tag; name the tags that may move, such as [latest], or remove the key")
            }
            settings.mutableTags = tags
        }
        for (key, value) in reader.stringMap("environment") ?? [] { settings.environment[key] = value }
        for (key, value) in reader.stringMap(
            "secrets", secretNames: (FargateService.isValidVariableName, FargateService.variableNameRule)) ?? [] { settings.secrets[key] = value }
        if var nested = reader.mapping("logs") {
            nested.read(Rules.logRetentionDays, into: &settings)
            settings.logKMSKeyArn = nested.string("kmsKeyArn", expected: kmsKeyExpectation, where: isKMSKeyArn)
            reader.finish(nested)
        }
        if var nested = reader.mapping("autoscaling") {
            settings.autoscaling = readAutoscaling(&nested)
            reader.finish(nested)
        }
        if var nested = reader.mapping("deployment") {
            nested.read(Rules.minimumHealthyPercent, into: &settings)
            nested.read(Rules.maximumPercent, into: &settings)
            readRollout(&nested, into: &settings.rollout)
            reader.finish(nested)
        }
        if let value = reader.bool("execCommand") { settings.enableExecuteCommand = value }
        // What the kind does not have was refused at its line (`readKindKeys`): not again by the
        // settings' own check, which holds Swift code to the same.
        if kind == .job {
            (settings.desiredCount, settings.autoscaling, settings.rollout, settings.enableExecuteCommand) = (1, nil, FargateService.Rollout(), false)
        } else {
            settings.job = FargateService.Job()
        }
        guard !kindRefused else { return nil }
        return settings
    }

    /// The keys whose meaning depends on the service's kind, read or refused as `kind` has them:
    /// the load balancer's (`webKeys`; a backend has a port too) and a job's (`jobKeys`); and,
    /// for a job, refused, the keys of an ECS service.
    private static func readKindKeys(
        _ kind: FargateService.Kind, _ reader: inout YAMLMappingReader, into settings: inout FargateService.Settings, routingRefused: inout Bool
    ) {
        switch kind {
        case .web:
            readWeb(&reader, into: &settings, routingRefused: &routingRefused)
        case .backend:
            reader.read(Rules.containerPort, into: &settings)
            let why = "a backend has no load balancer; the environment's services reach it at http://<name>:<containerPort>. "
                + "Remove the key, or make the service kind: web"
            for key in ["routing", "healthCheck", "loadBalancer"] { reader.refuse(key, why) }
        case .worker, .job:
            let why = kind == .job
                ? "a job takes no requests; remove the key, or make it a service"
                : "a worker takes no requests; remove the key, or make the service kind: web or kind: backend"
            for key in ["containerPort", "healthCheck", "routing", "loadBalancer"] { reader.refuse(key, why) }
        }
        if kind == .job {
            readJob(&reader, into: &settings.job)
            let why = "a job runs to its end and has no ECS service; remove the key, or make it a service"
            for key in ["desiredCount", "autoscaling", "deployment", "execCommand"] { reader.refuse(key, why) }
            reader.refuse(
                "containerHealthCheck",
                "a job's task is not stopped or replaced when its check fails (ECS acts on health for a service's tasks); remove the key, "
                    + "or set it in Swift for a sidecar that waits for the job's container to be HEALTHY")
        } else {
            let why = "only a job has it; make the entry kind: job, or remove the key"
            // What people bring from Docker Compose, said in Berth's terms.
            reader.refuse(
                "image",
                "a service runs an image of its own repository (<app>/<service>, or repository:), tagged at each deploy; "
                    + "only a job has image:, to run a service's image (image: {service: NAME})")
            reader.refuse("command", "a service runs its image's own command (the Dockerfile's CMD); only a job has command:")
            for key in Self.jobKeys where key != "image" && key != "command" { reader.refuse(key, why) }
        }
    }

    /// The keys of a web service that a worker or a job does not have (a backend has a port).
    static let webKeys = ["containerPort", "loadBalancer", "routing", "healthCheck"]

    /// The keys only a job has.
    static let jobKeys = ["image", "command", "timeoutMinutes", "schedule", "timezone", "enabled", "retries", "runOnDeploy", "notifyOnFailure"]

    /// A job's keys: its image, command, timeout, schedule and deploy runs.
    private static func readJob(_ reader: inout YAMLMappingReader, into job: inout FargateService.Job) {
        if let text = reader.text(of: "image") {
            reader.refuse(
                "image",
                "a job runs the image of one of the environment's services, written image: {service: NAME}, not an image reference "
                    + "(got \(String(text.prefix(64)).debugDescription))")
        } else if var image = reader.mapping("image") {
            job.imageOf = image.string("service", required: true, expected: "the name of the service whose image the job runs")
            reader.finish(image)
        }
        job.command = reader.command("command")
        reader.read(Rules.jobTimeoutMinutes, into: &job)
        job.schedule = reader.string("schedule", expected: "cron(…) or rate(…)")
        job.timezone = reader.string("timezone", expected: "an IANA time zone such as Europe/Berlin")
        if let value = reader.bool("enabled") { job.scheduleEnabled = value }
        reader.read(Rules.jobRetries, into: &job)
        let moments = JobPolicy.RunOnDeploy.allCases
        job.runOnDeploy = reader.choice("runOnDeploy", moments.map(\.rawValue)).flatMap(JobPolicy.RunOnDeploy.init)
        job.failureTopicArn = reader.string("notifyOnFailure", expected: "the ARN of an SNS topic")
    }

    /// `autoscaling`: the bounds, the metrics' targets, the queue and the schedule. A bound that
    /// is missing or out of range is the reader's mistake, said once; the rest is still checked,
    /// with the bound standing in at a value its own checks pass (1), so that a misspelt
    /// `maxCount` does not hide a bad schedule. The file's errors keep the value from being used.
    private static func readAutoscaling(_ reader: inout YAMLMappingReader) -> FargateService.Autoscaling? {
        let minCount = reader.int(Rules.minCount, required: true)
        let maxCount = reader.int(Rules.maxCount, required: true)
        let standIn = 1
        var autoscaling = FargateService.Autoscaling(
            minCount: minCount ?? min(standIn, maxCount ?? standIn), maxCount: maxCount ?? max(standIn, minCount ?? standIn))
        for rule in [Rules.cpuTargetPercent, Rules.memoryTargetPercent, Rules.requestsPerTarget] { reader.read(rule, into: &autoscaling) }
        autoscaling.queue = reader.string("queue", expected: "an SQS queue's name or ARN")
        // One refused at its line stands in, so that messagesPerTask is not said to need one too.
        if autoscaling.queue == nil && reader.has("queue") && reader.has("messagesPerTask") { autoscaling.queue = "refused-queue" }
        reader.read(Rules.messagesPerTask, into: &autoscaling)
        // One refused at its line stands in as 1, so that the queue is not said to need one too.
        if autoscaling.messagesPerTask == nil && reader.has("messagesPerTask") && reader.has("queue") { autoscaling.messagesPerTask = standIn }
        // An entry that cannot be read is left out of the value checks, so that nothing is
        // reported twice; the others are checked, and the reader keeps their indices in
        // the file when one was left out.
        let entries = reader.mappingList("schedule") ?? []
        var kept: [Int] = []
        for (index, var entry) in entries.enumerated() {
            if entry.errors.isEmpty {
                let cron = entry.string("cron", required: true, expected: "when, such as cron(0 20 ? * MON-FRI *)")
                var change = FargateService.Autoscaling.ScheduledChange(cron: cron ?? "")
                entry.read(Rules.scheduledMinCount, into: &change)
                entry.read(Rules.scheduledMaxCount, into: &change)
                if entry.errors.isEmpty {
                    autoscaling.schedule.append(change)
                    kept.append(index)
                }
            }
            reader.finish(entry)
        }
        reader.keep(kept, of: entries.count, in: "schedule")
        let timezone = reader.string("timezone", expected: "an IANA time zone name such as Europe/Paris")
        // A time zone is checked with the schedule it applies to: not when every entry was left out.
        if kept.count == entries.count || !kept.isEmpty { autoscaling.timezone = timezone }
        return autoscaling
    }

    /// `deployment.strategy` and what goes with it.
    private static func readRollout(_ reader: inout YAMLMappingReader, into rollout: inout FargateService.Rollout) {
        let strategies = FargateService.Rollout.Strategy.allCases
        let strategy = reader.choice("strategy", strategies.map(\.rawValue)).flatMap(FargateService.Rollout.Strategy.init)
        if let strategy { rollout.strategy = strategy }
        // The settings of a strategy the service does not use would be ignored: refused, unless
        // the strategy itself is the mistake (said once, at its own line).
        let strategyIsReadable = strategy != nil || !reader.has("strategy")
        func refuseUnless(_ used: FargateService.Rollout.Strategy, _ nested: YAMLMappingReader) {
            guard strategyIsReadable, rollout.strategy != used else { return }
            reader.errors.append(
                SourceError(
                    file: reader.file, mark: nested.mark,
                    message: "\(nested.path): applies to strategy: \(used.rawValue), and the strategy is \(rollout.strategy.rawValue); "
                        + "set strategy: \(used.rawValue), or remove \(used.rawValue)"))
        }
        reader.read(Rules.bakeTimeMinutes, into: &rollout)
        if var canary = reader.mapping("canary") {
            refuseUnless(.canary, canary)
            if let value = canary.number("percent") { rollout.canaryPercent = value }
            canary.read(Rules.canaryBakeTimeMinutes, into: &rollout)
            reader.finish(canary)
        }
        if var linear = reader.mapping("linear") {
            refuseUnless(.linear, linear)
            if let value = linear.number("stepPercent") { rollout.linearStepPercent = value }
            linear.read(Rules.linearStepBakeTimeMinutes, into: &rollout)
            reader.finish(linear)
        }
        rollout.alarms = reader.stringList("alarms") ?? []
        reader.read(Rules.testPort, into: &rollout)
    }

    /// The keys only a web service has.
    private static func readWeb(_ reader: inout YAMLMappingReader, into settings: inout FargateService.Settings, routingRefused: inout Bool) {
        reader.read(Rules.containerPort, into: &settings)
        if let value = reader.choice("loadBalancer", FargateService.LoadBalancerChoice.allCases.map(\.rawValue)) {
            settings.loadBalancer = FargateService.LoadBalancerChoice(rawValue: value) ?? .shared
        }
        if var nested = reader.mapping("routing") {
            if settings.loadBalancer == .dedicated {
                reader.errors.append(
                    SourceError(
                        file: reader.file, mark: nested.mark,
                        message: "\(nested.path): a service with its own load balancer takes every request; remove routing or use loadBalancer: shared"))
            }
            let paths = nested.stringList("paths"), hosts = nested.stringList("hosts")
            settings.routing.paths = paths ?? []
            settings.routing.hosts = hosts ?? []
            nested.read(Rules.routingPriority, into: &settings.routing)
            // A routing whose paths or hosts were refused, or that has a key for them misspelt
            // (`path:`), is not what the file meant.
            routingRefused =
                !nested.isMapping || (paths == nil && nested.has("paths")) || (hosts == nil && nested.has("hosts")) || nested.hasUnknownKeys
            reader.finish(nested)
        } else if reader.has("routing") {
            routingRefused = true  // left empty, and refused as that
        }
        if var nested = reader.mapping("healthCheck") {
            // Its rule (a path starting with /) is the settings' own, checked once by `validate()`.
            if let value = nested.string("path", expected: "a path starting with /") { settings.healthCheck.path = value }
            if let value = nested.string("matcher") { settings.healthCheck.matcher = value }
            for rule in Rules.healthCheck { nested.read(rule, into: &settings.healthCheck) }
            reader.finish(nested)
        }
    }
}
