import BerthTemplate

/// The priorities of the listener rules that share one load balancer, and what clashes.
///
/// A priority set in `routing.priority` is kept. The others are derived from the rule's own
/// routing and its service's name alone, never from the other services, so that adding or
/// removing a service never renumbers another's rule: Elastic Load Balancing refuses two rules
/// of one listener with one priority (`PriorityInUse`), and service stacks deploy side by side,
/// so a rule moved onto a number another rule still holds would fail the deploy.
///
/// How specific a rule is picks its band of 190 numbers: rules with hosts first, then by the
/// length of their longest path before its first wildcard (`/api/v2/*` before `/api/*`, up to
/// 128 characters, the longest pattern ELB takes). Within its band a rule takes the number its
/// service's name hashes to (FNV-1a) among the band's 171 that are not multiples of ten (the
/// numbers Berth derived until 0.5, so that a deployed app moves to the new ones without two
/// rules meeting on one), or, when that number is taken (set by hand, or by a rule whose name
/// sorts first), the band's next free one. The rule that takes every request is 50000, the last.
public enum ListenerRulePriorities {
    /// A problem with one service's routing.
    public struct Problem: Sendable, Hashable {
        public var service: String
        public var location: String
        public var message: String
    }

    /// The priority of the rule that takes every request when not set by hand: the last there is.
    public static let catchAllPriority = 50_000

    /// How many numbers each level of specificity has: 258 levels of 190 end at 49,020.
    static let bandWidth = 190

    /// The numbers of a band a derived rule may take: those that are not multiples of ten.
    static let slots = bandWidth - bandWidth / 10

    /// The priority of each service's rule, by service name, and every clash found.
    public static func assign(_ services: [Named<FargateService.Routing>]) -> (priorities: [String: Int], problems: [Problem]) {
        var priorities: [String: Int] = [:]
        var problems: [Problem] = []
        // Priority → service, as pairs: a handful of services, and no Int-keyed dictionary to set up.
        var owners: [(priority: Int, service: String)] = []
        func owner(of priority: Int) -> String? { owners.first { $0.priority == priority }?.service }
        for service in services {
            guard let priority = service.value.priority else { continue }
            if let other = owner(of: priority) {
                problems.append(
                    Problem(service: service.name, location: "routing.priority", message: "\(priority) is also the priority of \(other)'s rule; each rule needs its own"))
            } else {
                owners.append((priority, service.name))
            }
            priorities[service.name] = priority
        }
        // In name order, each rule takes its number, or when a number set by hand or a rule
        // before it in that order has it, the band's next free one. So adding a service moves no
        // other rule unless the two meet on one number and the new name sorts first (about one
        // pair in 171 within a band): routing.priority pins a rule for good.
        for service in services.filter({ $0.value.priority == nil }).sorted(by: { $0.name < $1.name }) {
            var priority = derivedPriority(service)
            if !service.value.isCatchAll, owner(of: priority) != nil {
                let band = (priority - 1) / bandWidth * bandWidth
                let start = priority - band
                guard let free = (0..<bandWidth).lazy.map({ band + 1 + (start + $0) % bandWidth }).first(where: { $0 % 10 != 0 && owner(of: $0) == nil })
                else {
                    problems.append(
                        Problem(service: service.name, location: "routing", message: "no priority is left in its rule's band (\(band + 1)–\(band + bandWidth)); set routing.priority"))
                    continue
                }
                priority = free
            }
            if service.value.isCatchAll, let other = owner(of: priority), !services.contains(where: { $0.name == other && $0.value.isCatchAll }) {
                problems.append(
                    Problem(service: other, location: "routing.priority", message: "\(priority) is the catch-all's priority, the last there is; choose another"))
            }
            owners.append((priority, service.name))
            priorities[service.name] = priority
        }
        problems += clashes(services)
        problems += shadowed(services, priorities: priorities)
        return (priorities, problems)
    }

    /// A rule's derived priority: the catch-all's last number, or its band's number for its
    /// service's name.
    static func derivedPriority(_ service: Named<FargateService.Routing>) -> Int {
        if service.value.isCatchAll { return catchAllPriority }
        let slot = Int(hash(service.name) % UInt32(slots))
        // The slot-th number of the band that is not a multiple of ten (nine in each ten).
        return bandWidth * rank(service.value) + 1 + slot + slot / 9
    }

    /// Two catch-alls, and two rules of the same paths and hosts.
    private static func clashes(_ services: [Named<FargateService.Routing>]) -> [Problem] {
        var problems: [Problem] = []
        var catchAll: Named<FargateService.Routing>?
        // Each rule's conditions as sorted lists, compared pairwise: a handful of rules, and no
        // joined keys or dictionary to set up (their first use costs more than the comparisons).
        var seenConditions: [(paths: [String], hosts: [String], service: String)] = []
        for service in services {
            let routing = service.value
            if routing.isCatchAll {
                if let first = catchAll {
                    problems.append(
                        Problem(
                            service: service.name, location: "routing",
                            message: "takes every request, as \(first.name) does; give one of them routing.paths or routing.hosts"))
                } else {
                    catchAll = service
                }
                continue
            }
            let (paths, hosts) = (routing.paths.sorted(), routing.hosts.sorted())
            if let other = seenConditions.first(where: { $0.paths == paths && $0.hosts == hosts })?.service {
                problems.append(
                    Problem(service: service.name, location: "routing", message: "matches the same paths and hosts as \(other); one of them would never be reached"))
            } else {
                seenConditions.append((paths, hosts, service.name))
            }
        }
        return problems
    }

