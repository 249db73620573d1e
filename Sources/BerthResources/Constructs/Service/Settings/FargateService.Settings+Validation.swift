extension FargateService.Settings {
    /// Everything about these settings that AWS would reject or that would not work, each at its
    /// key as environment files spell it (`healthCheck.path`). The whole-number keys are checked
    /// by their `Rules`, the ones the environment-file reader reads them with.
    public func validate() -> [(location: String, message: String)] {
        var problems = SettingProblems()
        validate(into: &problems)
        return problems.all
    }

    /// `validate()`, and what these settings need of `environment`, the environment they run
    /// in (Container Insights for scaling on a queue, say).
    public func validate(in environment: EnvironmentSettings) -> [(location: String, message: String)] {
        var problems = SettingProblems()
        validate(into: &problems)
        validate(in: environment, into: &problems)
        return problems.all
    }

    /// What these settings need of `environment`.
    func validate(in environment: EnvironmentSettings, into problems: inout SettingProblems) {
        autoscaling?.validate(in: environment, into: &problems)
        if kind == .job { job.validate(in: environment, into: &problems) }
        // KMS keys are regional: CloudWatch Logs encrypts a log group with a key of its region.
        if let region = logKMSKeyArn.flatMap(ARN.region(of:)), !environment.region.isEmpty, region != environment.region {
            problems.add(
                "logs.kmsKeyArn",
                "the key is in \(region), and the log group in \(environment.region); CloudWatch Logs encrypts a log group with a key of its own region")
        }
    }

    func validate(into problems: inout SettingProblems) {
        if let problem = size.problem { problems.add("cpu", problem) }
        problems.check(Rules.desiredCount, in: self)
        if kind == .web {
            webProblems(into: &problems)
        } else {
            if kind == .backend { problems.check(Rules.containerPort, in: self) }
            // What only a load balancer uses, set in Swift code (the environment-file reader
            // refuses these keys at their line).
            let why = kind == .backend
                ? "a backend has no load balancer; the environment's services reach it at http://<name>:<containerPort>"
                : "a worker takes no requests"
            problems.check(routing == FargateService.Routing(), "routing", why)
            problems.check(healthCheck == FargateService.HealthCheck(), "healthCheck", why)
            problems.check(loadBalancer == .shared, "loadBalancer", why)
        }
        if kind == .job {
            job.validate(into: &problems)
        }
        if let containerHealthCheck {
            problems.check(
                ["CMD", "CMD-SHELL"].contains(containerHealthCheck.command.first ?? ""), "containerHealthCheck.command",
                "must start with CMD or CMD-SHELL")
            problems.check(
                containerHealthCheck.command.dropFirst().contains { !$0.allSatisfy(\.isWhitespace) }, "containerHealthCheck.command",
                "holds no command to run")
            problems.check(
                !containerHealthCheck.command.contains { $0.utf8.contains(0) }, "containerHealthCheck.command",
                "holds a NUL character, which a command's words cannot carry")
            for rule in Rules.containerHealthCheck { problems.check(rule, in: containerHealthCheck) }
        }
        for key in environment.keys.sorted() {
            problems.check(
                FargateService.isValidVariableName(key), "environment.\(key)", "is not a valid variable name (\(FargateService.variableNameRule))")
            problems.check(
                !FargateService.buildMetadataVariables.contains(key), "environment.\(key)",
                "is set by Berth from the deploy's build metadata; choose another name")
            // A process's environment is C strings: the value would end at the NUL.
            problems.check(
                !(environment[key] ?? "").utf8.contains(0), "environment.\(key)", "holds a NUL character, which a process's environment cannot carry")
        }
        for key in secrets.keys.sorted() {
            let arn = secrets[key] ?? ""
            problems.check(
                FargateService.isValidVariableName(key), "secrets.\(key)", "is not a valid variable name (\(FargateService.variableNameRule))")
            problems.check(environment[key] == nil, "secrets.\(key)", "is also a plain environment variable; keep one")
            problems.check(
                !FargateService.buildMetadataVariables.contains(key), "secrets.\(key)",
                "is set by Berth from the deploy's build metadata; choose another name")
            problems.check(
                ARN.isWellFormed(arn, service: "secretsmanager", resourcePrefix: "secret:")
                    || ARN.isWellFormed(arn, service: "ssm", resourcePrefix: "parameter/"),
                "secrets.\(key)",
                "must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>) or an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>); "
                    + "its value is not repeated here, as it may be the secret itself (\(arn.count) characters)")
        }
        problems.check(Rules.logRetentionDays, in: self)
        autoscaling?.validate(kind: kind, rollout: rollout, into: &problems)
        problems.check(Rules.minimumHealthyPercent, in: self)
        problems.check(Rules.maximumPercent, in: self)
        rollout.validate(kind: kind, loadBalancer: loadBalancer, into: &problems)
        var scratch: Set<String> = []
        for (index, path) in scratchPaths.enumerated() {
            // No `.` or `..` part: /tmp/../etc would lay an empty volume over /etc.
            let parts = path.split(separator: "/")
            guard
                path.hasPrefix("/") && path != "/" && !path.contains("//") && !path.contains(where: \.isWhitespace) && path.utf8.count <= 255
                    && !parts.contains(where: { $0 == "." || $0 == ".." })
            else {
                problems.add("scratchPaths[\(index)]", "\"\(path)\" is not an absolute directory path other than /, without . or .. parts")
                continue
            }
            // /tmp and /tmp/ are one directory: two volumes would be mounted on it.
            problems.check(scratch.insert(parts.joined(separator: "/")).inserted, "scratchPaths[\(index)]", "\(path) is listed twice")
        }
        if let repository, let problem = ImageRepository.nameProblem(repository) {
            problems.add("repository", problem)
        }
        for problem in ImageRepository.mutableTagsProblems(mutableTags) { problems.add("mutableTags", problem) }
        if kind == .job, let service = job.imageOf {
            let why = "the job runs \(service)'s image from \(service)'s repository; set it on \(service), or remove the key"
            problems.check(repository == nil, "repository", why)
            problems.check(mutableTags.isEmpty, "mutableTags", why)
        }
        if let user {
            problems.check(
                FargateService.isUserSpec(user), "user",
                "expected a user name or ID, optionally with a group (1000, 1000:1000, app), got \"\(user)\"")
        }
    }

    /// The keys only a web service has: its port, the load balancer's health check and the routing.
    private func webProblems(into problems: inout SettingProblems) {
        problems.check(Rules.containerPort, in: self)
        // Elastic Load Balancing takes a path of 1 to 1024 characters, which it sends in a
        // request line: no space or control character (quoted with the bytes Swift escapes).
        problems.check(
            healthCheck.path.hasPrefix("/") && healthCheck.path.unicodeScalars.count <= 1024 && healthCheck.path.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F },
            "healthCheck.path",
            "must start with /, and hold at most 1024 characters, none a space or a control character, got \(String(healthCheck.path.prefix(64)).debugDescription)"
                + (healthCheck.path.unicodeScalars.count > 64 ? " (\(healthCheck.path.unicodeScalars.count) characters)" : ""))
        problems.check(
            FargateService.isValidMatcher(healthCheck.matcher), "healthCheck.matcher",
            "must be HTTP codes such as 200, 200,204 or 200-399, got \"\(healthCheck.matcher)\"")
        for rule in Rules.healthCheck { problems.check(rule, in: healthCheck) }
        guard loadBalancer == .shared else { return }
        for (index, path) in routing.paths.enumerated() {
            problems.check(
                path.hasPrefix("/") && path.utf8.count <= 128 && path.allSatisfy(FargateService.isPathPatternCharacter), "routing.paths[\(index)]",
                "\"\(path)\" must start with / and hold at most 128 of A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & * ?")
        }
        for (index, host) in routing.hosts.enumerated() {
            problems.check(
                FargateService.isHostPattern(host), "routing.hosts[\(index)]",
                "\"\(host)\" must be a host name such as api.example.com or \"*.example.com\" (quoted: YAML reads a plain * as an alias)")
        }
        // A pattern listed twice says the same thing twice (host names are compared as ELB does,
        // without regard to case); one of them is a mistake for another pattern.
        let hosts = routing.hosts.map { host in String(decoding: host.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self) }
        for (name, patterns, shown) in [("paths", routing.paths, routing.paths), ("hosts", hosts, routing.hosts)] where patterns.count > 1 {
            var firstIndex: [String: Int] = [:]
            for (index, pattern) in patterns.enumerated() {
                if let first = firstIndex[pattern] {
                    problems.add("routing.\(name)[\(index)]", "\"\(shown[index])\" is routing.\(name)[\(first)] again: list each once")
                } else {
                    firstIndex[pattern] = index
                }
            }
        }
        problems.check(
            routing.paths.count + routing.hosts.count <= 5, "routing",
            "a listener rule matches at most 5 paths and hosts together, got \(routing.paths.count + routing.hosts.count)")
        problems.check(Rules.routingPriority, in: routing)
    }
}
