import BerthDeploy

/// How the command line words the library's errors: the flags a user passes to go on. The
/// library says what is wrong; only the CLI knows it is spoken to with `--image-tag`.
enum ErrorWording {
    /// The words for an image selection given with `flag` (`--image-tag`; `rollback`'s `--to`).
    static func text(_ error: ImageSelectionError, flag: String = "--image-tag") -> String {
        switch error {
        case .serviceNamedTwice(let service): "\(flag) names service \(service) twice"
        case .twoTagsForEveryService(let first, let second):
            "\(flag) gives two tags for every service (\(first) and \(second)); name the service: \(flag) SERVICE=TAG"
        case .unknownServices(let unknown, let known):
            "\(flag) names service \(unknown.joined(separator: ", ")), which the app does not have; it has \(known.joined(separator: ", "))"
        case .tagForBorrowedImage(let job, let service):
            "\(flag) names \(job), which runs \(service)'s image and takes its tag; pass \(flag) \(service)=TAG instead"
        case .missingTags(let services):
            "no image tag for \(services.joined(separator: ", ")): pass \(flag) TAG for every service, or \(flag) \(services.first ?? "SERVICE")=TAG"
        case .notATag(let argument, .empty(let service)): "\(flag) \(argument) names no tag: \(flag) \(service)=TAG"
        case .notATag(let argument, .several): "\(flag) \"\(argument)\" holds several tags: repeat \(flag) for each service"
        case .notATag(_, .colon(let service, let tag)): "\(flag) " + error.description.replacingOccurrences(of: "\(service)=\(tag)", with: "\(flag) \(service)=\(tag)")
        case .notATag: "\(flag) " + error.description
        }
    }

    /// The gate's refusal of a tag given to `rollback --to`: rollback takes no tag that can move,
    /// and has no flag to allow one. `deploy` deploys the environment (`berth deploy --phase ecs
    /// --env ENV`, with its `--from`), `services` are rollback's `--service`.
    static func rollbackText(_ error: ImageGateError, deploy: String, targets: [String], services: [String]) -> String {
        switch error {
        case .mutableTag(let tag), .tagMovesInRepository(let tag, _, _):
            // The deploy that takes the tag on purpose, as it was given: SERVICE=TAG for that
            // service alone (a deploy of every service needs a tag for each), or TAG for the
            // services rollback was given, or every one.
            let given = targets.first { $0 == tag || $0.hasSuffix("=" + tag) } ?? "SERVICE=\(tag)"
            let selected = given.split(separator: "=", maxSplits: 1).count == 2 ? [String(given.prefix { $0 != "=" })] : services
            return "\(error); rollback goes back only to a tag that names one image: name one (berth images lists them), "
                + "or deploy this tag on purpose with \(deploy)\(selected.map { " --service \($0)" }.joined()) --image-tag \(given) --allow-mutable-tag"
        default: return text(error)
        }
    }

    static func text(_ error: ImageGateError) -> String {
        switch error {
        case .invalidTag, .tagMovedSinceChecked, .malformedDigest: "\(error)"
        case .mutableTag: "\(error), or pass --allow-mutable-tag"
        case .tagMovesInRepository: "\(error), or pass --allow-mutable-tag to deploy the image it points at now, pinned by digest"
        case .repositoryNotReady, .repositoryMissing: "\(error); deploy --phase ecr first"
        case .repositoryOutsideStack: "\(error); deploy --phase ecr first: it lists what adopting changes, and --adopt adopts it"
        case .pullNotGranted: "\(error); deploy --phase ecr first, which grants every environment's account pull in the repository policy"
        case .imageMissing(let repository, let tag, let recentTags, let waited):
            "image \(repository):\(tag) is not in ECR\(waited ? " (waited for it)" : ""); push it first, or wait for the push with --wait-for-image"
                + (recentTags.isEmpty ? "; the repository has no tagged images yet" : "; the most recent tags are: " + recentTags.joined(separator: ", "))
        case .unsigned, .signedByAnotherKey, .signedForAnotherDigest, .signaturesRefused, .keylessRefused, .unreadableKey, .unusableKMSKey, .unreadableTrustedRoot,
            .invalidSubjectPattern, .cryptoUnavailable:
            "\(error)"
        }
    }

