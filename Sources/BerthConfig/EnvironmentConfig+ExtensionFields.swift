import BerthTemplate

extension EnvironmentConfig {
    /// The `x-` entries of `services` written as a service (a mapping with `cpu`, `memory`, `kind`
    /// or a merge key) that define no anchor: an extension field is read by no one, and is there
    /// for its anchors (`x-defaults: &defaults {…}`); such an entry is most likely a service
    /// whose name starts with `x-` (`x-ray`), which would otherwise vanish without a word. Other
    /// extension fields (a note) stand.
    static func unusedExtensionFields(in root: YAMLNode, file: String) -> [SourceError] {
        guard case .mapping(let top) = root.content,
            let services = top.first(where: { $0.key.text == "services" })?.value, case .mapping(let entries) = services.content
        else { return [] }
        return entries.compactMap { entry in
            guard let name = entry.key.text, name.hasPrefix("x-"), case .mapping(let keys) = entry.value.content,
                keys.contains(where: { ["cpu", "memory", "kind", "<<"].contains($0.key.text ?? "") }), !holdsAnchor(entry.value)
            else { return nil }
            return SourceError(
                file: file, mark: entry.key.mark,
                message: "services.\(name): a key starting with x- is an extension field, read by no one, and this one, written as a service, "
                    + "defines no anchor (&name) for a service to use; a service's name cannot start with x-")
        }
    }

    /// Whether an anchor is defined in `node`: what an alias brings (a merged `*defaults`, and
    /// the anchors inside it) is defined elsewhere.
    private static func holdsAnchor(_ node: YAMLNode) -> Bool {
        if node.anchor != nil { return true }
        if node.alias != nil { return false }
        switch node.content {
        case .scalar: return false
        case .sequence(let elements): return elements.contains(where: holdsAnchor)
        case .mapping(let pairs): return pairs.contains { holdsAnchor($0.key) || holdsAnchor($0.value) }
        }
    }
}
