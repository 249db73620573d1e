/// Why a deploy was refused before anything changed: its service stacks' rules would take
/// priorities on the shared listener that no order of their deploys can free
/// (`ListenerRuleClaims`). Each conflict is named with what to do.
public struct ListenerPriorityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One priority that cannot be taken.
    public enum Conflict: Sendable, Hashable {
        /// `stack`'s rule takes `priority`, which `rule` holds and this deploy does not move: the
        /// rule of `holder` (a stack the deploy leaves as it is), or of no stack it knows (`nil`).
        case held(stack: String, priority: Int, holder: String?, rule: String)
        /// The stacks' rules would each take the next one's priority, the last the first's.
        case exchange(stacks: [String])
        /// `stack`'s rule takes the number `holder`'s deploy frees, and `holder` deploys after
        /// `stack` already (it calls `stack`'s service over Service Connect, or waits for it
        /// through other stacks).
        case order(stack: String, holder: String)
    }

    public let conflicts: [Conflict]
    /// The stacks of the app's environments: a holder among them is left out of this deploy,
    /// one not among them is no longer the app's.
    public let appStacks: Set<String>

    public init(conflicts: [Conflict], appStacks: Set<String>) {
        self.conflicts = conflicts
        self.appStacks = appStacks
    }

    public var description: String {
        let lines = conflicts.map { conflict -> String in
            switch conflict {
            case .held(let stack, let priority, let holder?, _) where appStacks.contains(holder):
                "\(stack)'s listener rule takes priority \(priority), which the rule of \(holder) holds, and this deploy leaves \(holder) "
                    + "as it is: deploy both together (the whole environment), or give one a number of its own (routing.priority)"
            case .held(let stack, let priority, let holder?, _):
                "\(stack)'s listener rule takes priority \(priority), which the rule of \(holder) holds: that stack is no longer one of "
                    + "the app's (a service removed from the app keeps its stack); delete it (berth destroy --removed-services with its "
                    + "environment), or give \(stack)'s service a number of its own (routing.priority)"
            case .held(let stack, let priority, nil, let rule):
                "\(stack)'s listener rule takes priority \(priority), which a rule of no stack of the environment holds (\(rule)): "
                    + "remove that rule, or give \(stack)'s service a number of its own (routing.priority)"
            case .order(let stack, let holder):
                "\(stack)'s listener rule takes the priority \(holder)'s rule gives up, and \(holder) deploys after \(stack) "
                    + "(it calls its service over Service Connect, or waits for it through other stacks): no order of the deploys does "
                    + "both; give \(stack)'s service a number of its own (routing.priority) for one deploy"
            case .exchange(let stacks):
                "the listener rules of \(stacks.joined(separator: ", ")) would each take the next one's priority"
                    + "\(stacks.count == 2 ? " (an exchange)" : ""), which no order of deploys can do: give one a number of its own "
                    + "(routing.priority) for one deploy"
            }
        }
        return "the shared load balancer's listener holds priorities this deploy's rules take; no phase-2 stack was changed:\n  "
            + lines.joined(separator: "\n  ")
    }
}
