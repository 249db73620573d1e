import BerthTemplate
import Yams

/// Reads one YAML mapping of a configuration file key by key, collecting every mistake with its
/// `file:line:column` instead of stopping at the first, and flagging keys nobody asked for.
struct YAMLMappingReader {
    let file: String
    /// The dotted path of this mapping (`healthCheck`), empty at the top level.
    let path: String
    let mark: Mark?
    private let entries: [(key: String, keyMark: Mark?, value: Node)]
    /// The entries' keys, in the same order: looked up without copying an entry (and its node)
    /// for every key compared.
    private let keys: [String]
    private var known: [String] = []
    /// Mistakes found so far, shared with nested readers through `finish`.
    var errors: [SourceError] = []
    /// Where each key path was found, for placing later problems (`healthCheck.path` → line 12).
    var positions: [String: Mark] = [:]

    init(file: String, path: String, node: Node) {
        self.file = file
        self.path = path
        self.mark = node.mark
        guard case .mapping(let mapping) = node else {
            self.entries = []
            self.keys = []
            errors.append(SourceError(file: file, mark: node.mark, message: "\(path.isEmpty ? "the file" : path): expected a mapping of keys to values"))
            return
        }
        // Yams has already refused duplicate keys.
        // Labelled as the property is, so that assigning it does not convert every element; the
        // mapping is walked by index, which does not first copy all its pairs into an array.
        var entries: [(key: String, keyMark: Mark?, value: Node)] = []
        for index in mapping.indices {
            let (keyNode, valueNode) = mapping[index]
            guard case .scalar(let key) = keyNode else {
                errors.append(SourceError(file: file, mark: keyNode.mark, message: "keys must be plain strings"))
                continue
            }
            entries.append((key.string, keyNode.mark, valueNode))
        }
        self.entries = entries
        self.keys = entries.map { $0.key }
    }

