/// One thing wrong with an app, a stack or a template, found before anything is written.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// The stack it was found in, when it belongs to one.
    public var stack: String?
    /// Where in the stack or template: `Resources.ApiService.Properties.Cluster`, `lifecycle rule 2`, …
    public var location: String
    /// What is wrong and, where it helps, what to do about it.
    public var message: String

    public init(stack: String? = nil, location: String, message: String) {
        self.stack = stack
        self.location = location
        self.message = message
    }

    public var description: String {
        [stack, location.isEmpty ? nil : location].compactMap { $0 }.joined(separator: ": ") + ": " + message
    }
}
