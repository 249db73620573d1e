/// Options that take one value, which argument-parser lets a later copy replace without a word:
/// `--env dev --env prod` would act on prod alone (a `destroy` included). Two different values
/// are refused before any command runs. Words after `--` (a container's command) are not read.
enum SingleValueOptions {
    static let names = [
        "--env", "--phase", "--config", "--from", "--profile", "--region", "--out", "--format", "--endpoint-url", "--timeout", "--ca-bundle",
        "--max-attempts", "--concurrency",
    ]

    /// One-value options of one command whose name other commands repeat (`deploy --stack a
    /// --stack b` deploys both; `synth --stack` writes one) or use alone. A test holds this to
    /// argument-parser's own list of every command's options.
    static let namesByCommand: [String: [String]] = [
        "synth": ["--stack"], "diff": ["--method", "--template", "--commit-sha", "--build-time"], "exec": ["--service", "--task", "--container", "--command"],
        "run": ["--service"], "history": ["--limit"], "images": ["--limit"], "logs": ["--since"], "tag": ["--repository"],
        "deploy": ["--wait-for-image", "--commit-sha", "--build-time", "--expire-images"],
        "init": ["--service", "--dir", "--from-service", "--berth-path", "--berth-url", "--berth-version"],
    ]

    /// The options among them whose value names a file or directory: an empty value names none
    /// (`--repository ''` was read as `.`, `--out ''` failed as a write), and is refused as the
    /// input error it is.
    static let pathNames: Set<String> = ["--out", "--ca-bundle", "--template", "--repository", "--dir", "--berth-path"]

    /// Why `arguments` cannot be taken as they are: an option of `names` given twice with
    /// different values, or one of `pathNames` given an empty value; `nil` otherwise.
    static func problem(in arguments: [String]) -> String? {
        var values: [String: String] = [:]
        let names = Self.names + (arguments.first.flatMap { Self.namesByCommand[$0] } ?? [])
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let word = arguments[index]
            index += 1
            let name: String, value: String
            if let equals = word.firstIndex(of: "="), names.contains(String(word[..<equals])) {
                (name, value) = (String(word[..<equals]), String(word[word.index(after: equals)...]))
            } else if names.contains(word), index < arguments.count {
                (name, value) = (word, arguments[index])
                index += 1
            } else {
                continue
            }
            if value.isEmpty && Self.pathNames.contains(name) {
                return "\(name) is given an empty value; it names a file or directory"
            }
            if let first = values[name], first != value {
                return "\(name) is given twice, as \(first) and \(value); give it once"
            }
            values[name] = value
        }
        return nil
    }
}
