/// Tag names that, by convention, name a branch or a channel rather than one build (`latest`,
/// `main`, `stable`, …): the image they name changes with the next push. Berth refuses them for
/// the images it deploys: a service's `--image-tag` (unless `--allow-mutable-tag`) and a
/// sidecar's image in the app's code.
public enum MutableLookingTag {
    /// The names, in lowercase.
    public static let names = [
        "latest", "main", "master", "develop", "development", "dev", "trunk", "head", "stable", "edge", "nightly",
        "staging", "stage", "prod", "production", "release", "current", "live",
    ]

    /// Whether `tag` is one of `names`, in any case.
    public static func contains(_ tag: some StringProtocol) -> Bool {
        let lowercased = tag.lowercased()
        return names.contains { $0 == lowercased }
    }
}
