extension FargateService {
    /// The CPU architecture the image is built for.
    public enum CPUArchitecture: String, Sendable, Hashable {
        /// Intel and AMD processors.
        case x86_64 = "X86_64"
        /// Graviton processors.
        case arm64 = "ARM64"
    }
}
