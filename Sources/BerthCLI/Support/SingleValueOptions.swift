/// Options that take one value, which argument-parser lets a later copy replace without a word:
/// `--env dev --env prod` would act on prod alone (a `destroy` included). Two different values
/// are refused before any command runs. Words after `--` (a container's command) are not read.
enum SingleValueOptions {
    static let names = ["--env", "--phase", "--config", "--from", "--profile", "--region", "--out", "--format", "--endpoint-url", "--timeout"]

    /// Why `arguments` cannot be taken as they are: an option of `names` given twice with
    /// different values; `nil` otherwise.
    static func problem(in arguments: [String]) -> String? {
        var values: [String: String] = [:]
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
            if let first = values[name], first != value {
                return "\(name) is given twice, as \(first) and \(value); give it once"
            }
            values[name] = value
        }
        return nil
    }
}
