/// Stacks of a deploy that each wait for another of them, so that none could start: a mistake
/// in the order Berth gave them, reported instead of leaving them out.
struct StackOrderError: Error, Sendable, CustomStringConvertible {
    /// The stacks that never started, in the plan's order.
    let waiting: [String]

    var description: String {
        "internal error: \(waiting.joined(separator: ", ")) wait for one another, so none was deployed; please report it"
    }
}
