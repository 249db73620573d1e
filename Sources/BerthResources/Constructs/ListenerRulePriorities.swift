import BerthTemplate

/// The priorities of the listener rules that share one load balancer, and what clashes.
///
/// A priority set in `routing.priority` is kept. The others are derived from how specific each
/// rule is, so that the same services always get the same numbers: rules with hosts come first,
/// then rules by the length of their longest path before its first wildcard (`/api/v2/*` before
/// `/api/*`), then by service name; the rule that takes every request comes last. Derived
/// priorities are 10, 20, 30, … skipping the ones set by hand.
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
        let derived = services.filter { $0.value.priority == nil }.sorted { lhs, rhs in
            let left = specificity(lhs.value), right = specificity(rhs.value)
            return left != right ? left > right : lhs.name < rhs.name
        }
        var next = 10
        for service in derived {
            while owner(of: next) != nil { next += 10 }
            owners.append((next, service.name))
            priorities[service.name] = next
            next += 10
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
            for service in services where service.name != catchAll.name {
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

    /// Higher is more specific: hosts first, then the longest path prefix; every request last.
    private static func specificity(_ routing: FargateService.Routing) -> Int {
        if routing.isCatchAll { return -1 }
        let longestPrefix = routing.paths.map { path in path.prefix { $0 != "*" && $0 != "?" }.count }.max() ?? 0
        return (routing.hosts.isEmpty ? 0 : 1_000) + longestPrefix
    }
}
