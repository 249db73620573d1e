/// Where the deployer takes a phase-2 parameter's value from.
public enum ParameterSource: Sendable, Hashable {
    /// An output of a phase-1 stack.
    case stackOutput(stack: String, output: String)
    /// The image gate: the tag that was checked (`--image-tag`) or the digest ECR reported.
    case imageGate(ImageGateValue)
    /// The build that made the image: `--commit-sha`, `--build-time`.
    case buildMetadata(String)

    /// What the image gate contributes.
    public enum ImageGateValue: String, Sendable, Hashable {
        case tag
        case digest
    }

    /// A short description for the manifest: `stack-output:shop-api-ecr.RepositoryUri`, `image-gate:tag`, …
    public var manifestText: String {
        switch self {
        case .stackOutput(let stack, let output): "stack-output:\(stack).\(output)"
        case .imageGate(let value): "image-gate:\(value.rawValue)"
        case .buildMetadata(let option): "build-metadata:\(option)"
        }
    }
}