    /// Each conflict's line, and for a removed service's stack the command that deletes it (with
    /// `--from previewOf` for a preview environment's, as it was deployed).
    static func text(_ error: ListenerPriorityError, previewOf template: String? = nil) -> String {
        let from = template.map { " --from \($0)" } ?? ""
        let lines = zip(error.conflicts, error.lines).map { conflict, line in
            guard case .held(_, _, let holder?, _) = conflict, let removed = error.removedServices[holder] else { return line }
            return line + "; berth destroy --env \(removed.environment)\(from) --removed-service \(removed.service) deletes it"
        }
        return ([ListenerPriorityError.heading] + lines).joined(separator: "\n  ")
    }

    /// The problem, then what to do: the flag that names a tag, the command that lists the tags,
    /// or the deploy (`deploy`: the command that deploys the environment, `berth deploy --phase
    /// ecs --env ENV` and its `--from`) that takes the tag on purpose.
    static func text(_ error: RollbackError, deploy: String = "berth deploy --phase ecs --env ENV") -> String {
        switch error {
        case .notDeployed: error.problem
        case .nothingEarlier(let service, _): error.problem + "; name the tag: --to \(service)=TAG"
        case .expired, .notInRepository: error.problem + "; name a tag it still holds (berth images lists them)"
        case .moved(let service, _, _, _): error.problem + "; name a tag of that image (--to \(service)=TAG; berth images lists them)"
        case .movableTagNeverRan(let service, let tag, _):
            error.problem + ": rollback deploys only an image that ran; name a tag that ran, or deploy this one "
                + "(\(deploy) --service \(service) --image-tag \(service)=\(tag) --allow-mutable-tag)"
        case .expiring:
            error.problem + ": raise lifecycle.keepImages and deploy --phase ecr first, or name a newer tag (berth images lists them with what expires)"
        case .onlyFailed(let service, let tag, _, _):
            error.problem + ": rollback goes back only to an image that ran; name a tag that completed "
                + "(berth history lists them), or deploy this one on purpose (\(deploy) --service \(service) --image-tag \(service)=\(tag))"
        case .unknownService(let service, let known):
            "--to names \(service), which is not rolled back here; the services are \(known.joined(separator: ", "))"
        }
    }

    /// The problem, then what to do with Berth's commands and flags.
    static func text(_ error: ExecError) -> String {
        switch error {
        case .pluginMissing:
            error.problem + ". berth exec hands the session to AWS's Session Manager plugin, as the AWS CLI does; install it "
                + "(\(ExecError.pluginInstallGuide)) and run exec again"
        case .notAService(let name): error.problem + "; run a job's command with berth run --service \(name) -- <command>"
        case .execOff(let service, let environment):
            error.problem + ": set execCommand: true under the service in the environment file, "
                + "deploy (berth deploy --phase ecs --env \(environment) --service \(service) --image-tag TAG), then run exec again"
        case .noRunningTask(_, let others):
            error.problem + (others == 0 ? ": check berth status, and scale or deploy it" : ": wait for the rollout (berth status), or pass --task")
        case .taskNotFound: error.problem + ": pass a running task's ID (berth status shows the service's tasks), or leave --task out"
        case .taskNotRunning: error.problem + ": pass a running task, or leave --task out"
        case .taskWithoutExec: error.problem + ": deploy again so that new tasks start with it, or pass another task"
        case .taskOfAnotherService(_, let service, _): error.problem + "; leave out --task to choose one of \(service)'s running tasks"
        case .notDeployed, .serviceNotFound, .containerNotFound, .noRuntimeID, .noSession, .pluginFailed: "\(error)"
        }
    }

