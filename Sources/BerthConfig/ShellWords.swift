/// A command line split into words as a POSIX shell splits it, without expanding anything:
/// blanks separate words; single quotes keep everything; double quotes keep everything but
/// `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes keeps the next character.
package enum ShellWords {
    /// A word for `sh`: single-quoted unless it is plain.
    package static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0)) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Why a command line cannot be split.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case unclosedQuote(Character)
        case trailingBackslash

        var description: String {
            switch self {
            case .unclosedQuote(let quote): "a \(quote) is never closed"
            case .trailingBackslash: "it ends with a lone backslash"
            }
        }
    }

    static func split(_ line: String) throws(Problem) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    word.append(next)
                }
                guard closed else { throw .unclosedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { throw .unclosedQuote("\"") }
                        if !"\"\\$`".contains(escaped) { word.append("\\") }
                        word.append(escaped)
                    } else {
                        word.append(next)
                    }
                }
                guard closed else { throw .unclosedQuote("\"") }
            case "\\":
                guard let escaped = iterator.next() else { throw .trailingBackslash }
                inWord = true
                if escaped != "\n" { word.append(escaped) }
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}
