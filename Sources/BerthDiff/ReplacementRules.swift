/// A resource type's create-only properties: changing one replaces the resource.
struct ReplacementRules {
    /// Each rule as path components under `Properties`; `*` matches any key or index.
    let rules: [[String]]

    /// Rules from provider-schema pointers such as `/properties/EncryptionConfiguration/KmsKey`.
    init(_ pointers: [String]) {
        rules = pointers.compactMap { pointer in
            let parts = pointer.split(separator: "/").map(String.init)
            guard parts.first == "properties", parts.count > 1 else { return nil }
            return Array(parts.dropFirst())
        }
    }

    /// Whether a change at `path` (relative to the resource) touches a create-only property: the
    /// path lies inside one, or holds one (a whole object added or removed).
    func requireReplacement(_ path: ValuePath) -> Bool {
        guard path.components.first == .key("Properties") else { return false }
        let components = path.components.dropFirst().map { component -> String in
            switch component {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }
        return rules.contains { rule in
            zip(rule, components).allSatisfy { ruleComponent, component in ruleComponent == "*" || ruleComponent == component }
        }
    }
}
