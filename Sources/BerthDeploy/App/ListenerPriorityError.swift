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

    /// The environment and service a stack of a service removed from the app was deployed for
    /// (its `berth:` tags).
    public struct RemovedService: Sendable, Hashable {
        public let environment: String
        public let service: String

        public init(environment: String, service: String) {
            self.environment = environment
            self.service = service
        }
    }

    public let conflicts: [Conflict]
    /// The stacks of the app's environments: a holder among them is left out of this deploy,
    /// one not among them is no longer the app's.
    public let appStacks: Set<String>
    /// What each holder that is a removed service's stack was deployed for, by stack name.
    public let removedServices: [String: RemovedService]

    public init(conflicts: [Conflict], appStacks: Set<String>, removedServices: [String: RemovedService] = [:]) {
        self.conflicts = conflicts
        self.appStacks = appStacks
        self.removedServices = removedServices
    }

    /// What refuses the deploy, before each conflict's own line.
    public static let heading = "the shared load balancer's listener holds priorities this deploy's rules take; no phase-2 stack was changed:"

    public var description: String {
        ([Self.heading] + lines).joined(separator: "\n  ")
    }

    /// Each conflict in words, with what to do, in `conflicts`' order.
    public var lines: [String] {
        conflicts.map { conflict -> String in
            switch conflict {
            case .held(let stack, let priority, let holder?, _) where appStacks.contains(holder):
                "\(stack)'s listener rule takes priority \(priority), which the rule of \(holder) holds, and this deploy leaves \(holder) "
                    + "as it is: deploy both together (the whole environment), or give one a number of its own (routing.priority)"
            case .held(let stack, let priority, let holder?, _):
                "\(stack)'s listener rule takes priority \(priority), which the rule of \(holder) holds: that stack is no longer one of "
                    + "the app's (a service removed from the app keeps its stack); delete it, or give \(stack)'s service a number of its "
                    + "own (routing.priority)"
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
    }
}
