/// Something a deploy went on past that its user should act on. `description` says what is wrong
/// and what to do in the library's words; a command line words the remedy in its own commands.
public enum DeployWarning: Sendable, Hashable, CustomStringConvertible {
    /// `service` of `environment` is deployed with `tag`, which the lifecycle rule of the images
    /// tagged `countedWith`… counts, not `environment`'s: that rule's pushes may expire it.
    case foreignTag(service: String, tag: String, countedWith: String, environment: String)
    /// The rules of `stack`'s shared listener could not be read (`code`, an access refusal): the
    /// check that no rule holds the priorities the deploy's rules take was skipped.
    case listenerRulesUnreadable(stack: String, code: String)
    /// Termination protection could not be turned on for `stack` (`reason`).
    case terminationProtectionOff(stack: String, reason: String)
    /// CloudFormation goes on acting on `stack` with `acting` (the deployer's own rights when
    /// `nil`), not with `given`: the deploy changed nothing, and CloudFormation records a stack's
    /// role only with a change.
    case roleNotRecorded(stack: String, acting: String?, given: String)
    /// CloudFormation goes on acting on `stack` with `role`, which the deploy no longer gives: a
    /// stack keeps the last role it was given.
    case roleKept(stack: String, role: String)

    public var description: String {
        switch self {
        case .foreignTag(_, _, _, let environment): problem + "; deploy one of \(environment)'s own tags (\(environment)-…)"
        case .listenerRulesUnreadable: problem + "; deploy the bootstrap template again, whose deploy role may read them"
        case .terminationProtectionOff: problem
        case .roleNotRecorded: problem + "; the stack takes the role given at its next deploy that changes it"
        case .roleKept: problem + "; give another role to replace it (only a stack made again acts without one)"
        }
    }

    /// What is wrong, without the remedy that ends `description`.
    public var problem: String {
        switch self {
        case .foreignTag(let service, let tag, let prefix, let environment):
            "\(service): \(tag) is counted by the lifecycle rule of \(prefix)… images, not by the rule that counts \(environment)'s own tags: "
                + "that rule counts it with those images, and their pushes may expire it while \(environment) runs it"
        case .listenerRulesUnreadable(let stack, let code):
            "cannot read the rules of \(stack)'s listener (\(code)): the check that no rule holds the priorities "
                + "this deploy's rules take is skipped"
        case .terminationProtectionOff(let stack, let reason): "\(stack): could not turn on termination protection: \(reason)"
        case .roleNotRecorded(let stack, let acting, let given):
            "\(stack): CloudFormation still acts on the stack with \(acting.map { "the role \($0)" } ?? "the deployer's own rights"), "
                + "not the role \(given): it records a new role only with a change to the template, a parameter or a tag, and this deploy changed nothing"
        case .roleKept(let stack, let role):
            "\(stack): CloudFormation still acts on the stack with the role \(role), which is no longer given: a stack keeps the last role it was given"
        }
    }
}
