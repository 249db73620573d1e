import BerthTemplate

extension String {
    /// The text cut at `JSONValue.displayLimit` bytes (at a character boundary), with how much
    /// was left out: a template can repeat a long value through YAML aliases, and a diff must
    /// not print it thousands of times whole.
    var boundedForDisplay: String {
        guard utf8.count > JSONValue.displayLimit else { return self }
        var kept = ""
        for character in self {
            guard kept.utf8.count + character.utf8.count <= JSONValue.displayLimit else { break }
            kept.append(character)
        }
        return kept + "… (\(utf8.count - kept.utf8.count) more bytes)"
    }
}