    /// A selection that leaves out the service whose image a job runs, in the flags that select.
    static func text(_ error: PlanError) -> String {
        guard let leftOut = error.imageServiceLeftOut else { return error.message }
        let (job, service) = (leftOut.job, leftOut.imageOf)
        guard let selected = leftOut.selectedServices else {
            return "--stack \(leftOut.jobStack) runs \(job) (runOnDeploy: before-services) on \(service)'s image, and \(service) is not selected: "
                + "\(service) would keep its image while \(job) \(leftOut.ranTheNewOne); "
                + "add --stack \(leftOut.imageStack), or leave out --stack \(leftOut.jobStack)"
        }
        let lead = leftOut.runOnDeploy.map { "runs \(job) (runOnDeploy: \($0.rawValue))" } ?? "deploys \(job)"
        return "--service \(selected.joined(separator: ", ")) \(lead), which runs \(service)'s image: "
            + "\(service) would keep its image while \(job) \(leftOut.ranTheNewOne); add --service \(service)"
            + (leftOut.runOnDeploy == nil ? "" : ", or name the stacks to deploy with --stack (without \(job)'s stack, no job runs)")
    }

    /// `berth init`'s words for files in the way: its `--dir`.
    static func text(_ error: ScaffoldError) -> String {
        guard case .exists(let paths) = error else { return error.description }
        return "\(paths.joined(separator: ", ")) \(paths.count == 1 ? "exists" : "exist"); berth init overwrites nothing, so it wrote nothing: "
            + "choose another --dir or move \(paths.count == 1 ? "it" : "them")"
    }

    static func text(_ refusal: ImageGateRefusal) -> String {
        guard refusal.refusals.count > 1 else {
            return refusal.refusals.first.map { "\($0.service): \(text($0.reason)); no phase-2 stack was changed" } ?? "refused; no phase-2 stack was changed"
        }
        return "\(refusal.refusals.count) services refused, so no phase-2 stack was changed:\n"
            + refusal.refusals.map { "  \($0.service): \(text($0.reason))" }.joined(separator: "\n")
    }

    static func text(_ problem: ImageTagTemplate.Problem) -> String {
        switch problem {
        case .missingEnvironment: "{env} has no value: pass --env NAME"
        case .invalid(let error): text(error)
        default: "\(problem)"
        }
    }

    /// A deploy's warning, its remedy worded with Berth's commands.
    static func text(_ warning: DeployWarning) -> String {
        switch warning {
        case .foreignTag(_, _, _, let environment):
            warning.problem + "; deploy a tag made by berth tag --env \(environment) (\(environment)-…)"
        case .listenerRulesUnreadable:
            warning.problem + "; deploy the bootstrap template again (berth synth --bootstrap), whose deploy role may read them"
        case .terminationProtectionOff, .roleNotRecorded: warning.description
        case .roleKept:
            warning.problem + "; name another role in cloudFormationRoleArn to replace it (only a stack made again acts without one)"
        }
    }

    /// What `--keep-repository-policy` does for a repository policy an adoption refused.
    static func policyAdvice(_ policy: RepositoryAdoption.RepositoryPolicy?) -> String? {
        switch policy {
        case .replacedByTemplate: "--keep-repository-policy cannot keep a policy the template replaces"
        case .undeclared: "keep the policy as it is with --keep-repository-policy"
        case .kept, nil: nil
        }
    }

    static func text(_ error: AdoptionRefusal) -> String {
        // With --adopt, only the repositories that cannot be adopted stopped the deploy.
        let expiring = error.plans.map(\.expiring).reduce(0, +)
        let agreeing = expiring > 0 ? " --expire-images \(expiring)" : ""
        return error.plans.filter { !error.adoptRequested || !$0.canAdopt }.map { plan in
            if !plan.canAdopt {
                return "error: repository \(plan.repository) cannot be adopted into \(plan.stack): " + plan.refusals.joined(separator: "; ")
                    + (policyAdvice(plan.repositoryPolicy).map { " (\($0))" } ?? "") + "; nothing was changed"
            }
            return "error: repository \(plan.repository) already exists outside any stack (\(plan.imageCount) image\(plan.imageCount == 1 ? "" : "s")); nothing was changed. "
                + "Run the same command with --adopt\(agreeing) to bring it into \(plan.stack) with the changes listed above"
        }.joined(separator: "\n")
    }
}
