/// The name a misspelt one was most likely meant to be (`cpuu` for `cpu`, `Memory` for `memory`),
/// for a "did you mean" in an error. Judged by edit distance over the UTF-8 bytes, a change of
/// case costing nothing: a name at most two edits away, and fewer edits than half its length,
/// so that a short name is not taken for another short one (`kind` for `mind` is, `ab` for `cd`
/// is not); `nil` when none is that close, or two are equally close.
enum NearestName {
    static func among(_ candidates: [String], to name: String) -> String? {
        // Two edits at most: a name whose length differs more is never near, and no table is
        // filled for it (an unknown key may be megabytes long).
        let length = name.utf8.count
        let near = candidates.filter { abs($0.utf8.count - length) <= 2 }
        guard !near.isEmpty else { return nil }
        let typed = Array(name.utf8).map(lowercased)
        var best: (name: String, distance: Int)?
        var tied = false
        for candidate in near {
            let distance = editDistance(typed, Array(candidate.utf8).map(lowercased))
            guard distance <= 2, distance * 2 < max(typed.count, 1) else { continue }
            if let current = best, current.distance == distance, current.name != candidate {
                tied = true
            } else if best.map({ distance < $0.distance }) ?? true {
                best = (candidate, distance)
                tied = false
            }
        }
        return tied ? nil : best?.name
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }

    /// Levenshtein's distance, with a swap of two neighbours counting as one edit (`mmeory`).
    private static func editDistance(_ first: [UInt8], _ second: [UInt8]) -> Int {
        guard !first.isEmpty else { return second.count }
        guard !second.isEmpty else { return first.count }
        var before = [Int](repeating: 0, count: second.count + 1)
        var previous = Array(0...second.count)
        var current = [Int](repeating: 0, count: second.count + 1)
        for i in 1...first.count {
            current[0] = i
            for j in 1...second.count {
                let substitution = previous[j - 1] + (first[i - 1] == second[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, first[i - 1] == second[j - 2], first[i - 2] == second[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[second.count]
    }
}
