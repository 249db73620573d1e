import BerthDiff
import BerthTemplate

/// An update that would replace an image repository, told from the templates alone: a
/// create-only property of `AWS::ECR::Repository` (its name, its encryption, by the resource's
/// schema) changes. CloudFormation says so too, in a change set's `Replacement`, but not every
/// endpoint does (moto leaves it empty): the deploy refuses on either.
struct RepositoryReplacement: Sendable {
    /// The repository's logical ID.
    let logicalID: String
    /// Its name as deployed.
    let repository: String?
    /// The create-only properties that change.
    let properties: [String]

    static let createOnlyProperties = ["RepositoryName", "EncryptionConfiguration"]

    /// Why the update of `stack` is refused, and what undoes the change (the environment
    /// files' settings that make these properties).
    func refusal(of stack: String) -> DeployError {
        let settings = properties.map { $0 == "RepositoryName" ? "the service's repository" : "repositoryKmsKeyArn" }
        return .repositoryWouldBeLost(
            stack: stack,
            guidance: "the change would replace the image repository \(repository ?? logicalID) (\(logicalID): "
                + "\(properties.joined(separator: " and ")) can only be set on a repository that does not exist yet); "
                + "Berth never replaces or deletes a repository, and nothing was changed. Undo the change to it (\(settings.joined(separator: " and ")) "
                + "in the environment files)")
    }

    /// The first repository of the deployed template whose create-only properties the planned
    /// one changes; `nil` when none does, or a template cannot be read (the change set decides).
    static func find(deployed deployedBody: String, planned plannedBody: String) -> RepositoryReplacement? {
        guard let deployed = try? JSONValue.parseTemplate(deployedBody, file: "deployed template"),
            let planned = try? JSONValue.parseTemplate(plannedBody, file: "template")
        else { return nil }
        for resource in deployed["Resources"]?.members ?? [] where resource.value["Type"]?.stringValue == "AWS::ECR::Repository" {
            // A repository the planned template removes is the change set's to list (Remove).
            guard let wanted = planned["Resources"]?[resource.key], wanted["Type"]?.stringValue == "AWS::ECR::Repository" else { continue }
            let changed = createOnlyProperties.filter { name in
                switch (resource.value["Properties"]?[name], wanted["Properties"]?[name]) {
                case (nil, nil): false
                case (let before?, let after?): !before.means(after)
                default: true
                }
            }
            if !changed.isEmpty {
                return RepositoryReplacement(
                    logicalID: resource.key, repository: resource.value["Properties"]?["RepositoryName"]?.stringValue, properties: changed)
            }
        }
        return nil
    }
}