    /// Rules that a rule before them takes every request of: behind the catch-all, or behind a
    /// rule whose paths and hosts cover theirs (`/api/*` before `/api/v2/*`). A rule's band goes
    /// by its longest path, so a broad rule with one long path too can come before a narrower
    /// one even when both numbers are derived.
    private static func shadowed(_ services: [Named<FargateService.Routing>], priorities: [String: Int]) -> [Problem] {
        var problems: [Problem] = []
        let catchAlls = services.filter { $0.value.isCatchAll }
        if let catchAll = catchAlls.first, let last = priorities[catchAll.name] {
            let behind = services.filter { !$0.value.isCatchAll && (priorities[$0.name] ?? 0) > last }
            for service in behind where service.value.priority != nil {
                problems.append(
                    Problem(
                        service: service.name, location: "routing.priority",
                        message: "\(priorities[service.name] ?? 0) comes after \(catchAll.name)'s rule (\(last)), which takes every request: this rule would never be reached"))
            }
            // (Two catch-alls are a clash of their own, said in `clashes`: no advice on which number.)
            if catchAlls.count == 1, catchAll.value.priority != nil,
                let highest = behind.filter({ $0.value.priority == nil }).compactMap({ priorities[$0.name] }).max()
            {
                problems.append(
                    Problem(
                        service: catchAll.name, location: "routing.priority",
                        message: "\(last) puts this rule, which takes every request, before the priorities Berth derives for the others' (up to \(highest)), "
                            + "which would never be reached; remove routing.priority (the rule is then \(catchAllPriority), the last), or set the others' below \(last)"))
            }
        }
        // Each rule's number and wildcard prefixes worked out once: the pairs grow as the square
        // of the rules (a quarter of a million for 500 services).
        let rules = services.map { service in
            (priority: service.value.isCatchAll ? nil : priorities[service.name], prefixes: wildcardPrefixes(of: service.value))
        }
        for (firstIndex, first) in services.enumerated() {
            guard let before = rules[firstIndex].priority, first.value.paths.isEmpty || !rules[firstIndex].prefixes.isEmpty else { continue }
            for (laterIndex, later) in services.enumerated() {
                guard let after = rules[laterIndex].priority, before < after,
                    covers(first.value, later.value, prefixes: rules[firstIndex].prefixes),
                    first.value.paths.sorted() != later.value.paths.sorted() || first.value.hosts.sorted() != later.value.hosts.sorted()
                else { continue }
                let (service, key) =
                    first.value.priority != nil ? (first.name, "routing.priority") : later.value.priority != nil ? (later.name, "routing.priority") : (first.name, "routing")
                problems.append(
                    Problem(
                        service: service, location: key,
                        message: "\(first.name)'s rule (\(before)) comes before \(later.name)'s (\(after)) and takes every request of it, "
                            + "so \(later.name)'s would never be reached; give the more specific rule the lower priority (routing.priority)"))
            }
        }
        return problems
    }

    /// Whether every request `later` matches, `first` matches too: its hosts (none, or `*`: any) hold
    /// `later`'s, and one of its paths is a prefix and a wildcard (`/api/*`) that starts every
    /// one of `later`'s (`first` with no path: any path). `prefixes` are `first`'s
    /// (`wildcardPrefixes`).
    private static func covers(_ first: FargateService.Routing, _ later: FargateService.Routing, prefixes: [String]) -> Bool {
        let hosts = first.matchesAnyHost || (!later.matchesAnyHost && later.hosts.allSatisfy(first.hosts.contains))
        guard hosts else { return false }
        if first.paths.isEmpty { return true }
        return !later.paths.isEmpty && prefixes.contains { prefix in later.paths.allSatisfy { $0.hasPrefix(prefix) } }
    }

    /// What the paths of `routing` that end in their only wildcards (`/api/*`, `/api/**`) start
    /// with (`/api/`): the paths through which a rule can take every request of another.
    private static func wildcardPrefixes(of routing: FargateService.Routing) -> [String] {
        routing.paths.compactMap { path in
            let prefix = path.prefix { $0 != "*" }
            let wildcards = path.dropFirst(prefix.count)
            guard !wildcards.isEmpty, wildcards.allSatisfy({ $0 == "*" }), !prefix.contains("?") else { return nil }
            return String(prefix)
        }
    }

    /// The band of a rule, lower for more specific: rules with hosts (0–128) before rules
    /// without, or with `*` (129–257), each by the longest path before its first wildcard,
    /// longest first.
    private static func rank(_ routing: FargateService.Routing) -> Int {
        let longestPrefix = routing.paths.map { path in path.prefix { $0 != "*" && $0 != "?" }.utf8.count }.max() ?? 0
        return (routing.matchesAnyHost ? 129 : 0) + 128 - min(longestPrefix, 128)
    }

    /// FNV-1a (32 bits) of a name's UTF-8: the same on every machine and run (Swift's own hash
    /// is seeded per process).
    static func hash(_ name: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}
