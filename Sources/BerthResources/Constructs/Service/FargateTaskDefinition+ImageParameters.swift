import BerthModel
import BerthTemplate

extension FargateTaskDefinition {
    /// The parameters that carry the repository, the image and the build metadata.
    struct ImageParameters {
        let repositoryUri: Intrinsic
        let repositoryName: Intrinsic
        let imageTag: Intrinsic
        let commitSha: Intrinsic
        let buildTime: Intrinsic
        /// The name of the condition that holds when a digest was given.
        let useDigest: String

        /// Adds the parameters and the condition that picks the digest when one was given;
        /// `repositoryStack` is the phase-1 stack whose outputs name the repository.
        static func add(repositoryStack: String, to stack: inout Stack) -> ImageParameters {
            let repositoryUri = stack.addDeployParameter(
                ParameterName.repositoryUri,
                Parameter(description: "The image repository's URI, from the phase-1 stack", minLength: 1),
                source: .stackOutput(stack: repositoryStack, output: OutputName.repositoryUri))
            let repositoryName = stack.addDeployParameter(
                ParameterName.repositoryName,
                Parameter(
                    description: "The image repository's name, from the phase-1 stack; the execution role may pull from it",
                    allowedPattern: "^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$",
                    constraintDescription: "an ECR repository name (lowercase letters and digits separated by . _ - or /); never a wildcard",
                    minLength: 2, maxLength: 256),
                source: .stackOutput(stack: repositoryStack, output: OutputName.repositoryName))
            let imageTag = stack.addDeployParameter(
                ParameterName.imageTag,
                Parameter(
                    description: "The image tag that the image gate found in the repository",
                    allowedPattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
                    constraintDescription: "a Docker tag: letters, digits, _ . -, at most 128, not starting with . or -"),
                source: .imageGate(.tag))
            stack.addDeployParameter(
                ParameterName.imageDigest,
                Parameter(
                    description: "The image digest; when set, the task definition pins the image by digest",
                    defaultValue: "", allowedPattern: "^(sha256:[a-f0-9]{64})?$",
                    constraintDescription: "empty, or sha256: followed by 64 lowercase hex digits"),
                source: .imageGate(.digest))
            let commitSha = stack.addDeployParameter(
                ParameterName.commitSha,
                Parameter(description: "The commit the image was built from", defaultValue: "unknown"),
                source: .buildMetadata(.commitSha))
            let buildTime = stack.addDeployParameter(
                ParameterName.buildTime,
                Parameter(description: "When the image was built", defaultValue: "unknown"),
                source: .buildMetadata(.buildTime))
            let useDigest = stack.template.addCondition(
                "UseImageDigest", .not(Intrinsic.equals(Intrinsic.ref(ParameterName.imageDigest).templateValue, "").templateValue))
            return ImageParameters(
                repositoryUri: repositoryUri, repositoryName: repositoryName, imageTag: imageTag, commitSha: commitSha,
                buildTime: buildTime, useDigest: useDigest)
        }
    }
}
