import BerthAWS
import BerthTemplate

extension StackDeployment {
    /// Whether deploying would send exactly what `deployed` holds: the same template text (as
    /// GetTemplate returns it), the same value for every parameter sent, the same tags, and no
    /// parameter left to keep its previous value. Texts are compared by their code points, as
    /// CloudFormation compares them: `é` as one code point or two is a change.
    func isUnchanged(comparedWith deployed: StackDescription, templateBody deployedTemplate: String) -> Bool {
        guard ExactText(templateBody) == ExactText(deployedTemplate), keepPreviousParameters.isEmpty else { return false }
        guard parameters.allSatisfy({ ExactText.same(deployed.parameters[$0.key], $0.value) }) else { return false }
        let sent = Set(tags.map { [ExactText($0.key), ExactText($0.value)] })
        return sent.count == tags.count && sent == Set(deployed.tags.map { [ExactText($0.key), ExactText($0.value)] })
    }
}
