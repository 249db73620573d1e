import BerthModel
import BerthTemplate
import BerthDeploy
import Foundation

/// What a finished deploy tells CI: step outputs and a Markdown summary.
struct DeployReport {
    let plan: DeployPlan
    let outcome: AppDeployer.Outcome
    let elapsed: Duration

    /// `image-tag-<service>`, `image-digest-<service>`, `url` (the environment's load balancer),
    /// `url-<service>` (a service's own load balancer), and `outputs`: every deployed stack's
    /// outputs as one line of JSON.
    var stepOutputs: [(name: String, value: String)] {
        var outputs: [(String, String)] = []
        for (service, image) in outcome.images.sorted(by: { $0.key < $1.key }) {
            outputs.append(("image-tag-\(service)", image.tag.value))
            outputs.append(("image-digest-\(service)", image.digest))
        }
        for stack in plan.stacks {
            guard let values = outcome.outputs[stack.name] else { continue }
            if let url = values[OutputName.loadBalancerUrl] { outputs.append(("url", url)) }
            if let url = values[OutputName.serviceUrl], let service = stack.service { outputs.append(("url-\(service)", url)) }
        }
        let stacks = plan.stacks.compactMap { stack in
            outcome.outputs[stack.name].map { values in
                JSONValue.Member(stack.name, .object(values.sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .string($0.value)) }))
            }
        }
        outputs.append(("outputs", JSONValue.object(stacks).jsonText(pretty: false).trimmingCharacters(in: .whitespacesAndNewlines)))
        return outputs
    }

    /// The step summary: each stack's result, the images, how long it took, where it answers.
    func markdown(app: String, environment: String?) -> String {
        var lines = ["### berth deploy: `\(app)`" + (environment.map { " to `\($0)`" } ?? " repositories"), "", "| stack | result |", "|---|---|"]
        for stack in plan.stacks {
            let result = switch outcome.results[stack.name] {
            case .created: "created"
            case .updated: "updated"
            case .noChanges: "no changes"
            case nil: "not deployed"
            }
            lines.append("| `\(stack.name)` | \(result) |")
        }
        if !outcome.images.isEmpty {
            lines += ["", "| service | image | digest |", "|---|---|---|"]
            for (service, image) in outcome.images.sorted(by: { $0.key < $1.key }) {
                lines.append("| `\(service)` | `\(image.repositoryName):\(image.tag)` | `\(image.digest)` |")
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        lines += ["", String(format: "Took %.0f s.", seconds)]
        for output in stepOutputs where output.name == "url" || output.name.hasPrefix("url-") {
            lines.append("\(output.name == "url" ? "The environment" : "`\(output.name.dropFirst(4))`") answers at \(output.value)")
        }
        return lines.joined(separator: "\n") + "\n\n"
    }
}
