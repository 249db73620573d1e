/// The image gate refused one or more services of a deploy; no phase-2 stack was changed (with
/// `--phase all`, the repository stacks deployed before the gate stay deployed).
public struct ImageGateRefusal: Error, Sendable, CustomStringConvertible {
    /// Each refused service with why.
    public let refusals: [(service: String, reason: ImageGateError)]

    public var description: String {
        guard refusals.count > 1 else {
            return refusals.first.map { "\($0.service): \($0.reason); no phase-2 stack was changed" } ?? "refused; no phase-2 stack was changed"
        }
        return "\(refusals.count) services refused, so no phase-2 stack was changed:\n"
            + refusals.map { "  \($0.service): \($0.reason)" }.joined(separator: "\n")
    }
}
