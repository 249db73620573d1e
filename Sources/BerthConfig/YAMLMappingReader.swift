import BerthTemplate

/// Reads one YAML mapping of a configuration file key by key, collecting every mistake with its
/// `file:line:column` instead of stopping at the first, and flagging keys nobody asked for.
struct YAMLMappingReader {
    let file: String
    /// The dotted path of this mapping (`healthCheck`), empty at the top level.
    let path: String
    let mark: YAMLMark?
    private let entries: [YAMLNode.Pair]
    /// The entries' keys, in the same order: looked up without copying an entry (and its node)
    /// for every key compared.
    private let keys: [String]
    /// Whether the node read is a mapping: a key of anything else is not reported missing (the
    /// node's own refusal says what is wrong).
    let isMapping: Bool
    private var known: [String] = []
    /// Keys refused as a whole (`refuse`): known, but not offered as expected. (A list: a few
    /// per mapping, and a set's hashing cost more than the reads themselves.)
    private var refused: [String] = []
    /// Keys found empty where a mapping or list was expected, with the error that says so: an
    /// unknown key right below one may be its content, indented too little.
    private var empty: [String: SourceError] = [:]
    /// The error each required key found missing was reported with: an unknown key that names
    /// it misspelt takes its place.
    private var missing: [String: SourceError] = [:]
    /// Mistakes found so far, shared with nested readers through `finish`.
    var errors: [SourceError] = []
    /// Where this reader found each key path it read, for placing later problems
    /// (`healthCheck.path` → line 12), in the order read: a later read of a path wins (two keys
    /// of the same text but different tags, `web` and `!!int web`, are the same path).
    /// Lists rather than dictionaries: each nested reader's would otherwise be hashed again
    /// into its parent's.
    private var positions: [(path: String, mark: YAMLMark)] = []
    /// Where nested readers found theirs, taken over by `finish`: the first nested reader to
    /// name a path wins, and within one, its own later read.
    private var nestedPositions: [(path: String, mark: YAMLMark)] = []
    /// Lists read here or by a nested reader that had items left out as mistakes: the list's
    /// key path (`routing.paths`) and the index in the file of each item its value holds, so
    /// that a later problem about the value's item 1 is placed at the file's item 2.
    private(set) var keptItems: [(path: String, indices: [Int])] = []

