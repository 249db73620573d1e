import BerthTemplate

extension AppBlueprint {
    /// `environments` (and templates) in the order their lifecycle rules go: as given, except
    /// that one whose tag prefix extends another's (`staging-pr-` and `staging-`) comes first.
    /// ECR counts an image under the first rule that matches it, so otherwise staging's rule
    /// would count every preview's images too and expire staging's own as previews are pushed.
    static func mostSpecificFirst(_ environments: [EnvironmentSettings]) -> [EnvironmentSettings] {
        var ordered: [EnvironmentSettings] = []
        for environment in environments {
            let prefix = environment.tagPrefix
            let index = ordered.firstIndex { prefix != $0.tagPrefix && prefix.hasPrefix($0.tagPrefix) } ?? ordered.endIndex
            ordered.insert(environment, at: index)
        }
        return ordered
    }

    /// Environments and templates whose images would carry the same tag prefix (environment `pr`
    /// and a template whose previews are named `pr-…`): one rule would count both, and each
    /// would expire the other's images.
    static func sharedTagPrefixes(_ environments: [EnvironmentSettings]) -> [ValidationProblem] {
        environments.repeats(by: \.tagPrefix).map { other, environment in
            ValidationProblem(
                location: environment.previewPrefix == nil ? "environment \(environment.name)" : "template.namePrefix",
                message: "\(describe(environment)) tags its images \(environment.tagPrefix)…, as \(describe(other)) does: "
                    + "the lifecycle policy would count them as one and expire each other's images; give one of them another name or namePrefix")
        }
    }

    private static func describe(_ environment: EnvironmentSettings) -> String {
        environment.previewPrefix == nil ? "environment \(environment.name)" : "template \(environment.name)"
    }
}
