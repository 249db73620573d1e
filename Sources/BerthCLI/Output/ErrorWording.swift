import BerthDeploy

/// How the command line words the library's errors: the flags a user passes to go on. The
/// library says what is wrong; only the CLI knows it is spoken to with `--image-tag`.
enum ErrorWording {
    static func text(_ error: ImageSelectionError) -> String {
        switch error {
        case .serviceNamedTwice(let service): "--image-tag names service \(service) twice"
        case .twoTagsForEveryService(let first, let second):
            "--image-tag gives two tags for every service (\(first) and \(second)); name the service: --image-tag web=TAG"
        case .unknownServices(let unknown, let known):
            "--image-tag names service \(unknown.joined(separator: ", ")), which the app does not have; it has \(known.joined(separator: ", "))"
        case .tagForBorrowedImage(let job, let service):
            "--image-tag names \(job), which runs \(service)'s image and takes its tag; pass --image-tag \(service)=TAG instead"
        case .missingTags(let services):
            "no image tag for \(services.joined(separator: ", ")): pass --image-tag TAG for every service, or --image-tag \(services[0])=TAG"
        }
    }

    static func text(_ error: ImageGateError) -> String {
        switch error {
        case .invalidTag, .tagMovedSinceChecked: "\(error)"
        case .mutableTag: "\(error), or pass --allow-mutable-tag"
        case .tagMovesInRepository: "\(error), or pass --allow-mutable-tag to deploy the image it points at now, pinned by digest"
        case .repositoryNotReady, .repositoryMissing: "\(error); deploy --phase ecr first"
        case .imageMissing(let repository, let tag, let recentTags, let waited):
            "image \(repository):\(tag) is not in ECR\(waited ? " (waited for it)" : ""); push it first, or wait for the push with --wait-for-image"
                + (recentTags.isEmpty ? "; the repository has no tagged images yet" : "; the most recent tags are: " + recentTags.joined(separator: ", "))
        case .unsigned, .signedByAnotherKey, .signedForAnotherDigest, .signaturesRefused, .keylessRefused, .unreadableKey, .unusableKMSKey, .unreadableTrustedRoot,
            .invalidSubjectPattern, .cryptoUnavailable:
            "\(error)"
        }
    }

    /// Each conflict's line, and for a removed service's stack the command that deletes it.
    static func text(_ error: ListenerPriorityError) -> String {
        let lines = zip(error.conflicts, error.lines).map { conflict, line in
            guard case .held(_, _, let holder?, _) = conflict, let removed = error.removedServices[holder] else { return line }
            return line + "; berth destroy --env \(removed.environment) --removed-service \(removed.service) deletes it"
        }
        return ([ListenerPriorityError.heading] + lines).joined(separator: "\n  ")
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

    static func text(_ error: AdoptionRefusal) -> String {
        // With --adopt, only the repositories that cannot be adopted stopped the deploy.
        let expiring = error.plans.map(\.expiring).reduce(0, +)
        let agreeing = expiring > 0 ? " --expire-images \(expiring)" : ""
        return error.plans.filter { !error.adoptRequested || !$0.canAdopt }.map { plan in
            if !plan.canAdopt {
                return "error: repository \(plan.repository) cannot be adopted into \(plan.stack): " + plan.refusals.joined(separator: "; ")
                    + "; nothing was changed"
            }
            return "error: repository \(plan.repository) already exists outside any stack (\(plan.imageCount) images); nothing was changed. "
                + "Run the same command with --adopt\(agreeing) to bring it into \(plan.stack) with the changes listed above"
        }.joined(separator: "\n")
    }
}
