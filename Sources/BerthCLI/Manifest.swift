import CloudFormation
import Resources

/// `out/manifest.json`: what synth wrote, and where each parameter's value comes from at deploy time.
struct Manifest {
    /// One synthesized stack.
    struct Entry {
        let stack: Stack
        let templateFile: String
        let byteSize: Int
    }

    static let version = 1

    let app: String
    let entries: [Entry]

    var jsonValue: JSONValue {
        .object([
            "version": .int(Self.version),
            "app": .string(app),
            "stacks": .array(entries.map(Self.stackValue)),
        ])
    }

    private static func stackValue(_ entry: Entry) -> JSONValue {
        let stack = entry.stack
        return .object([
            "name": .string(stack.name),
            "phase": .string(stack.phase.name),
            "environment": stack.environment.map(JSONValue.string) ?? .null,
            "region": .string(stack.region),
            "templateFile": .string(entry.templateFile),
            "resourceCount": .int(stack.template.resources.count),
            "byteSize": .int(entry.byteSize),
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
            ["from": "build-metadata", "option": .string("--\(option)")]
        }
    }
}
