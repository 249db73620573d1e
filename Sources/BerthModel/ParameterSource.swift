/// Where the deployer takes a phase-2 parameter's value from: the contract between the
/// constructs that declare a parameter and the deploy that fills it.
public enum ParameterSource: Sendable, Hashable {
    /// An output of another stack of the app.
    case stackOutput(stack: String, output: String)
    /// The image gate: the tag that was checked (`--image-tag`) or the digest ECR reported.
    case imageGate(ImageGateValue)
    /// The build that made the image (`--commit-sha`, `--build-time`); `unknown` when not given.
    case buildMetadata(BuildMetadata)

    /// What the image gate contributes.
    public enum ImageGateValue: String, Sendable, Hashable {
        case tag
        case digest
    }

    /// What the build tells about the image, as its deploy option names it.
    public enum BuildMetadata: String, Sendable, Hashable {
        case commitSha = "commit-sha"
        case buildTime = "build-time"
    }

    /// A short description for the manifest: `stack-output:shop-api-ecr.RepositoryUri`, `image-gate:tag`, …
    public var manifestText: String {
        switch self {
        case .stackOutput(let stack, let output): "stack-output:\(stack).\(output)"
        case .imageGate(let value): "image-gate:\(value.rawValue)"
        case .buildMetadata(let option): "build-metadata:\(option.rawValue)"
        }
    }
}
