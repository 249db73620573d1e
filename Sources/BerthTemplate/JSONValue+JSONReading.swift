extension JSONValue {
    /// Reads strict JSON (RFC 8259), keeping the order of object keys.
    ///
    /// An integer without fraction or exponent that fits `Int` becomes `.int`, any other number
    /// `.double`. Duplicate keys, nesting deeper than 512, trailing commas, comments and content
    /// after the value are refused. Mistakes are reported with `file:line:column` (the column
    /// counts bytes from the start of the line). A leading UTF-8 byte order mark is skipped.
    public static func parseJSON(_ text: String, file: String) throws(SourceError) -> JSONValue {
        let read = { (bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, SourceError> in
            Result { () throws(SourceError) in
                var reader = JSONReader(bytes: bytes, file: file)
                return try reader.readDocument()
            }
        }
        let result = text.utf8.withContiguousStorageIfAvailable(read) ?? Array(text.utf8).withUnsafeBufferPointer(read)
        return try result.get()
    }

    /// Reads a template body as CloudFormation stores it: JSON when its first character after
    /// whitespace (and a byte order mark) is `{`, otherwise YAML with short-form tags.
    public static func parseTemplate(_ text: String, file: String) throws(SourceError) -> JSONValue {
        var utf8 = Substring(text).utf8
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        let first = utf8.first { !JSONReader.isWhitespace($0) }
        return first == UInt8(ascii: "{") ? try parseJSON(text, file: file) : try parseYAML(text, file: file)
    }
}

/// A strict, non-recursive JSON reader over UTF-8 bytes.
private struct JSONReader {
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    /// Where line 1 starts: after the byte order mark, if any.
    let start: Int
    var position: Int

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        let hasMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        start = hasMark ? 3 : 0
        position = start
    }

    /// An open array or object. Its elements (or members) so far are `elements[start...]`
    /// (or `members[start...]`); the array of each container is built once, when it closes.
    private struct Frame {
        var isObject: Bool
        var start: Int
        /// The keys so far, once the object is large enough for a linear search to be slow.
        var keys: Set<ExactText>?
    }

    /// Where a value is expected, for the error message when none is there.
    private enum ValueContext {
        case document, firstElement, nextElement, member
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    mutating func readDocument() throws(SourceError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error(at: position, "the document is empty") }
        var frames: [Frame] = []
        var elements: [JSONValue] = []
        var members: [JSONValue.Member] = []
        /// The key of each open object's member whose value is being read.
        var keys: [String] = []
        frames.reserveCapacity(32)
        elements.reserveCapacity(64)
        members.reserveCapacity(64)
        keys.reserveCapacity(32)
        var context = ValueContext.document

        while true {
            // Read one value; a container with content opens a frame and reads its first value.
            skipWhitespace()
            guard position < bytes.count else { throw error(at: position, expectedValue(context)) }
            var value: JSONValue
            switch bytes[position] {
            case UInt8(ascii: "{"):
                try checkDepth(frames.count + 1)
                position += 1
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object([])
                } else {
                    var frame = Frame(isObject: true, start: members.count)
                    keys.append(try readKey(afterComma: false, frame: &frame, members: members))
                    frames.append(frame)
                    context = .member
                    continue
                }
            case UInt8(ascii: "["):
                try checkDepth(frames.count + 1)
                position += 1
                skipWhitespace()
                if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    frames.append(Frame(isObject: false, start: elements.count))
                    context = .firstElement
                    continue
                }
            case UInt8(ascii: "\""):
                value = .string(try readString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try readNumber()
            case UInt8(ascii: "t"):
                value = try readLiteral("true", .bool(true), context)
            case UInt8(ascii: "f"):
                value = try readLiteral("false", .bool(false), context)
            case UInt8(ascii: "n"):
                value = try readLiteral("null", .null, context)
            default:
                throw error(at: position, expectedValue(context))
            }

            // Hand the value to the enclosing containers, closing those that end here.
            while true {
                let top = frames.count - 1
                guard top >= 0 else {
                    skipWhitespace()
                    guard position == bytes.count else {
                        throw error(at: position, "expected the end of the document after the value, found \(found(at: position))")
                    }
                    return value
                }
                skipWhitespace()
                let next: UInt8? = position < bytes.count ? bytes[position] : nil
                if frames[top].isObject {
                    let key = keys.removeLast()
                    frames[top].keys?.insert(ExactText(key))
                    members.append(JSONValue.Member(key, value))
                    if next == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        keys.append(try readKey(afterComma: true, frame: &frames[top], members: members))
                        context = .member
                        break
                    } else if next == UInt8(ascii: "}") {
                        position += 1
                        let start = frames.removeLast().start
                        value = .object(Array(members[start...]))
                        members.removeSubrange(start...)
                    } else {
                        throw error(at: position, "expected ',' or '}' after an object member, found \(found(at: position))")
                    }
                } else {
                    elements.append(value)
                    if next == UInt8(ascii: ",") {
                        position += 1
                        context = .nextElement
                        break
                    } else if next == UInt8(ascii: "]") {
                        position += 1
                        let start = frames.removeLast().start
                        value = .array(Array(elements[start...]))
                        elements.removeSubrange(start...)
                    } else {
                        throw error(at: position, "expected ',' or ']' after an array element, found \(found(at: position))")
                    }
                }
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(SourceError) {
        guard depth <= Self.maximumDepth else {
            throw error(at: position, "arrays and objects nest deeper than \(Self.maximumDepth) levels")
        }
    }

    private func expectedValue(_ context: ValueContext) -> String {
        let what = found(at: position)
        switch context {
        case .document: return "expected a value (an object, array, string, number, true, false or null), found \(what)"
        case .firstElement: return "expected a value or ']' after '[', found \(what)"
        case .nextElement:
            let trailing = position < bytes.count && bytes[position] == UInt8(ascii: "]")
            return "expected a value after ',', found \(what)" + (trailing ? " (JSON allows no trailing comma)" : "")
        case .member: return "expected a value after ':', found \(what)"
        }
    }

    // MARK: - Objects

    /// Reads `"key" :` at the current position (after whitespace, following `{` or `,`), refusing
    /// a key the object (whose members so far are `members[frame.start...]`) already has.
    private mutating func readKey(afterComma: Bool, frame: inout Frame, members: [JSONValue.Member]) throws(SourceError) -> String {
        guard position < bytes.count && bytes[position] == UInt8(ascii: "\"") else {
            let what = found(at: position)
            if !afterComma { throw error(at: position, "expected a string key or '}' after '{', found \(what)") }
            let trailing = position < bytes.count && bytes[position] == UInt8(ascii: "}")
            throw error(at: position, "expected a string key after ',', found \(what)" + (trailing ? " (JSON allows no trailing comma)" : ""))
        }
        let keyStart = position
        let key = try readString()
        if isRepeated(key, frame: &frame, members: members) {
            throw error(at: keyStart, "the object repeats the key \(key); each key may appear once")
        }
        skipWhitespace()
        guard position < bytes.count && bytes[position] == UInt8(ascii: ":") else {
            throw error(at: position, "expected ':' after the object key \(key), found \(found(at: position))")
        }
        position += 1
        return key
    }

    /// Whether the object already has `key`; builds a set of its keys once it has many.
    private func isRepeated(_ key: String, frame: inout Frame, members: [JSONValue.Member]) -> Bool {
        if let keys = frame.keys { return keys.contains(ExactText(key)) }
        let count = members.count - frame.start
        if count < 16 {
            for index in frame.start..<members.count where ExactText(members[index].key) == ExactText(key) { return true }
            return false
        }
        let keys = Set(members[frame.start...].lazy.map { ExactText($0.key) })
        frame.keys = keys
        return keys.contains(ExactText(key))
    }

    // MARK: - Strings

    /// Reads a string literal whose opening quote is at the current position.
    private mutating func readString() throws(SourceError) -> String {
        let quote = position
        var index = position + 1
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[(quote + 1)..<index]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw rawControlCharacter(at: index) }
            index += 1
        }
        guard index < bytes.count else { throw error(at: quote, "unterminated string") }

        var text: [UInt8] = []
        text.reserveCapacity(index - quote + 16)
        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(quote + 1)..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                position = index + 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw error(at: quote, "unterminated string") }
                let escape = bytes[index + 1]
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    index = try readUnicodeEscape(at: index, into: &text)
                    continue
                default:
                    throw error(
                        at: index,
                        "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX) after '\\', found \(found(at: index + 1))")
                }
                index += 2
            case 0..<0x20:
                throw rawControlCharacter(at: index)
            default:
                text.append(byte)
                index += 1
            }
        }
        throw error(at: quote, "unterminated string")
    }

    private func rawControlCharacter(at index: Int) -> SourceError {
        error(at: index, "expected '\"' or more of the string, found \(found(at: index)) (control characters in strings must be escaped)")
    }

    /// Reads `\uXXXX` (and the low half of a surrogate pair) at `index`, appending the UTF-8;
    /// returns the index after it.
    private func readUnicodeEscape(at index: Int, into text: inout [UInt8]) throws(SourceError) -> Int {
        let unit = try hexQuad(at: index + 2)
        var scalar = UInt32(unit)
        var end = index + 6
        switch unit {
        case 0xD800...0xDBFF:
            guard end + 1 < bytes.count && bytes[end] == UInt8(ascii: "\\") && bytes[end + 1] == UInt8(ascii: "u") else {
                throw error(at: index, "the escape \(escapeText(unit)) is the high half of a surrogate pair but no \\uDC00–\\uDFFF follows it")
            }
            let low = try hexQuad(at: end + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error(at: end, "expected a low surrogate \\uDC00–\\uDFFF after \(escapeText(unit)), found \(escapeText(low))")
            }
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            end += 6
        case 0xDC00...0xDFFF:
            throw error(at: index, "the escape \(escapeText(unit)) is the low half of a surrogate pair with no high half before it")
        default:
            break
        }
        appendUTF8(scalar, to: &text)
        return end
    }

    private func hexQuad(at index: Int) throws(SourceError) -> UInt16 {
        var unit: UInt16 = 0
        for offset in 0..<4 {
            let at = index + offset
            guard at < bytes.count, let digit = hexValue(bytes[at]) else {
                throw error(at: at, "expected four hex digits after '\\u', found \(found(at: at))")
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private func escapeText(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    private func appendUTF8(_ scalar: UInt32, to text: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            text.append(UInt8(scalar))
        case 0x80..<0x800:
            text.append(UInt8(0xC0 | scalar >> 6))
            text.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            text.append(UInt8(0xE0 | scalar >> 12))
            text.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            text.append(UInt8(0x80 | scalar & 0x3F))
        default:
            text.append(UInt8(0xF0 | scalar >> 18))
            text.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            text.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            text.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: - Numbers and literals

    /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at the current position.
    private mutating func readNumber() throws(SourceError) -> JSONValue {
        let start = position
        var index = position
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        // The integer part, accumulated as a negative number so that Int.min fits.
        var integer = 0
        var fitsInt = true
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw error(at: index, "expected a digit after '-', found \(found(at: index))")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count && isDigit(bytes[index]) {
                throw error(at: start, "a number may not start with a leading zero")
            }
        } else {
            while index < bytes.count && isDigit(bytes[index]) {
                if fitsInt {
                    let (times10, overflow1) = integer.multipliedReportingOverflow(by: 10)
                    let (next, overflow2) = times10.subtractingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
                    if overflow1 || overflow2 { fitsInt = false } else { integer = next }
                }
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error(at: index, "expected a digit after the decimal point, found \(found(at: index))")
            }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error(at: index, "expected a digit in the exponent, found \(found(at: index))")
            }
            while index < bytes.count && isDigit(bytes[index]) { index += 1 }
        }
        position = index
        if isInteger && fitsInt {
            if negative { return .int(integer) }
            if integer != Int.min { return .int(-integer) }
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(literal), number.isFinite else {
            throw error(at: start, "the number \(literal) is out of range")
        }
        return .double(number)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func readLiteral(_ word: StaticString, _ value: JSONValue, _ context: ValueContext) throws(SourceError) -> JSONValue {
        let length = word.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw error(at: position, expectedValue(context)) }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
        for offset in 0..<length where bytes[position + offset] != expected[offset] {
            throw error(at: position, expectedValue(context))
        }
        position += length
        return value
    }

    // MARK: - Positions

    private mutating func skipWhitespace() {
        while position < bytes.count && Self.isWhitespace(bytes[position]) { position += 1 }
    }

    /// How the text at `index` reads in an error message: `'x'`, `'NaN'`, `the end of the document`.
    private func found(at index: Int) -> String {
        guard index < bytes.count else { return "the end of the document" }
        let byte = bytes[index]
        switch byte {
        case 0x0A, 0x0D: return "a line break"
        case 0x09: return "a tab"
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            // A whole word, so that `NaN`, `tru` and `Infinity` read as written.
            var end = index
            while end < bytes.count && end - index < 24, isWordByte(bytes[end]) { end += 1 }
            return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self) + "'"
        case 0x20..<0x7F:
            return "'" + String(UnicodeScalar(byte)) + "'"
        case 0..<0x20, 0x7F:
            let hex = String(byte, radix: 16, uppercase: true)
            return "the control character U+" + String(repeating: "0", count: 4 - hex.count) + hex
        default:
            let end = min(index + 4, bytes.count)
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
            return text.unicodeScalars.first.map { "'\($0)'" } ?? "a byte that is not UTF-8"
        }
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// An error at byte `index`, with its 1-based line and byte column.
    private func error(at index: Int, _ message: String) -> SourceError {
        var line = 1
        var lineStart = start
        var cursor = start
        let end = min(index, bytes.count)
        while cursor < end {
            let byte = bytes[cursor]
            if byte == 0x0A || (byte == 0x0D && (cursor + 1 >= bytes.count || bytes[cursor + 1] != 0x0A)) {
                line += 1
                lineStart = cursor + 1
            }
            cursor += 1
        }
        return SourceError(file: file, line: line, column: index - lineStart + 1, message: message)
    }
}
