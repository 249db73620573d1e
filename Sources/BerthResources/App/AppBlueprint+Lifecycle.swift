import BerthTemplate

extension AppBlueprint {
    /// Environments and templates that serve one repository and whose images' tag prefixes
    /// overlap: the same prefix (environment `pr` and a template whose previews are named
    /// `pr-…`), or one that extends the other (`staging-` and a template's `staging-pr-`,
    /// `prod-` and `prod-eu-`). ECR's rule for the shorter prefix counts the other's images with
    /// its own ("rules … can still identify [images a higher priority rule selected]"), so the
    /// other's pushes would expire the image the shorter one runs; and with one prefix each rule
    /// would expire the other's images. Whatever the rules' order, one of them loses images.
    package static func sharedTagPrefixes(_ environments: [EnvironmentSettings]) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        for (index, environment) in environments.enumerated() {
            for other in environments[..<index] {
                let (shorter, longer) = other.tagPrefix.count <= environment.tagPrefix.count ? (other, environment) : (environment, other)
                guard longer.tagPrefix.hasPrefix(shorter.tagPrefix),
                    environment.services.contains(where: { service in other.services.contains { $0.name == service.name } })
                else { continue }
                let message =
                    shorter.tagPrefix == longer.tagPrefix
                    ? "\(describe(environment)) tags its images \(environment.tagPrefix)…, as \(describe(other)) does: "
                        + "the lifecycle policy would count them as one and expire each other's images; give one of them another name or namePrefix"
                    : "\(describe(longer)) tags its images \(longer.tagPrefix)…, which start with \(describe(shorter))'s \(shorter.tagPrefix): "
                        + "ECR's rule for \(shorter.tagPrefix) would count them with its own and expire "
                        + (shorter.previewPrefix == nil ? "the image \(shorter.name) runs" : "the images \(shorter.name)'s previews run") + " as they are pushed; "
                        + "give one of them a name (or namePrefix) that does not start with the other's"
                let named = shorter.tagPrefix == longer.tagPrefix ? environment : longer
                problems.append(ValidationProblem(location: describe(named), message: message))
            }
        }
        return problems
    }

    private static func describe(_ environment: EnvironmentSettings) -> String {
        environment.previewPrefix == nil ? "environment \(environment.name)" : "template \(environment.name)"
    }
}
