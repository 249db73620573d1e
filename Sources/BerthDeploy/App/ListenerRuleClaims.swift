/// The priorities a deploy's service stacks give their rules on an environment's shared
/// listener, judged against the rules the listener holds before anything changes.
///
/// ELB refuses a rule on a priority another rule of the listener holds (`PriorityInUse`), and
/// CloudFormation then rolls that stack back half-way through the deploy. A stack whose rule
/// takes a number another stack of the same deploy moves its rule away from (or removes) deploys
/// after that stack; one whose number a rule the deploy does not move holds (the stack of a service removed
/// from the app, a service left out with `--service`, a rule made by hand), or stacks that would
/// take each other's numbers, refuse the deploy before anything changes.
struct ListenerRuleClaims: Sendable {
    /// A service stack's rule on the listener and the priority its template gives it.
    struct Claim: Sendable, Hashable {
        let stack: String
        let priority: Int
    }

    /// What the claims need: for each stack, the stacks whose deploy must come first.
    struct Judgement: Sendable, Equatable {
        var after: [String: [String]] = [:]
        var conflicts: [ListenerPriorityError.Conflict] = []
    }

    let claims: [Claim]

    /// Judges the claims against `held` (the listener's rules: priority → rule ARN), `owners`
    /// (rule ARN → the stack whose rule it is, where known) and `deploying` (the stacks this
    /// deploy changes).
    func judge(held: [Int: String], owners: [String: String], deploying: Set<String>) -> Judgement {
        var judgement = Judgement()
        for claim in claims {
            guard let rule = held[claim.priority] else { continue }
            switch owners[rule] {
            case claim.stack?:
                continue
            case let holder? where deploying.contains(holder):
                // Numbers are the app's own, one per rule: the holder's deploy moves its rule to
                // another, or removes it (its service leaves the shared load balancer).
                judgement.after[claim.stack, default: []].append(holder)
            case let holder:
                judgement.conflicts.append(.held(stack: claim.stack, priority: claim.priority, holder: holder, rule: rule))
            }
        }
        for cycle in cycles(in: judgement.after) {
            judgement.conflicts.append(.exchange(stacks: cycle))
        }
        return judgement
    }

    /// The stacks that wait for one another in a ring (each named once, from the first in name
    /// order), which no order of their deploys can satisfy.
    private func cycles(in after: [String: [String]]) -> [[String]] {
        var found: [[String]] = []
        var reported: Set<String> = []
        for start in after.keys.sorted() where !reported.contains(start) {
            // Each stack waits for at most one other (one number, one holder): follow the chain.
            var path = [start]
            var current = start
            while let next = after[current]?.first, !reported.contains(next) {
                if let index = path.firstIndex(of: next) {
                    let ring = Array(path[index...])
                    let first = ring.indices.min { ring[$0] < ring[$1] } ?? 0
                    found.append(Array(ring[first...] + ring[..<first]))
                    reported.formUnion(ring)
                    break
                }
                path.append(next)
                current = next
            }
        }
        return found
    }
}
