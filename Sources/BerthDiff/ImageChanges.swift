import BerthTemplate

/// The container images a deploy changes.
enum ImageChanges {
    /// For a stack not deployed yet, every container is listed: a parameter with no value yet
    /// (the image tag a deploy is given) reads as `${Name}`.
    static func between(
        old: JSONValue?, oldParameters: [String: String], new: JSONValue, newParameters: [String: String]
    ) -> [ImageChange] {
        let before = TemplateEvaluator(parameters: oldParameters, conditions: old?["Conditions"])
        var known = newParameters
        if old == nil {
            for name in (new["Parameters"]?.members ?? []).map(\.key) where known[name] == nil { known[name] = "${\(name)}" }
        }
        let after = TemplateEvaluator(parameters: known, conditions: new["Conditions"])
        var changes: [ImageChange] = []
        let oldResources = old?["Resources"]?.memberIndex ?? [:]
        for resource in new["Resources"]?.members ?? [] where resource.value["Type"] == "AWS::ECS::TaskDefinition" {
            let oldContainers = oldResources[ExactText(resource.key)]?["Properties"]?["ContainerDefinitions"]?.elements ?? []
            for container in resource.value["Properties"]?["ContainerDefinitions"]?.elements ?? [] {
                let name = container["Name"]?.scalarText ?? ""
                guard let image = container["Image"].flatMap({ after.string($0) }) else { continue }
                if old == nil {
                    changes.append(ImageChange(taskDefinition: resource.key, container: name, old: nil, new: image))
                    continue
                }
                let previous = oldContainers.first { $0["Name"]?.scalarText == name }?["Image"].flatMap { before.string($0) }
                if let previous, previous != image {
                    changes.append(ImageChange(taskDefinition: resource.key, container: name, old: previous, new: image))
                }
            }
        }
        return changes
    }
}
