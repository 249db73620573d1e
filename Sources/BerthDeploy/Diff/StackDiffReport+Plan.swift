import BerthDiff

extension StackDiffReport {
    /// The report of `stack`.
    public init(stack: PlannedStack, source: Source, diff: StackDiff, note: String? = nil) {
        self.init(
            stackName: stack.name, region: stack.region, phase: stack.phase, environment: stack.environment, source: source, diff: diff,
            note: note)
    }
}
