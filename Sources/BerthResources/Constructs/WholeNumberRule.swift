/// One whole-number key of an environment file, described once: its path, the values it may
/// take, and the property of `Root` it lands in (whose declaration holds the default). The
/// environment-file reader reads the key with it and the settings' validation checks the
/// property with it, so the range lives in the rule only.
package struct WholeNumberRule<Root> {
    /// The key's path, as problems name it: `healthCheck.intervalSeconds`.
    package let path: String
    /// The values the key may take.
    package let range: ClosedRange<Int>
    private let read: (Root) -> Int?
    private let write: (inout Root, Int) -> Void
    /// A check that replaces the range check, for a value that also depends on other settings:
    /// the problem with `value` in `root`, or `nil`.
    private let check: ((Root, Int, ClosedRange<Int>) -> String?)?

    /// A rule for the property that `get` reads (`nil` while an optional one has no value) and
    /// `set` writes. Closures rather than key paths: the runtime makes each key path on its first
    /// use, and making the 30-odd rules' took more of a synth than reading the files.
    package init(
        _ path: String, _ range: ClosedRange<Int>, get: @escaping (Root) -> Int?, set: @escaping (inout Root, Int) -> Void,
        check: ((Root, Int, ClosedRange<Int>) -> String?)? = nil
    ) {
        self.path = path
        self.range = range
        self.read = get
        self.write = set
        self.check = check
    }

    /// The path of the key in the `index`th element of a list: `autoscaling.schedule[].minCount`
    /// becomes `autoscaling.schedule[2].minCount`.
    package func path(at index: Int) -> String { path.replacing("[]", with: "[\(index)]") }

    /// The key in its own mapping: `intervalSeconds`.
    package var key: String {
        guard let dot = path.utf8.lastIndex(of: UInt8(ascii: ".")) else { return path }
        return String(path[path.utf8.index(after: dot)...])
    }

    /// Sets the property of `root` to `value`.
    package func assign(_ value: Int, to root: inout Root) { write(&root, value) }

    /// What is wrong with the property's value in `root`, or `nil`: `must be 5 to 300, got 3`.
    func problem(in root: Root) -> String? {
        guard let value = read(root) else { return nil }
        if let check { return check(root, value, range) }
        guard !range.contains(value) else { return nil }
        let bounds = range.upperBound >= Int(Int32.max) ? "\(range.lowerBound) or more" : "\(range.lowerBound) to \(range.upperBound)"
        return "must be \(bounds), got \(value)"
    }
}

extension SettingProblems {
    /// Adds the problem `rule` finds in `root`, at the rule's path.
    mutating func check<Root>(_ rule: WholeNumberRule<Root>, in root: Root) {
        if let problem = rule.problem(in: root) { add(rule.path, problem) }
    }

    /// Adds the problem `rule` finds in `root`, the `index`th element of the rule's list.
    mutating func check<Root>(_ rule: WholeNumberRule<Root>, in root: Root, at index: Int) {
        if let problem = rule.problem(in: root) { add(rule.path(at: index), problem) }
    }
}
