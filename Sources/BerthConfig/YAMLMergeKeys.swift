import BerthTemplate

/// YAML 1.1's merge key, as Docker Compose files use it: `<<: *defaults` (or a list of aliases)
/// in a mapping adds the keys of the mapping it names that the mapping does not have itself.
/// Explicit keys win; among several merged mappings, the first that has a key gives it. The
/// merged pairs keep their own positions, so a mistake in them is reported where it is written.
enum YAMLMergeKeys {
    /// `node` with every merge key resolved, innermost first.
    static func resolve(_ node: YAMLNode, file: String) throws(SourceError) -> YAMLNode {
        switch node.content {
        case .scalar: return node
        case .sequence(let elements):
            var resolved = node
            var children: [YAMLNode] = []
            children.reserveCapacity(elements.count)
            for element in elements { children.append(try resolve(element, file: file)) }
            resolved.content = .sequence(children)
            return resolved
        case .mapping(let pairs):
            var own: [YAMLNode.Pair] = []
            var sources: [(at: Int, mappings: [[YAMLNode.Pair]])] = []
            for pair in pairs {
                let value = try resolve(pair.value, file: file)
                guard isMergeKey(pair.key) else {
                    own.append(YAMLNode.Pair(key: pair.key, value: value))
                    continue
                }
                sources.append((own.count, try mappings(mergedBy: value, at: pair.key.mark, file: file)))
            }
            guard !sources.isEmpty else {
                var resolved = node
                resolved.content = .mapping(own)
                return resolved
            }
            var present = Set(own.compactMap { $0.key.text })
            var merged: [YAMLNode.Pair] = []
            var next = 0
            for source in sources {
                merged += own[next..<source.at]
                next = source.at
                for mapping in source.mappings {
                    for pair in mapping where pair.key.text.map({ present.insert($0).inserted }) ?? true {
                        merged.append(pair)
                    }
                }
            }
            merged += own[next...]
            var resolved = node
            resolved.content = .mapping(merged)
            return resolved
        }
    }

    /// Whether `key` is `<<`, written plain (a tagged key is refused before: `!!merge <<` too).
    private static func isMergeKey(_ key: YAMLNode) -> Bool {
        guard case .scalar("<<", true) = key.content else { return false }
        return key.tag.isEmpty
    }

    /// The mappings a merge key's value names: one mapping, or a list of mappings. The key is at
    /// `key`, where a refusal of an alias is placed: an alias stands where it is used, and its
    /// anchor may serve many.
    private static func mappings(mergedBy value: YAMLNode, at key: YAMLMark, file: String) throws(SourceError) -> [[YAMLNode.Pair]] {
        switch value.content {
        case .mapping(let pairs): return [pairs]
        case .sequence(let elements):
            var found: [[YAMLNode.Pair]] = []
            for element in elements {
                guard case .mapping(let pairs) = element.content else { throw refusal(of: element, at: key, file: file) }
                found.append(pairs)
            }
            return found
        case .scalar: throw refusal(of: value, at: key, file: file)
        }
    }

    private static func refusal(of node: YAMLNode, at key: YAMLMark, file: String) -> SourceError {
        let message = "<< merges a mapping, or a list of mappings, such as *defaults or [*a, *b]"
        guard let alias = node.alias else { return SourceError(file: file, mark: node.mark, message: message) }
        return SourceError(file: file, mark: key, message: message + "; *\(alias) (anchored at line \(node.mark.line)) is not a mapping")
    }
}
