extension FargateService {
    /// How the shared load balancer sends requests to a web service: a listener rule matching
    /// any of `paths` and any of `hosts`. A service with neither takes every request no other
    /// rule takes.
    public struct Routing: Sendable, Hashable {
        /// Path patterns such as `/api/*` (`*` and `?` are wildcards).
        public var paths: [String] = []
        /// Host names such as `api.example.com` or `*.example.com`.
        public var hosts: [String] = []
        /// The rule's priority (1–50000, lower is evaluated first); derived when not set.
        public var priority: Int?

        /// A rule matching any of `paths` and any of `hosts`, at `priority` or a derived one.
        public init(paths: [String] = [], hosts: [String] = [], priority: Int? = nil) {
            self.paths = paths
            self.hosts = hosts
            self.priority = priority
        }

        /// Whether the rule matches every request: every host (no host condition, or a pattern of
        /// `*` alone) and every path (no path condition, or a pattern of `*` alone after its
        /// `/`: `/*`, `/**`). A condition's patterns are alternatives, so one such is enough:
        /// `paths: ["/*", "/x"]` takes every request too.
        public var isCatchAll: Bool { matchesAnyHost && (paths.isEmpty || paths.contains { Self.isStarsOnly($0.hasPrefix("/") ? $0.dropFirst() : Substring($0)) }) }

        /// Whether the rule matches every host: no host condition, or a pattern of `*` alone.
        var matchesAnyHost: Bool { hosts.isEmpty || hosts.contains(where: Self.isStarsOnly) }

        /// Whether `pattern` is one or more `*` and nothing else: it matches any text.
        private static func isStarsOnly<Text: StringProtocol>(_ pattern: Text) -> Bool {
            !pattern.isEmpty && pattern.utf8.allSatisfy { $0 == UInt8(ascii: "*") }
        }
    }
}
