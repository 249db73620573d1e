/// Where the deployer takes a parameter's value from.
public enum ValueSource: Sendable, Hashable {
    /// An output of another stack of the app. When the stack does not report it and the image
    /// gate knows the value (the repository's URI and name), the gate's answer is used.
    case stackOutput(stack: String, output: String, orFromGate: GateValue?)
    /// What the image gate checked or found for the stack's service.
    case gate(GateValue)
    /// The build that made the image (`--commit-sha`, `--build-time`); `unknown` when not given.
    case buildMetadata(BuildMetadata)

    /// What the image gate knows.
    public enum GateValue: String, Sendable, Hashable {
        case tag, digest, repositoryURI, repositoryName
    }

    /// What the build tells about the image.
    public enum BuildMetadata: String, Sendable, Hashable {
        case commitSha = "commit-sha"
        case buildTime = "build-time"
    }
}