    /// The entry of `key`, if the mapping has one.
    private func entry(_ key: String) -> (key: String, keyMark: Mark?, value: Node)? {
        keys.firstIndex(of: key).map { entries[$0] }
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func lookup(_ key: String, required: Bool, expected: @autoclosure () -> String) -> Node? {
        known.append(key)
        guard let entry = entry(key) else {
            if required {
                errors.append(SourceError(file: file, mark: mark, message: "\(qualified(key)): missing; expected \(expected())"))
            }
            return nil
        }
        positions[qualified(key)] = entry.value.mark
        if case .scalar(let scalar) = entry.value, YAMLScalar(scalar) == .null {
            if required {
                errors.append(SourceError(file: file, mark: entry.value.mark, message: "\(qualified(key)): is empty; expected \(expected())"))
            }
            return nil
        }
        return entry.value
    }

    private mutating func wrongType(_ key: String, _ node: Node, expected: String) {
        let found: String
        switch node {
        case .scalar(let scalar): found = scalar.string.debugDescription
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .alias: found = "an alias"
        }
        errors.append(SourceError(file: file, mark: node.mark, message: "\(qualified(key)): expected \(expected), got \(found)"))
    }

    /// A string; plain scalars of other types (`8080`, `true`) are taken as their text.
    mutating func string(_ key: String, required: Bool = false, expected: @autoclosure () -> String = "a string") -> String? {
        guard let node = lookup(key, required: required, expected: expected()) else { return nil }
        guard case .scalar(let scalar) = node else {
            wrongType(key, node, expected: expected())
            return nil
        }
        return scalar.string
    }

    /// A string that must match `isValid`, else `expected` is reported at its position. `expected`
    /// is worded only for a message.
    mutating func string(
        _ key: String, required: Bool = false, expected: @autoclosure () -> String, where isValid: (String) -> Bool
    ) -> String? {
        guard let value = string(key, required: required, expected: expected()) else { return nil }
        guard isValid(value) else {
            errors.append(
                SourceError(file: file, mark: positions[qualified(key)], message: "\(qualified(key)): expected \(expected()), got \(value.debugDescription)"))
            return nil
        }
        return value
    }

    /// A whole number within `range`.
    mutating func int(_ key: String, required: Bool = false, in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        // Worded only for a message: most keys are read without one.
        func expected() -> String {
            range == Int.min...Int.max ? "a whole number" : "a whole number from \(range.lowerBound) to \(range.upperBound)"
        }
        guard let node = lookup(key, required: required, expected: expected()) else { return nil }
        guard case .scalar(let scalar) = node, case .int(let value) = YAMLScalar(scalar) else {
            wrongType(key, node, expected: expected())
            return nil
        }
        guard range.contains(value) else {
            errors.append(SourceError(file: file, mark: node.mark, message: "\(qualified(key)): expected \(expected()), got \(value)"))
            return nil
        }
        return value
    }

    /// A number, whole or not.
    mutating func number(_ key: String) -> Double? {
        guard let node = lookup(key, required: false, expected: "a number") else { return nil }
        guard case .scalar(let scalar) = node else {
            wrongType(key, node, expected: "a number")
            return nil
        }
        switch YAMLScalar(scalar) {
        case .int(let value): return Double(value)
        case .double(let value) where value.isFinite: return value
        default:
            wrongType(key, node, expected: "a number")
            return nil
        }
    }

    /// `true` or `false`.
    mutating func bool(_ key: String) -> Bool? {
        guard let node = lookup(key, required: false, expected: "true or false") else { return nil }
        guard case .scalar(let scalar) = node, case .bool(let value) = YAMLScalar(scalar) else {
            wrongType(key, node, expected: "true or false")
            return nil
        }
        return value
    }

    /// One of `choices`.
    mutating func choice(_ key: String, _ choices: [String]) -> String? {
        string(key, expected: "one of " + choices.joined(separator: ", ")) { choices.contains($0) }
    }

    /// A list of strings.
    mutating func stringList(_ key: String, required: Bool = false) -> [String]? {
        guard let node = lookup(key, required: required, expected: "a list of strings") else { return nil }
        guard case .sequence(let sequence) = node else {
            wrongType(key, node, expected: "a list of strings")
            return nil
        }
        var values: [String] = []
        for (index, element) in sequence.enumerated() {
            guard case .scalar(let scalar) = element else {
                wrongType("\(key)[\(index)]", element, expected: "a string")
                continue
            }
            values.append(scalar.string)
        }
        return values
    }

    /// A mapping of names to string values, in file order.
    mutating func stringMap(_ key: String) -> [(key: String, value: String)]? {
        guard let node = lookup(key, required: false, expected: "a mapping of names to values") else { return nil }
        guard case .mapping(let mapping) = node else {
            wrongType(key, node, expected: "a mapping of names to values")
            return nil
        }
        var values: [(String, String)] = []
        for (keyNode, valueNode) in mapping {
            // A name that is a list, a mapping, null, a boolean or a number is refused, never
            // dropped or taken as its text: `~: x` is not a variable called "~".
            guard case .scalar(let name) = keyNode, case .string = YAMLScalar(name) else {
                errors.append(
                    SourceError(
                        file: file, mark: keyNode.mark,
                        message: "\(qualified(key)): names must be plain strings, got \(Self.kind(of: keyNode)); quote the name if it is text"))
                continue
            }
            positions[qualified("\(key).\(name.string)")] = keyNode.mark
            guard case .scalar(let value) = valueNode else {
                wrongType("\(key).\(name.string)", valueNode, expected: "a string")
                continue
            }
            guard YAMLScalar(value) != .null else {
                errors.append(
                    SourceError(
                        file: file, mark: valueNode.mark,
                        message: "\(qualified("\(key).\(name.string)")): is empty (null); write \"\" for an empty value"))
                continue
            }
            values.append((name.string, value.string))
        }
        return values
    }

    /// What `node` is, for messages: `null`, `a boolean`, `a number`, `a list`, `a mapping`, or the
    /// string itself.
    static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            switch YAMLScalar(scalar) {
            case .null: "null"
            case .bool: "a boolean (\(scalar.string))"
            case .int, .double: "a number (\(scalar.string))"
            case .string(let text): text.debugDescription
            }
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A mapping of names to mappings (`services:`), each read with its own reader, in file
    /// order; call `finish(_:)` on each afterwards.
    mutating func namedMappings(_ key: String) -> [(name: String, mark: Mark?, reader: YAMLMappingReader)]? {
        guard let node = lookup(key, required: false, expected: "a mapping of names to mappings") else { return nil }
        guard case .mapping(let mapping) = node else {
            wrongType(key, node, expected: "a mapping of names to mappings")
            return nil
        }
        var entries: [(name: String, mark: Mark?, reader: YAMLMappingReader)] = []
        for index in mapping.indices {
            let (keyNode, valueNode) = mapping[index]
            guard case .scalar(let name) = keyNode else {
                errors.append(SourceError(file: file, mark: keyNode.mark, message: "\(qualified(key)): names must be plain strings"))
                continue
            }
            let path = qualified("\(key).\(name.string)")
            positions[path] = keyNode.mark
            entries.append((name.string, keyNode.mark, YAMLMappingReader(file: file, path: path, node: valueNode)))
        }
        return entries
    }

    /// A list of mappings (`schedule:`), each read with its own reader whose path is `key[index]`,
    /// in file order; call `finish(_:)` on each afterwards.
    mutating func mappingList(_ key: String) -> [YAMLMappingReader]? {
        guard let node = lookup(key, required: false, expected: "a list of mappings") else { return nil }
        guard case .sequence(let sequence) = node else {
            wrongType(key, node, expected: "a list of mappings")
            return nil
        }
        return sequence.enumerated().map { index, element in
            let path = qualified("\(key)[\(index)]")
            positions[path] = element.mark
            return YAMLMappingReader(file: file, path: path, node: element)
        }
    }

    /// Reports `key` as a mistake, with `message`, when the mapping has it.
    mutating func refuse(_ key: String, _ message: String) {
        known.append(key)
        guard let entry = entry(key) else { return }
        errors.append(SourceError(file: file, mark: entry.keyMark, message: "\(qualified(key)): \(message)"))
    }

    /// Whether the mapping has `key`, without reading it.
    func has(_ key: String) -> Bool { keys.contains(key) }

    /// A nested mapping, read with its own reader; call `finish(_:)` on it afterwards.
    mutating func mapping(_ key: String, required: Bool = false) -> YAMLMappingReader? {
        guard let node = lookup(key, required: required, expected: "a mapping") else { return nil }
        return YAMLMappingReader(file: file, path: qualified(key), node: node)
    }

    /// Takes over a nested reader's mistakes and positions, and reports its unknown keys.
    mutating func finish(_ nested: YAMLMappingReader) {
        var nested = nested
        nested.reportUnknownKeys()
        errors += nested.errors
        positions.merge(nested.positions) { first, _ in first }
    }

    /// Reports every key that no read asked for, with the keys that are known here.
    mutating func reportUnknownKeys() {
        for (index, key) in keys.enumerated() where !known.contains(key) {
            errors.append(
                SourceError(
                    file: file, mark: entries[index].keyMark,
                    message: "\(qualified(key)): unknown key; expected one of \(known.joined(separator: ", "))"))
        }
    }
}

extension YAMLMappingReader {
    /// A command: a list of words, or a string split into words as a shell would.
    mutating func command(_ key: String) -> [String]? {
        let expected = "a list of words, or a command line"
        guard let node = lookup(key, required: false, expected: expected) else { return nil }
        switch node {
        case .sequence(let sequence):
            var words: [String] = []
            for (index, element) in sequence.enumerated() {
                guard case .scalar(let scalar) = element else {
                    wrongType("\(key)[\(index)]", element, expected: "a string")
                    continue
                }
                words.append(scalar.string)
            }
            return words
        case .scalar(let scalar):
            do {
                return try ShellWords.split(scalar.string)
            } catch {
                errors.append(
                    SourceError(file: file, mark: node.mark, message: "\(qualified(key)): cannot be split into words as a shell would: \(error)"))
                return nil
            }
        default:
            wrongType(key, node, expected: expected)
            return nil
        }
    }
}
