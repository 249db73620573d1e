import BerthTemplate

extension AppBlueprint {
    /// What cannot hold about the services' repositories: a service whose environments name
    /// different repositories or mutable tags (they share its one repository), and two services
    /// naming the same repository.
    func repositoryProblems() -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        var owners: [String: String] = [:]
        for service in servicesWithRepositories {
            let settings = (environments + templates).compactMap { $0.service(service) }
            let repositories = Set(settings.map { $0.repository ?? "\(name)/\(service)" })
            if repositories.count > 1 {
                problems.append(
                    ValidationProblem(
                        location: "services.\(service).repository",
                        message: "every environment must give \(service) the same repository; they name \(repositories.sorted().joined(separator: ", "))"))
            }
            let mutableTags = Set(settings.map(\.mutableTags))
            if mutableTags.count > 1 {
                problems.append(
                    ValidationProblem(
                        location: "services.\(service).mutableTags",
                        message: "every environment must give \(service)'s repository the same mutable tags; they list \(mutableTags.map { "[" + $0.joined(separator: ", ") + "]" }.sorted().joined(separator: " and "))"))
            }
            let repository = repositoryName(service)
            if let other = owners[repository] {
                problems.append(
                    ValidationProblem(
                        location: "services.\(service).repository",
                        message: Self.repositoryClash(repository, ownedBy: other)))
            } else {
                owners[repository] = service
            }
        }
        return problems
    }

    /// Why a service may not name `repository`, which service `owner` names already: the words
    /// every check of the files and of the blueprint says it with.
    public static func repositoryClash(_ repository: String, ownedBy owner: String) -> String {
        "\(repository) is service \(owner)'s repository too; each service needs its own (a job runs another service's image with image: {service: \(owner)})"
    }
}
