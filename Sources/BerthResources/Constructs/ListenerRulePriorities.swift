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
/// 128 characters, the longest pattern ELB takes). Within its band a rule takes the slot its
/// service's name hashes to (FNV-1a), skipping multiples of ten (the numbers Berth derived until
/// 0.5, so that a deployed app moves to the new ones without two rules meeting on one) and the
/// numbers set by hand; when two names meet on one slot, the name that sorts first keeps it and
/// the other takes the next free one. The rule that takes every request is 50000, the last.
public enum ListenerRulePriorities {
    /// A problem with one service's routing.
    public struct Problem: Sendable, Hashable {
        public var service: String
        public var location: String
        public var message: String
    }

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
        for service in services.filter({ $0.value.priority == nil }).sorted(by: { $0.name < $1.name }) {
            let priority: Int?
            if service.value.isCatchAll {
                // A second catch-all is reported as one below.
                if let other = owner(of: catchAllPriority), services.contains(where: { $0.name == other && $0.value.isCatchAll }) { continue }
                priority = owner(of: catchAllPriority) == nil ? catchAllPriority : nil
            } else {
                let band = 1 + rank(service.value) * bandWidth
                let first = slot(service.name)
                priority = (0..<bandWidth).lazy.map { band + (first + $0) % bandWidth }.first { $0 % 10 != 0 && owner(of: $0) == nil }
            }
            guard let priority else {
                problems.append(
                    Problem(service: service.name, location: "routing.priority", message: "no priority is left for this rule among the ones set by hand; set routing.priority"))
                continue
            }
            owners.append((priority, service.name))
            priorities[service.name] = priority
        }
        var catchAll: Named<FargateService.Routing>?
        var seenConditions: [String: String] = [:]
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
            let key = routing.paths.sorted().joined(separator: ",") + "|" + routing.hosts.sorted().joined(separator: ",")
            if let other = seenConditions[key] {
                problems.append(
                    Problem(service: service.name, location: "routing", message: "matches the same paths and hosts as \(other); one of them would never be reached"))
            } else {
                seenConditions[key] = service.name
            }
        }
        if let catchAll, let last = priorities[catchAll.name] {
            for service in services where !service.value.isCatchAll {
                if let priority = priorities[service.name], priority > last {
                    problems.append(
                        Problem(
                            service: service.name, location: "routing.priority",
                            message: "\(priority) comes after \(catchAll.name)'s rule (\(last)), which takes every request: this rule would never be reached"))
                }
            }
        }
        return (priorities, problems)
    }

    /// The priority of the rule that takes every request when not set by hand: the last there is.
    public static let catchAllPriority = 50_000

    /// How many numbers each level of specificity has: 258 levels of 190 end at 49,020.
    static let bandWidth = 190

    /// The band of a rule, lower for more specific: rules with hosts (0–128) before rules
    /// without (129–257), each by the longest path before its first wildcard, longest first.
    private static func rank(_ routing: FargateService.Routing) -> Int {
        let longestPrefix = routing.paths.map { path in path.prefix { $0 != "*" && $0 != "?" }.utf8.count }.max() ?? 0
        return (routing.hosts.isEmpty ? 129 : 0) + 128 - min(longestPrefix, 128)
    }

    /// A service name's slot within its band: FNV-1a (32 bits) of its UTF-8, the same on every
    /// machine and run (Swift's own hash is seeded per process).
    static func slot(_ name: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash % UInt32(bandWidth))
    }
}
