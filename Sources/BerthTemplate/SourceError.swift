import Yams

/// A mistake in an input file, at a line and column: `dev.yaml:12:3: cpu: expected …`.
public struct SourceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the position is unknown.
    public var line: Int
    /// 1-based; 0 when the position is unknown.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error at a YAML node's position.
    public init(file: String, mark: Mark?, message: String) {
        self.init(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message)
    }

    /// The error libyaml reported for a file that is not well-formed YAML.
    public init(file: String, yamlError error: Error) {
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
            YamlError.parser(let context, let problem, let mark, _),
            YamlError.composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            self.init(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(detail)")
        case YamlError.reader(let problem, _, _, _):
            self.init(file: file, line: 0, column: 0, message: "not readable as UTF-8 YAML: \(problem)")
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            self.init(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "the mapping that starts here repeats the key \(duplicates.joined(separator: ", ")); each key may appear once")
        default:
            self.init(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
