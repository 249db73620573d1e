/// A deploy of several stacks that stopped: which stack failed and why, and what became of the others.
public struct AppDeployError: Error, Sendable, CustomStringConvertible {
    /// The stack that failed first.
    public let stack: String
    /// Why it failed; it decides the exit status.
    public let cause: any Error
    /// Stacks that were deployed before the failure (or had nothing to change).
    public let completed: [String]
    /// Other stacks that failed while the first failure was being waited out.
    public let alsoFailed: [String]
    /// Why each of `alsoFailed` failed, by stack, where known.
    public var alsoFailedCauses: [String: any Error] = [:]
    /// Stacks that were never started, and so were left as they were.
    public let notStarted: [String]
    /// What was done to the completed stacks: `deployed` or `deleted`.
    public var done = "deployed"

    /// What became of the other stacks, a line each.
    public var otherStacks: [String] {
        var lines: [String] = []
        if !alsoFailed.isEmpty { lines.append("also failed: \(alsoFailed.joined(separator: ", "))") }
        if !completed.isEmpty { lines.append("\(done) before the failure: \(completed.joined(separator: ", "))") }
        if !notStarted.isEmpty { lines.append("not started, left as they were: \(notStarted.joined(separator: ", "))") }
        return lines
    }

    public var description: String {
        let others = alsoFailed.compactMap { stack in
            alsoFailedCauses[stack].map { cause in "\(cause)".hasPrefix("\(stack): ") ? "\(cause)" : "\(stack): \(cause)" }
        }
        return (["\(cause)"] + others + otherStacks).joined(separator: "\n")
    }
}
