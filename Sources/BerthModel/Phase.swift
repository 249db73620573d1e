/// The two deploy phases. Phase 1 holds the image repository, phase 2 the service that runs
/// images from it; the image-existence gate stands between them.
public enum Phase: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case ecr = 1
    case ecs = 2

    public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `ecr` or `ecs`, as `--phase` spells it.
    public var name: String {
        switch self {
        case .ecr: "ecr"
        case .ecs: "ecs"
        }
    }

    public var description: String { name }
}
