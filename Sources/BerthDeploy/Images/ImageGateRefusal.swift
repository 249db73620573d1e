/// The image gate refused one or more services of a deploy; no stack was changed.
public struct ImageGateRefusal: Error, Sendable, CustomStringConvertible {
    /// Each refused service with why.
    public let refusals: [(service: String, reason: ImageGateError)]

    public var description: String {
        guard refusals.count > 1 else {
            return refusals.first.map { "\($0.service): \($0.reason); nothing was deployed" } ?? "refused; nothing was deployed"
        }
        return "\(refusals.count) services refused, so nothing was deployed:\n"
            + refusals.map { "  \($0.service): \($0.reason)" }.joined(separator: "\n")
    }
}
