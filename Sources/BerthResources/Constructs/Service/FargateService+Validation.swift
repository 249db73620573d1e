import BerthModel

extension FargateService {
    /// Retention periods CloudWatch Logs accepts, in days.
    public static let validLogRetentionDays = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]

    /// Everything about the service that AWS would reject or that would not work: its settings'
    /// problems (`Settings.validate()`), then those of what Swift code added, at
    /// `sidecars.<name>` and `taskRoleStatements[<n>]`.
    public func validate() -> [(location: String, message: String)] {
        var problems = SettingProblems()
        settings.validate(into: &problems)
        settings.validate(in: environment, into: &problems)
        containerProblems(into: &problems)
        // One policy holds them: IAM takes each Sid once in a policy.
        var sids: [String: Int] = [:]
        for (index, statement) in taskRoleStatements.enumerated() {
            for problem in statement.problems() { problems.add("taskRoleStatements[\(index)]", problem) }
            guard let sid = statement.sid else { continue }
            if let first = sids[sid] {
                problems.add("taskRoleStatements[\(index)]", "sid \(sid) is taskRoleStatements[\(first)]'s too; IAM takes each Sid once in a policy")
            } else {
                sids[sid] = index
            }
        }
        return problems.all
    }

    /// Whether `image` is in a private ECR registry of `region`
    /// (`<account>.dkr.ecr.<region>.amazonaws.com/…`), which VPC endpoints reach.
    static func isInRegionalECR(_ image: String, region: String) -> Bool {
        FargateTaskDefinition.privateECRRepository(of: image)?.hasPrefix("\(region):") == true
    }

    /// `user`, or `user:group`: each a name or ID of letters, digits, `_`, `.` and `-`, not
    /// starting with `.` or `-`, at most 64.
    static func isUserSpec(_ spec: String) -> Bool {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { part in
            guard let first = part.first, (1...64).contains(part.count), first != ".", first != "-" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        }
    }

    /// Valid but risky settings: plain environment variables, of the main container or a
    /// sidecar, whose names look like a secret's or whose values are URLs with a password
    /// (anyone who may describe the task definition reads them); in an environment that
    /// requires signed images, a sidecar named by a tag, which the gate does not check. Values
    /// are never quoted.
    public func warnings() -> [(location: String, message: String)] {
        let containers = [("environment", settings.environment)] + sidecars.map { ("sidecars.\($0.name).environment", $0.environment) }
        return execWarnings + commandWarnings + unsignedSidecarWarnings + otherKindWarnings + neverRunWarnings + containers.flatMap { prefix, environment in
            environment.keys.sorted().compactMap { name -> (location: String, message: String)? in
                let why: String
                if Self.looksSecret(name) {
                    why = "looks like a secret"
                } else if Self.holdsURLPassword(environment[name] ?? "") {
                    why = "holds a URL with a password"
                } else {
                    return nil
                }
                return (
                    "\(prefix).\(name)",
                    "\(why), and plain environment variables are readable by anyone who may describe the task definition; "
                        + "move it to secrets: (a Secrets Manager or SSM parameter ARN)"
                )
            }
        }
    }

    /// The image gate checks the signatures of the services' own images, not a sidecar's (often
    /// in another registry): in an environment that requires them, a sidecar by tag runs
    /// whatever image the tag names when a task starts.
    private var unsignedSidecarWarnings: [(location: String, message: String)] {
        guard environment.signatures != nil else { return [] }
        return sidecars.filter { !$0.image.contains("@sha256:") }.map { sidecar in
            (
                "sidecars.\(sidecar.name).image",
                "environment \(environment.name) requires signed images, but the image gate checks the services' own images only: this "
                    + "sidecar's image is named by a tag, which can move to an image no one checked; name it by digest (…@sha256:<hex>)"
            )
        }
    }

    /// A job's command whose words a shell would read as operators (`&&`, `|`, `;`, `>`): ECS
    /// runs the words themselves, with no shell, so `migrate && seed` passes `&&` to `migrate`.
    private var commandWarnings: [(location: String, message: String)] {
        guard let command = settings.job.command, !["sh", "bash", "/bin/sh", "/bin/bash"].contains(command.first ?? "") else { return [] }
        let operators: Set<String> = ["&&", "||", "|", ";", ">", ">>", "<", "&"]
        // find's `-exec … ;` ends its own command with a `;` word.
        let execEnds = command.contains { ["-exec", "-execdir", "-ok", "-okdir"].contains($0) }
        guard let word = command.first(where: { operators.contains($0) && !(execEnds && $0 == ";") }) else { return [] }
        return [(
            "command",
            "passes \(word) to the program as a word: no shell runs the command; to run a shell line, write [sh, -c, \"…\"]"
        )]
    }

    /// The directories ECS Exec's agent writes to inside the container, which a read-only root
    /// refuses unless they are writable volumes: not documented by AWS, but what users found
    /// (aws-containers/amazon-ecs-exec-checker#21, aws/containers-roadmap#1359).
    public static let execAgentPaths = ["/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"]

    /// What only a job has, or only a service, set in Swift code on the other (the
    /// environment-file reader refuses these keys at their line): nothing reads it. A warning,
    /// not a problem: a body of `configureService` for every service sets it on the jobs too.
    private var otherKindWarnings: [(location: String, message: String)] {
        var found: [(location: String, message: String)] = []
        if settings.kind == .job {
            let ignored = [
                ("desiredCount", settings.desiredCount != 1), ("autoscaling", settings.autoscaling != nil),
                ("deployment", settings.rollout != FargateService.Rollout()), ("execCommand", settings.enableExecuteCommand),
            ]
            for (key, set) in ignored where set {
                found.append((key, "is ignored: a job runs to its end and has no ECS service"))
            }
            // A sidecar that waits for the job's container to be HEALTHY reads it; nothing else does.
            let waitedFor = sidecars.contains { $0.dependsOn.contains { $0.container == name && $0.condition == .healthy } }
            if settings.containerHealthCheck != nil && !waitedFor {
                found.append(
                    ("containerHealthCheck", "does nothing for a job: a job's task is not stopped or replaced when its check fails, and no sidecar waits for it to be HEALTHY"))
            }
        } else if settings.job != FargateService.Job() {
            found.append(("job", "is ignored: only a job has a schedule, a command or another service's image; make it kind: job"))
        }
        return found
    }

    /// A job a deploy is to run, in an environment without a service: a deploy runs it only when
    /// it changes a service, so none ever does.
    private var neverRunWarnings: [(location: String, message: String)] {
        guard settings.kind == .job, let runOnDeploy = settings.job.runOnDeploy,
            !environment.services.contains(where: { $0.value.kind != .job })
        else { return [] }
        return [
            (
                "runOnDeploy",
                "\(runOnDeploy.rawValue): environment \(environment.name) has no service, and a deploy runs the job only when it changes a "
                    + "service, so none will; run it with berth run, or give it a schedule"
            )
        ]
    }

    /// ECS Exec on a read-only root filesystem: the agent cannot start, and `berth exec` fails.
    private var execWarnings: [(location: String, message: String)] {
        // A directory listed with a trailing slash, or one above it, makes it writable too.
        let writable = settings.scratchPaths.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let missing = Self.execAgentPaths.filter { path in !writable.contains { path == $0 || path.hasPrefix($0 + "/") } }
        guard settings.enableExecuteCommand, settings.readonlyRootFilesystem, !missing.isEmpty else { return [] }
        return [
            (
                "execCommand",
                "ECS Exec's agent writes to \(Self.execAgentPaths.joined(separator: ", ")), which the read-only root filesystem refuses, "
                    + "so no ECS Exec session would open; add \(missing.joined(separator: ", ")) to scratchPaths, or turn readonlyRootFilesystem off"
            )
        ]
    }

    private func containerProblems(into problems: inout SettingProblems) {
        var names: Set<String> = [name]
        var ports: [Int: String] = [:]
        for sidecar in sidecars {
            let location = "sidecars.\(sidecar.name)"
            if !names.insert(sidecar.name).inserted {
                problems.add(location, "another container of the task is called \(sidecar.name); names must be unique")
            }
            if !Self.isContainerName(sidecar.name) {
                problems.add(location, "a container name is 1 to 255 letters, digits, hyphens and underscores")
            }
            if let problem = Self.pinnedImageProblem(sidecar.image) { problems.add(location, problem) }
            if environment.makesPrivateSubnets && !Self.isInRegionalECR(sidecar.image, region: environment.region) {
                problems.add(
                    location + ".image",
                    "\(sidecar.image) cannot be pulled: the tasks run in the new VPC's private subnets, which reach no registry but "
                        + "ECR in \(environment.region) (through VPC endpoints); copy the image into ECR there, or pull it through an "
                        + "ECR pull-through cache rule, and name that")
            }
            if let port = sidecar.port {
                if !(1...65_535).contains(port) { problems.add(location, "port must be 1 to 65535, got \(port)") }
                if settings.kind.hasPort && port == settings.containerPort {
                    problems.add(location, "port \(port) is the service's own containerPort; choose another")
                } else if let other = ports[port] {
                    problems.add(location, "port \(port) is sidecar \(other)'s too: containers of one task share its network; choose another")
                } else {
                    ports[port] = sidecar.name
                }
            }
            // What ECS takes of a container's share (ContainerDefinition): no more than the task has.
            if let cpu = sidecar.cpu, cpu < 0 || cpu > settings.size.cpu {
                problems.add(location + ".cpu", "must be 0 to the task's \(settings.size.cpu) CPU units, got \(cpu)")
            }
            if let reservation = sidecar.memoryReservation, reservation < Self.minimumContainerMemory || reservation > settings.size.memory {
                problems.add(
                    location + ".memoryReservation",
                    "must be \(Self.minimumContainerMemory) (what ECS gives a container at least) to the task's \(settings.size.memory) MiB, got \(reservation)")
            }
            for key in sidecar.environment.keys.sorted() where !Self.isValidVariableName(key) {
                problems.add(location, "environment variable \(key) is not a valid name (\(Self.variableNameRule))")
            }
        }
        let containers = names
        for (location, list) in [("dependsOn", dependsOn)] + sidecars.map({ ("sidecars.\($0.name).dependsOn", $0.dependsOn) }) {
            for dependency in list where !containers.contains(dependency.container) {
                problems.add(
                    location, "names container \(dependency.container), which the task does not have; it has \(containers.sorted().joined(separator: ", "))")
            }
        }
        for dependency in dependsOn where dependency.container == name {
            problems.add("dependsOn", "the service's container cannot wait for itself")
        }
        // What ECS takes for each condition (ContainerDependency): HEALTHY needs a health check on
        // the container waited for, and COMPLETE and SUCCESS a container that is not essential.
        for (location, list) in [("dependsOn", dependsOn)] + sidecars.map({ ("sidecars.\($0.name).dependsOn", $0.dependsOn) }) {
            for dependency in list where containers.contains(dependency.container) {
                let sidecar = sidecars.first { $0.name == dependency.container }
                switch dependency.condition {
                case .healthy where sidecar != nil:
                    problems.add(
                        location,
                        "waits for \(dependency.container) to be HEALTHY, and a sidecar has no health check, so it never is; wait for START")
                case .healthy where sidecar == nil && settings.containerHealthCheck == nil:
                    problems.add(
                        location, "waits for \(dependency.container) to be HEALTHY, which has no health check (containerHealthCheck), so it never is")
                case .complete, .success:
                    if sidecar?.essential ?? true {
                        problems.add(
                            location,
                            "waits for \(dependency.container) to \(dependency.condition.rawValue == "SUCCESS" ? "exit with 0" : "exit"), and ECS takes that "
                                + "only of a container that is not essential (an essential one that exits stops the task)"
                                + (sidecar == nil ? "" : "; set essential: false on sidecar \(dependency.container)"))
                    }
                default: break
                }
            }
        }
        // Each taken within 0 and the task's (one outside is a problem of its own): no sum overflows.
        let taskCPU = min(max(settings.size.cpu, 0), 1 << 40)
        let cpus = sidecars.compactMap(\.cpu).map { min(max($0, 0), taskCPU) }.reduce(0) { min($0 + $1, taskCPU + 1) }
        if settings.size.cpu >= 0, cpus > settings.size.cpu {
            problems.add(
                "sidecars", "the sidecars reserve \(cpus) CPU units, more than the task's \(settings.size.cpu); reserve less, or give the task more")
        }
        let reserved = sidecarMemoryReserved
        if settings.size.memory - reserved < Self.minimumContainerMemory {
            problems.add(
                "sidecars",
                "the sidecars reserve \(reserved) MiB of the task's \(settings.size.memory), leaving the service's container "
                    + "\(max(settings.size.memory - reserved, 0)) MiB (ECS needs at least \(Self.minimumContainerMemory)); reserve less, or give the task more memory")
        }
    }

    /// The least memory ECS gives a container a hard limit of, in MiB.
    static let minimumContainerMemory = 6

    /// The MiB `sidecars` reserve of a task of `size`, each reservation taken within 0 and the
    /// task's memory (one outside is a problem of its own), so that no sum can overflow.
    static func memoryReserved(by sidecars: [Sidecar], of size: FargateSize) -> Int {
        let memory = min(max(size.memory, 0), 1 << 40)
        return sidecars.compactMap(\.memoryReservation).map { min(max($0, 0), memory) }.reduce(0) { total, next in min(total + next, memory + 1) }
    }

    private var sidecarMemoryReserved: Int { Self.memoryReserved(by: sidecars, of: settings.size) }

    /// Why `image` does not pin what every task runs, or `nil`: it needs a digest, or a tag that
    /// does not name a branch or a channel (`latest`, `main`, `stable`: `MutableLookingTag`).
    static func pinnedImageProblem(_ image: String) -> String? {
        if image.isEmpty || image.contains(where: \.isWhitespace) { return "image \"\(image)\" is not an image reference" }
        if Self.hasDigest(image) { return nil }
        let lastComponent = image.split(separator: "/").last ?? ""
        guard let colon = lastComponent.lastIndex(of: ":") else {
            return "image \(image) names no tag, so it means latest; name a version tag or a digest (@sha256:…)"
        }
        let tag = lastComponent[lastComponent.index(after: colon)...]
        if tag.isEmpty || MutableLookingTag.contains(tag) {
            return "image \(image) moves with every push; name a version tag or a digest (@sha256:…)"
        }
        return nil
    }

    /// Whether `image` holds `@sha256:`, compared byte by byte: `String.contains(_:)` first builds
    /// a search table of characters, which on a run's first use costs more than synth spends on
    /// a whole service's checks.
    private static func hasDigest(_ image: String) -> Bool {
        let marker = "@sha256:".utf8
        var rest = Substring(image).utf8
        while let at = rest.firstIndex(of: UInt8(ascii: "@")) {
            rest = rest[at...]
            if rest.starts(with: marker) { return true }
            rest = rest.dropFirst()
        }
        return false
    }

    /// The names a container's environment and secrets take, as `isValidVariableName` checks them.
    package static let variableNameRule = "[A-Za-z_][A-Za-z0-9_]*"

    package static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || ("0"..."9").contains($0) }
    }

    static func isContainerName(_ name: String) -> Bool {
        (1...255).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || $0.isASCIILetter || ("0"..."9").contains($0) }
    }

    static func isPathPatternCharacter(_ character: Character) -> Bool {
        (character.isASCII && (character.isLetter || character.isNumber)) || "_-.$/~\"'@:+&*?".contains(character)
    }

    /// `api.example.com`, `*.example.com`: labels of letters, digits and hyphens, `*` and `?` as wildcards.
    static func isHostPattern(_ host: String) -> Bool {
        guard (1...128).contains(host.utf8.count) else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-*?".contains($0) }
        }
    }

    /// `200`, `200,204`, `200-399`: HTTP codes from 200 to 499.
    static func isValidMatcher(_ matcher: String) -> Bool {
        func isCode(_ text: Substring) -> Bool { DecimalText.value(text).map { (200...499).contains($0) } ?? false }
        return matcher.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
            let range = part.split(separator: "-", omittingEmptySubsequences: false)
            switch range.count {
            case 1: return isCode(range[0])
            case 2: return isCode(range[0]) && isCode(range[1]) && (DecimalText.value(range[0]) ?? 0) < (DecimalText.value(range[1]) ?? 0)
            default: return false
            }
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
