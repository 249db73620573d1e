import BerthConfig

extension Configuration {
    /// For `name`, an environment the app does not have: how a template could make it, to follow
    /// "no environment NAME" (`; pr-51 is made from the template preview: add --from preview`);
    /// empty when no template fits.
    func previewHint(for name: String) -> String {
        guard let templates = try? templates() else { return "" }
        if let template = templates.first(where: { $0.name == name }), let prefix = template.settings.previewPrefix {
            return "; \(name) is a template, not an environment: name a preview of it, such as --env \(prefix)1 --from \(name)"
        }
        let fitting = templates.filter { template in
            template.settings.previewPrefix.map { name.hasPrefix($0) && name.count > $0.count } ?? false
        }
        guard let template = fitting.first, previews[name] == nil else { return "" }
        return "; \(name) is made from the template \(template.name): add --from \(template.name)"
    }
}
