/// Why drift could not be detected.
public enum DriftError: Error, Sendable, CustomStringConvertible {
    /// CloudFormation's drift detection failed for the stack.
    case detectionFailed(stack: String, reason: String)

    public var description: String {
        switch self {
        case .detectionFailed(let stack, let reason): "\(stack): drift detection failed: \(reason)"
        }
    }
}
