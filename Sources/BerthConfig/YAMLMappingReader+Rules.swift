import BerthResources

extension YAMLMappingReader {
    /// The whole number at `rule`'s key, within its range.
    mutating func int<Root>(_ rule: WholeNumberRule<Root>, required: Bool = false) -> Int? {
        int(rule.key, required: required, in: rule.range)
    }

    /// Reads the whole number at `rule`'s key into `root`, when it is there and within range.
    mutating func read<Root>(_ rule: WholeNumberRule<Root>, into root: inout Root) {
        if let value = int(rule) { rule.assign(value, to: &root) }
    }
}