    init(file: String, path: String, node: YAMLNode) {
        self.file = file
        self.path = path
        self.mark = node.mark
        guard case .mapping(let pairs) = node.content else {
            self.entries = []
            self.keys = []
            self.isMapping = false
            // A string is not repeated: it may be anything, a secret pasted at the wrong level too.
            let found = node.scalar == .bool(true) || node.scalar == .bool(false) ? "\(node.text ?? "")" : Self.kindWithoutText(of: node)
            errors.append(
                SourceError(file: file, mark: node.mark, message: "\(path.isEmpty ? "the file" : path): expected a mapping of keys to values, got \(found)"))
            return
        }
        self.isMapping = true
        // The composer has already refused repeated keys; keys that differ only in their Unicode
        // code points are refused here, as this reader looks keys up by Swift's equality.
        errors += Self.lookalikeKeys(pairs, file: file, path: path)
        var entries: [YAMLNode.Pair] = []
        var keys: [String] = []
        entries.reserveCapacity(pairs.count)
        keys.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = pair.key.text else {
                errors.append(SourceError(file: file, mark: pair.key.mark, message: "keys must be plain strings"))
                continue
            }
            entries.append(pair)
            keys.append(key)
        }
        self.entries = entries
        self.keys = keys
        // Sized once: a reader asks for more keys than most mappings hold, one append each.
        known.reserveCapacity(32)
        positions.reserveCapacity(entries.count)
    }

    /// A key written twice in code points that Swift's string equality takes as the same text
    /// (`K` and the Kelvin sign, `é` as one code point or two): two keys to YAML, which a lookup
    /// by name, or a map of names to values, would take as one and silently merge.
    /// With `hidingNames` (a map of secrets), the key is not named: it may be a value pasted as one.
    static func lookalikeKeys(_ pairs: [YAMLNode.Pair], file: String, path: String, hidingNames: Bool = false) -> [SourceError] {
        let keys = pairs.compactMap { pair in pair.key.text.map { (text: $0, mark: pair.key.mark) } }
        // ASCII text is equal exactly when its bytes are: the common case needs no comparison.
        guard keys.contains(where: { !$0.text.utf8.allSatisfy { $0 < 0x80 } }) else { return [] }
        var errors: [SourceError] = []
        // By Swift's equality, which hashes canonically equivalent text alike: one pass, not a
        // comparison of every pair (a file of 50,000 such keys took two minutes).
        var firstWith: [String: Int] = [:]
        firstWith.reserveCapacity(keys.count)
        for later in keys.indices {
            guard let index = firstWith[keys[later].text] else {
                firstWith[keys[later].text] = later
                continue
            }
            let first = keys[index]
            guard ExactText(first.text) != ExactText(keys[later].text) else { continue }
            let name = hidingNames ? "\(path): a key" : path.isEmpty ? keys[later].text : "\(path).\(keys[later].text)"
            errors.append(
                SourceError(
                    file: file, mark: keys[later].mark,
                    message: "\(name): the same key as on line \(first.mark.line), written with other Unicode code points; write it once"))
        }
        return errors
    }

    /// The entry of `key`, if the mapping has one.
    private func entry(_ key: String) -> YAMLNode.Pair? {
        keys.firstIndex(of: key).map { entries[$0] }
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func lookup(_ key: String, required: Bool, expected: @autoclosure () -> String, container: Bool = false) -> YAMLNode? {
        known.append(key)
        guard let entry = entry(key) else {
            if required && isMapping {
                let error = SourceError(file: file, mark: mark, message: "\(qualified(key)): missing; expected \(expected())")
                missing[key] = error
                errors.append(error)
            }
            return nil
        }
        positions.append((qualified(key), entry.value.mark))
        if entry.value.scalar == .null {
            // Never taken as absent: `https:` or `autoscaling:` whose lines were commented out
            // would turn the feature off without a word.
            let error = SourceError(
                file: file, mark: entry.key.mark,
                message: "\(qualified(key)): is empty; expected \(expected())\(required ? "" : ", or remove the key")")
            if container { empty[key] = error }
            errors.append(error)
            return nil
        }
        return entry.value
    }

    private mutating func wrongType(_ key: String, _ node: YAMLNode, expected: String, advice: String? = nil) {
        let found: String
        switch node.content {
        case .scalar(let text, let plain): found = text.debugDescription + (plain ? Self.tagNote(node) : "")
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        }
        errors.append(
            SourceError(file: file, mark: node.mark, message: "\(qualified(key)): expected \(expected), got \(found)" + (advice.map { "; \($0)" } ?? "")))
    }

    /// For a plain scalar refused with a tag: the tag, as written, and, when the tag made it
    /// something else than its text reads as (`!!int false`, `!!str 10`), the advice to remove
    /// it (which would not mend `!!int abc`).
    private static func tagNote(_ node: YAMLNode) -> String {
        guard !node.tag.isEmpty, let text = node.text else { return "" }
        let core = "tag:yaml.org,2002:"
        let written = node.tag.hasPrefix(core) ? "!!" + node.tag.dropFirst(core.count) : node.tag
        return " tagged \(written)" + (plainReading(of: text) != node.scalar ? "; remove the tag" : "")
    }

    /// A string; plain scalars of other types (`8080`, `true`) are taken as their text.
    mutating func string(_ key: String, required: Bool = false, expected: @autoclosure () -> String = "a string") -> String? {
        guard let node = lookup(key, required: required, expected: expected()) else { return nil }
        guard let text = node.text else {
            wrongType(key, node, expected: expected())
            return nil
        }
        return text
    }

    /// A string that must match `isValid`, else `expected` is reported at its position. `expected`
    /// is worded only for a message.
    mutating func string(
        _ key: String, required: Bool = false, expected: @autoclosure () -> String, where isValid: (String) -> Bool
    ) -> String? {
        guard let value = string(key, required: required, expected: expected()) else { return nil }
        guard isValid(value) else {
            errors.append(
                SourceError(file: file, mark: position(of: qualified(key)), message: "\(qualified(key)): expected \(expected()), got \(value.debugDescription)"))
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
        guard case .int(let value) = node.scalar else {
            // `"2"`: quoted, a number is text.
            var quotedNumber = false
            if case .int? = Self.quotedReading(of: node) { quotedNumber = true }
            wrongType(key, node, expected: expected(), advice: quotedNumber ? "quoted, a number is text: write it without quotes" : nil)
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
        switch node.scalar {
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
        guard case .bool(let value) = node.scalar else {
            // `"false"`: quoted, a boolean is text.
            var quoted = false
            if case .bool? = Self.quotedReading(of: node) { quoted = true }
            wrongType(key, node, expected: "true or false", advice: quoted ? "quoted, true and false are text: write it without quotes" : nil)
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
        guard let node = lookup(key, required: required, expected: "a list of strings", container: true) else { return nil }
        guard case .sequence(let elements) = node.content else {
            // One value where a list goes, or values joined by commas: the list of them is the
            // likely meaning, said as YAML writes it.
            let parts = node.text.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let advice: String? =
                !parts.isEmpty && parts.allSatisfy(Self.isPlainListItem)
                ? (parts.count == 1 ? "write [\(parts[0])] for a list of one" : "write [\(parts.joined(separator: ", "))] for a list")
                : nil
            wrongType(key, node, expected: "a list of strings", advice: advice)
            return nil
        }
        return strings(elements, key: key)
    }

    /// What `text` would mean written plain and untagged (`"2"` → the number 2).
    private static func plainReading(of text: String) -> YAMLScalar? {
        YAMLNode(.scalar(text, plain: true), mark: YAMLMark(line: 0, column: 0)).scalar
    }

    /// For a quoted scalar, what it would mean without its quotes; `nil` for any other node.
    private static func quotedReading(of node: YAMLNode) -> YAMLScalar? {
        guard case .scalar(let text, false) = node.content else { return nil }
        return plainReading(of: text)
    }

    /// Whether `text` can stand in a flow list as written: short, without a character that
    /// would change its meaning there (`,`, brackets, braces, `#`, quotes, a line break, `: `),
    /// and not starting with one of YAML's indicators (`*` an alias, `&` an anchor, `!` a tag, …).
    static func isPlainListItem(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last, text.utf8.count <= 64, !"&*!|>%@?-:`".utf8.contains(first), last != UInt8(ascii: ":")
        else { return false }
        // A word YAML reads as null, a boolean or a number would not be the text in a list.
        guard case .string? = plainReading(of: text) else { return false }
        return !text.utf8.contains { ",[]{}#\"'\n\r\t".utf8.contains($0) } && !text.contains(": ")
    }

    /// The texts of a list's elements; an element that is a list or a mapping is reported, and
    /// so is an empty one (`- ` or `null`), which would otherwise become the text "null" or "".
    private mutating func strings(_ elements: [YAMLNode], key: String) -> [String] {
        var values: [String] = []
        var kept: [Int] = []
        values.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard let text = element.text else {
                wrongType("\(key)[\(index)]", element, expected: "a string")
                continue
            }
            positions.append((qualified("\(key)[\(index)]"), element.mark))
            guard element.scalar != .null else {
                errors.append(
                    SourceError(
                        file: file, mark: element.mark,
                        message: "\(qualified("\(key)[\(index)]")): is empty (null); quote it if it is text (\"null\", \"~\", \"\")"))
                continue
            }
            values.append(text)
            kept.append(index)
        }
        keep(kept, of: elements.count, in: key)
        return values
    }

    /// Records which of the `count` items of the list at `key` its value holds (their indices
    /// in the file), when some were left out as mistakes.
    mutating func keep(_ indices: [Int], of count: Int, in key: String) {
        if indices.count < count { keptItems.append((qualified(key), indices)) }
    }

    /// A mapping of names to string values, in file order. With `secretNames` (the values are
    /// secrets, the names must pass `isValid`, and `rule` words it), a name that has no value, is
    /// no string or does not pass is not repeated either: it may be a value pasted as a key
    /// (`secrets: {hunter2}`).
    mutating func stringMap(
        _ key: String, secretNames: (isValid: (String) -> Bool, rule: String)? = nil
    ) -> [(key: String, value: String)]? {
        let valuesAreSecret = secretNames != nil
        guard let node = lookup(key, required: false, expected: "a mapping of names to values", container: true) else { return nil }
        guard case .mapping(let pairs) = node.content else {
            // Not repeated: a value written in place of `secrets:` or `environment:` may be a secret.
            let found = node.text.map { "a value of \($0.count) characters (not shown)" } ?? Self.kind(of: node)
            // Docker Compose's list form (`- NAME=value`): said how to write it here, nothing repeated.
            var composeForm = false
            if case .sequence(let items) = node.content { composeForm = !items.isEmpty && items.allSatisfy { $0.text?.contains("=") == true } }
            let advice = composeForm ? "; write each as NAME: value on a line of its own, not as a list of NAME=value" : ""
            errors.append(
                SourceError(file: file, mark: node.mark, message: "\(qualified(key)): expected a mapping of names to values, got \(found)\(advice)"))
            return nil
        }
        let lookalikes = Self.lookalikeKeys(pairs, file: file, path: qualified(key), hidingNames: valuesAreSecret)
        errors += lookalikes
        var values: [(String, String)] = []
        for pair in pairs {
            // A lookalike of an earlier name is refused once, as that.
            if lookalikes.contains(where: { $0.line == pair.key.mark.line && $0.column == pair.key.mark.column }) { continue }
            // A name that is a list, a mapping, null, a boolean or a number is refused, never
            // dropped or taken as its text: `~: x` is not a variable called "~".
            guard case .string(let name) = pair.key.scalar else {
                let found = valuesAreSecret ? Self.kindWithoutText(of: pair.key) : Self.kind(of: pair.key)
                errors.append(
                    SourceError(
                        file: file, mark: pair.key.mark,
                        message: "\(qualified(key)): names must be plain strings, got \(found); quote the name if it is text"))
                continue
            }
            guard pair.value.scalar != .null else {
                let message =
                    valuesAreSecret
                    ? "\(qualified(key)): an entry has no value (its name is not shown: it may be a value written where a name goes); write NAME: VALUE"
                    : "\(qualified("\(key).\(name)")): is empty (null); write \"\" for an empty value"
                errors.append(SourceError(file: file, mark: pair.value.mark, message: message))
                continue
            }
            if let secretNames, !secretNames.isValid(name) {
                errors.append(
                    SourceError(
                        file: file, mark: pair.key.mark,
                        message: "\(qualified(key)): a name of \(name.count) characters is not a valid variable name (\(secretNames.rule)); "
                            + "it is not repeated here, as it may be a value written where a name goes"))
                continue
            }
            positions.append((qualified("\(key).\(name)"), pair.key.mark))
            guard let value = pair.value.text else {
                wrongType("\(key).\(name)", pair.value, expected: "a string")
                continue
            }
            values.append((name, value))
        }
        return values
    }

    /// What `node` is, for messages: `null`, `a boolean`, `a number`, `a list`, `a mapping`, or the
    /// string itself.
    static func kind(of node: YAMLNode) -> String {
        switch node.scalar {
        case .bool, .int, .double: "\(kindWithoutText(of: node)) (\(node.text ?? ""))"
        case .string(let text): text.debugDescription
        default: kindWithoutText(of: node)
        }
    }

    /// What `node` is, as `kind(of:)` says, without its text: `a number`, not `a number (1)`.
    static func kindWithoutText(of node: YAMLNode) -> String {
        switch node.scalar {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case nil: if case .mapping = node.content { "a mapping" } else { "a list" }
        }
    }

    /// A mapping of names to mappings (`services:`), each read with its own reader, in file
    /// order; call `finish(_:)` on each afterwards.
    mutating func namedMappings(_ key: String, required: Bool = false) -> [(name: String, mark: YAMLMark?, reader: YAMLMappingReader)]? {
        guard let node = lookup(key, required: required, expected: "a mapping of names to mappings", container: true) else { return nil }
        guard case .mapping(let pairs) = node.content else {
            wrongType(key, node, expected: "a mapping of names to mappings")
            return nil
        }
        var entries: [(name: String, mark: YAMLMark?, reader: YAMLMappingReader)] = []
        for pair in pairs {
            guard let name = pair.key.text else {
                errors.append(SourceError(file: file, mark: pair.key.mark, message: "\(qualified(key)): names must be plain strings"))
                continue
            }
            let path = qualified("\(key).\(name)")
            positions.append((path, pair.key.mark))
            entries.append((name, pair.key.mark, YAMLMappingReader(file: file, path: path, node: pair.value)))
        }
        return entries
    }

    /// A list of mappings (`schedule:`), each read with its own reader whose path is `key[index]`,
    /// in file order; call `finish(_:)` on each afterwards.
    mutating func mappingList(_ key: String) -> [YAMLMappingReader]? {
        guard let node = lookup(key, required: false, expected: "a list of mappings", container: true) else { return nil }
        guard case .sequence(let elements) = node.content else {
            wrongType(key, node, expected: "a list of mappings")
            return nil
        }
        return elements.enumerated().map { index, element in
            let path = qualified("\(key)[\(index)]")
            positions.append((path, element.mark))
            return YAMLMappingReader(file: file, path: path, node: element)
        }
    }

    /// Reports `key` as a mistake, with `message`, when the mapping has it.
    mutating func refuse(_ key: String, _ message: @autoclosure () -> String) {
        known.append(key)
        refused.append(key)
        guard let entry = entry(key) else { return }
        errors.append(SourceError(file: file, mark: entry.key.mark, message: "\(qualified(key)): \(message())"))
    }

    /// Takes `keys` as known without reading them: what they hold is neither used nor refused
    /// (after a mistake that leaves their meaning open).
    mutating func leaveUnread(_ keys: [String]) { known += keys }

    /// Whether the mapping has a key no read asked for so far (a misspelt `path` for `paths`).
    var hasUnknownKeys: Bool { keys.contains { !known.contains($0) && !$0.hasPrefix("x-") } }

    /// Whether the mapping lacks `key` but has a key that is a misspelling of it (`knd`, `Kind`).
    func misspells(_ key: String) -> Bool { !has(key) && keys.contains { NearestName.among([key], to: $0) == key } }

    /// The text of `key`'s value when it is a scalar other than null, without reading it.
    func text(of key: String) -> String? {
        guard let entry = entry(key), entry.value.scalar != .null else { return nil }
        return entry.value.text
    }

    /// Whether the mapping has `key`, without reading it.
    func has(_ key: String) -> Bool { keys.contains(key) }

    /// A nested mapping, read with its own reader; call `finish(_:)` on it afterwards.
    mutating func mapping(_ key: String, required: Bool = false, expected: @autoclosure () -> String = "a mapping") -> YAMLMappingReader? {
        guard let node = lookup(key, required: required, expected: expected(), container: true) else { return nil }
        return YAMLMappingReader(file: file, path: qualified(key), node: node)
    }

    /// Takes over a nested reader's mistakes and positions, and reports its unknown keys.
    mutating func finish(_ nested: YAMLMappingReader) {
        var nested = nested
        nested.reportUnknownKeys()
        errors += nested.errors
        // Its own reads last first, so that the first found for a path is its last read.
        nestedPositions += nested.positions.reversed()
        nestedPositions += nested.nestedPositions
        keptItems += nested.keptItems
    }

    /// Where the key path `path` was found, if this reader or a nested one read it.
    func position(of path: String) -> YAMLMark? {
        positions.last { $0.path == path }?.mark ?? nestedPositions.first { $0.path == path }?.mark
    }

    /// Every key path read here or by a nested reader, with where it was found.
    var positionsByPath: [String: YAMLMark] {
        var byPath: [String: YAMLMark] = [:]
        byPath.reserveCapacity(positions.count + nestedPositions.count)
        for (path, mark) in positions {
            byPath[path] = mark
        }
        for (path, mark) in nestedPositions where byPath[path] == nil {
            byPath[path] = mark
        }
        return byPath
    }

    /// `path` (a key path of the value read, such as `routing.paths[1]`) with each list index
    /// turned into the index of the file's item, where items were left out before it
    /// (`routing.paths[2]`).
    func pathInFile(_ path: String) -> String {
        guard !keptItems.isEmpty else { return path }
        var result = ""
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            result += rest[..<open]
            let listPath = result
            if let index = Int(rest[rest.index(after: open)..<close]),
                let indices = keptItems.first(where: { $0.path == listPath })?.indices, indices.indices.contains(index)
            {
                result += "[\(indices[index])]"
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Reports every key that no read asked for, with the keys that are known here.
    mutating func reportUnknownKeys() {
        // A mapping refused as a whole (a key that is not a string) was not read: none of its
        // keys is unknown, and there would be none to list as expected.
        guard !(known.isEmpty && !errors.isEmpty) else { return }
        var expected: [String] = []
        // `x-…` keys are extension fields, as in Docker Compose: a place for anchors (`&defaults`).
        for (index, key) in keys.enumerated() where !known.contains(key) && !key.hasPrefix("x-") {
            // Worked out for the first unknown key only: almost every mapping has none.
            if expected.isEmpty {
                for name in known where !refused.contains(name) && !expected.contains(name) { expected.append(name) }
            }
            let meant = Self.foreignNames[key].flatMap { expected.contains($0) ? $0 : nil } ?? NearestName.among(expected, to: key)
            if let meant, let reported = missing[meant] {
                // The key meant is not also reported missing: this key stands where it belongs.
                errors.removeAll { $0 == reported }
            }
            // Right below a key left empty, at its indentation: most likely its content.
            if meant == nil, index > 0, let emptied = empty[keys[index - 1]],
                entries[index].key.mark.column == entries[index - 1].key.mark.column
            {
                let above = keys[index - 1]
                errors.removeAll { $0 == emptied }
                errors.append(
                    SourceError(
                        file: file, mark: entries[index].key.mark,
                        message: "\(qualified(key)): unknown key here; if it is one of \(above)'s keys, indent it under \(above) (which is empty)"))
                continue
            }
            let advice = meant.map { "did you mean \($0)?" } ?? "expected one of \(expected.joined(separator: ", "))"
            errors.append(SourceError(file: file, mark: entries[index].key.mark, message: "\(qualified(key)): unknown key; \(advice)"))
        }
    }

    /// Berth's names for keys other tools (Docker Compose, Kubernetes, Copilot) spell otherwise,
    /// suggested when the mapping expects them.
    static let foreignNames: [String: String] = [
        "replicas": "desiredCount", "count": "desiredCount", "min": "minCount", "max": "maxCount", "minReplicas": "minCount",
        "maxReplicas": "maxCount", "minCapacity": "minCount", "maxCapacity": "maxCount", "deploy": "deployment", "port": "containerPort",
        "ports": "containerPort", "env": "environment", "variables": "environment", "healthcheck": "containerHealthCheck",
        "test": "command", "interval": "intervalSeconds", "timeout": "timeoutSeconds", "cron": "schedule",
    ]
}

extension YAMLMappingReader {
    /// A container health check's command as ECS takes it: a shell command line (run with
    /// `CMD-SHELL`), or a list of words as Docker writes it (`[CMD-SHELL, "curl -f …"]`,
    /// `[CMD, curl, -f, …]`; a list without either runs its words as `CMD`). Required.
    mutating func healthCheckCommand(_ key: String) -> [String]? {
        let expected = "a shell command such as curl -f http://localhost:8080/health, or a list of words as Docker writes it"
        guard let node = lookup(key, required: true, expected: expected) else { return nil }
        switch node.content {
        case .scalar(let text, _): return ["CMD-SHELL", text]
        case .sequence(let elements):
            let words = strings(elements, key: key)
            guard words.count == elements.count, let first = words.first else {
                if elements.isEmpty { wrongType(key, node, expected: expected) }
                return nil
            }
            // Docker's [NONE] turns a check off; ECS would run a program called NONE.
            guard first != "NONE" else {
                errors.append(
                    SourceError(file: file, mark: node.mark, message: "\(qualified(key)): NONE turns Docker's check off; remove containerHealthCheck instead"))
                return nil
            }
            return first == "CMD" || first == "CMD-SHELL" ? words : ["CMD"] + words
        case .mapping:
            wrongType(key, node, expected: expected)
            return nil
        }
    }

    /// A command: a list of words, or a string split into words as a shell would.
    mutating func command(_ key: String) -> [String]? {
        let expected = "a list of words, or a command line"
        guard let node = lookup(key, required: false, expected: expected) else { return nil }
        switch node.content {
        case .sequence(let elements):
            return strings(elements, key: key)
        case .scalar(let text, _):
            do {
                return try ShellWords.split(text)
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
