import BerthAWS

extension StackDeployment {
    /// Whether deploying would send exactly what `deployed` holds: the same template text (as
    /// GetTemplate returns it), the same value for every parameter sent, the same tags, and no
    /// parameter left to keep its previous value.
    func isUnchanged(comparedWith deployed: StackDescription, templateBody deployedTemplate: String) -> Bool {
        guard templateBody == deployedTemplate, keepPreviousParameters.isEmpty else { return false }
        guard parameters.allSatisfy({ deployed.parameters[$0.key] == $0.value }) else { return false }
        return Dictionary(tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }) == deployed.tags
    }
}
