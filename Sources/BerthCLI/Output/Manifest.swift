import BerthModel
import BerthTemplate
import BerthDeploy
import BerthResources

/// `out/manifest.json`: what synth wrote, the app's services and their repositories, the order
/// stacks deploy in, and where each parameter's value comes from at deploy time.
struct Manifest {
    /// One synthesized stack.
    struct Entry {
        let stack: Stack
        let templateFile: String
        let byteSize: Int
    }

    static let version = 1

    let app: App
    let entries: [Entry]

    /// The plan of the stacks written: the order they deploy in, and what each depends on.
    let plan: DeployPlan

    /// This app's template files that an earlier synth wrote into the directory and this one (of
    /// one environment or stack) did not write: carried over, so that the next whole synth
    /// removes those whose stack is gone. Empty after a whole synth, which removes them.
    let earlierTemplates: [String]

    var jsonValue: JSONValue {
        return .object([
            "version": .int(Self.version),
            "app": .string(app.name),
            "services": .array(services),
            "deployOrder": .array(plan.waves.map { .array($0.map(JSONValue.string)) }),
            "stacks": .array(entries.map { Self.stackValue($0, dependsOn: plan.app[$0.stack.name]?.dependencies ?? []) }),
            "earlierTemplates": earlierTemplates.isEmpty ? nil : .array(earlierTemplates.map(JSONValue.string)),
        ])
    }

    /// Each service (and job) with its kind, its repository and the stack that holds it: its
    /// own, or the one of the service whose image it runs.
    private var services: [JSONValue] {
        // Each service's stacks found in one pass (an app of 500 services has 1,500 stacks).
        var names: [String] = []
        var running: [String: [StackOutline]] = [:]
        var repositoryStacks: [String: Stack] = [:]
        for stack in app.allStacks {
            guard let service = stack.service else { continue }
            if running[service] == nil {
                names.append(service)
                running[service] = []
            }
            if stack.phase == .ecs { running[service, default: []].append(stack) }
        }
        for stack in app.stacks where stack.phase == .ecr {
            if let service = stack.service, repositoryStacks[service] == nil { repositoryStacks[service] = stack }
        }
        return names.map { name in
            let running = running[name] ?? []
            let repositoryStack = repositoryStacks[running.first?.imageService ?? name]
            return .object([
                "name": .string(name),
                "kind": running.first?.kind.map { .string($0.rawValue) } ?? .null,
                "repository": repositoryStack.flatMap { DeployPlan.heldRepository($0.template) }.map { .string($0.name) } ?? .null,
                "repositoryStack": repositoryStack.map { .string($0.name) } ?? .null,
                "environments": .array(running.compactMap(\.environment).map(JSONValue.string)),
            ])
        }
    }

    private static func stackValue(_ entry: Entry, dependsOn: [String]) -> JSONValue {
        let stack = entry.stack
        return .object([
            "name": .string(stack.name),
            "phase": .string(stack.phase.name),
            "environment": stack.environment.map(JSONValue.string) ?? .null,
            "service": stack.service.map(JSONValue.string) ?? .null,
            "region": .string(stack.region),
            "cloudFormationRoleArn": stack.cloudFormationRoleArn.map(JSONValue.string),
            "templateFile": .string(entry.templateFile),
            "resourceCount": .int(stack.template.resources.count),
            "byteSize": .int(entry.byteSize),
            "dependsOn": .array(dependsOn.map(JSONValue.string)),
            "parameters": .object(stack.parameterSources.map { JSONValue.Member($0.name, sourceValue($0.value)) }),
            "outputs": .array(stack.template.outputs.map { .string($0.name) }),
        ])
    }

    private static func sourceValue(_ source: ParameterSource) -> JSONValue {
        switch source {
        case .stackOutput(let stack, let output):
            ["from": "stack-output", "stack": .string(stack), "output": .string(output)]
        case .imageGate(let value):
            ["from": "image-gate", "value": .string(value.rawValue)]
        case .buildMetadata(let option):
            ["from": "build-metadata", "option": .string("--\(option.rawValue)")]
        }
    }
}
