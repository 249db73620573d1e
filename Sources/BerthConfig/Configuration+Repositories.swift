import BerthResources
import BerthTemplate

extension Configuration {
    /// What the environments say about the services' repositories that cannot hold: a service
    /// whose environments name different repositories or mutable tags (they all share its one
    /// repository), and two services naming the same repository. Each at its key.
    static func repositoryProblems(app: String, _ environments: [EnvironmentConfig]) -> [SourceError] {
        var errors: [SourceError] = []
        var order: [String] = []
        var owners: [String: (environment: EnvironmentConfig, settings: FargateService.Settings)] = [:]
        for environment in environments {
            for service in environment.settings.services {
                // A job that runs another service's image has no repository of its own.
                if service.value.kind == .job && service.value.job.imageOf != nil { continue }
                guard let first = owners[service.name] else {
                    owners[service.name] = (environment, service.value)
                    order.append(service.name)
                    continue
                }
                let defaultName = "\(app)/\(service.name)"
                let expected = first.settings.repository ?? defaultName
                let found = service.value.repository ?? defaultName
                if found != expected {
                    errors.append(
                        disagreement(
                            "repository", service: service.name, in: environment, found: "\"\(found)\"",
                            expected: "\"\(expected)\"", of: first.environment))
                }
                if service.value.mutableTags != first.settings.mutableTags {
                    errors.append(
                        disagreement(
                            "mutableTags", service: service.name, in: environment, found: listed(service.value.mutableTags),
                            expected: listed(first.settings.mutableTags), of: first.environment))
                }
            }
        }
        var named: [String: String] = [:]
        for service in order {
            guard let owner = owners[service] else { continue }
            let repository = owner.settings.repository ?? "\(app)/\(service)"
            guard let first = named[repository] else {
                named[repository] = service
                continue
            }
            // Said at the `repository:` that names the other's (the second's when both do).
            let (culprit, other) = owner.settings.repository != nil || owners[first]?.settings.repository == nil ? (service, first) : (first, service)
            guard let place = owners[culprit]?.environment else { continue }
            errors.append(
                SourceError(
                    file: place.file, mark: Self.place("repository", service: culprit, in: place),
                    message: "\(place.keyPath("repository", service: culprit)): " + AppBlueprint.repositoryClash(repository, ownedBy: other)))
        }
        return errors
    }

    /// Where `key` of `service` is, or where the service is when the file leaves the key out:
    /// its name under `services:`, or `service:` in the one-service form.
    private static func place(_ key: String, service: String, in environment: EnvironmentConfig) -> YAMLMark? {
        environment.mark(of: key, service: service) ?? environment.positions["service"]
    }

    private static func listed(_ tags: [String]) -> String { "[" + tags.joined(separator: ", ") + "]" }

    private static func disagreement(
        _ key: String, service: String, in environment: EnvironmentConfig, found: String, expected: String, of first: EnvironmentConfig
    ) -> SourceError {
        SourceError(
            file: environment.file, mark: place(key, service: service, in: environment),
            message: "\(environment.keyPath(key, service: service)): \(found) differs from \(expected) in \(first.file); every environment of the app must agree (they share \(service)'s repository)")
    }
}

extension Configuration {
    /// Where the repositories are must hold for every environment: without `repositories:`
    /// anywhere, every environment states the same region (the repositories' region); with it,
    /// every environment states the same `repositories:` and each has a region of its own.
    static func locationProblems(_ environments: [EnvironmentConfig]) -> [SourceError] {
        guard environments.contains(where: { $0.settings.repositories != nil }) else {
            do {
                _ = try sharedValue("region", of: environments) { $0.region }
                return []
            } catch {
                // Environments in several regions are what `repositories:` is for.
                let hint = "; for environments in several regions, give every file the same repositories: {region: …} (the repositories' region)"
                return error.errors.map { SourceError(file: $0.file, line: $0.line, column: $0.column, message: $0.message + hint) }
            }
        }
        func described(_ location: RepositoryLocation?) -> String {
            location.map { "{account: \($0.account ?? "the caller's"), region: \($0.region)}" } ?? "none"
        }
        guard let first = environments.first else { return [] }
        return environments.dropFirst().filter { $0.settings.repositories != first.settings.repositories }.map { environment in
            // A file without the key is placed at its region, which the key would make its own.
            SourceError(
                file: environment.file, mark: environment.positions["repositories"] ?? environment.positions["region"],
                message: "repositories: \(described(environment.settings.repositories)) differs from \(described(first.settings.repositories)) in \(first.file); every environment of the app must agree")
        }
    }
}
