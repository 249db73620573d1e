/// Whether a variable's name or value looks like it holds a secret: what Berth warns about in
/// plain environment variables, what `berth init --from-service` leaves out, and what a diff
/// never shows the value of.
public enum SecretNames {
    /// Whether an environment variable's name says it holds a secret, word by word (words split
    /// as `words` splits them, so `appKey` is APP, KEY): a word that is or ends as a
    /// secret's, plural too (`DB_PASSWORD`, `PGPASSWORD`, `githubToken`, `CLIENT_SECRETS`,
    /// `stripe-api-key`), the words `PWD` and `PASS` (`MYSQL_PWD`), a last word `AUTH` after
    /// another (`REDIS_AUTH`), an API, private or access key anywhere in the name
    /// (`STRIPE_API_KEY_LIVE`), and a last word KEY (`APP_KEY`, `signingKey`) unless public
    /// by design (`NEXT_PUBLIC_…_KEY`, a publishable key) or named for what it indexes
    /// (`CACHE_KEY`, `SORT_KEY`, `SITE_KEY`). `TOKENIZER_MODEL`, `AUTH_URL`, `BYPASS` and
    /// `KEY_COUNT` are not secrets. A heuristic: a secret under an innocent name is not found.
    public static func looksSecret(_ name: String) -> Bool {
        let parts = words(name)
        let endings = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDENTIAL", "APIKEY", "PRIVATEKEY"]
        func endsAsSecret(_ word: String) -> Bool {
            let singular = word.hasSuffix("S") ? String(word.dropLast()) : word
            return endings.contains(where: word.hasSuffix) || endings.contains(where: singular.hasSuffix)
        }
        if parts.contains(where: { word in word == "PWD" || word == "PASS" || endsAsSecret(word) }) { return true }
        // An API, private or access key wherever it stands (`STRIPE_API_KEY_LIVE`, `JWT_PRIVATE_KEY_PEM`).
        let pairs: [(String, String)] = [("API", "KEY"), ("PRIVATE", "KEY"), ("ACCESS", "KEY")]
        if zip(parts, parts.dropFirst()).contains(where: { pair in pairs.contains { $0 == pair } }) { return true }
        if parts.count >= 2, parts.last == "AUTH", parts[parts.count - 2] != "DISABLE" { return true }
        let indexKeys: Set<String> = [
            "CACHE", "PARTITION", "SORT", "PRIMARY", "FOREIGN", "HASH", "ROUTING", "IDEMPOTENCY", "DEDUPLICATION", "SHARD", "GROUP",
            "MESSAGE", "OBJECT", "BUCKET", "LOOKUP", "INDEX", "SITE", "ANON",
        ]
        guard let last = parts.last, last == "KEY" || last == "KEYS" else { return false }
        if parts.contains("PUBLIC") || parts.contains("PUBLISHABLE") { return false }
        return parts.count == 1 || !indexKeys.contains(parts[parts.count - 2])
    }

    /// Whether `text` holds a URL with a password (`postgres://user:pw@host/db`).
    public static func holdsURLPassword(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let scheme = bytes.indices.dropLast(2).first(where: { bytes[$0] == 0x3A && bytes[$0 + 1] == 0x2F && bytes[$0 + 2] == 0x2F })
        else { return false }
        // The authority: up to the first `/`, `?` or `#`; a password is a `:` before its last `@`.
        let authority = bytes[(scheme + 3)...].prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }
        guard let at = authority.lastIndex(of: 0x40) else { return false }
        return authority[..<at].contains(0x3A)
    }

    /// The words of a variable's name, uppercased: split at anything but letters and digits, and
    /// where a lowercase letter meets an uppercase one (`githubToken` is GITHUB, TOKEN).
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            if !character.isLetter && !character.isNumber {
                if !current.isEmpty { words.append(current.uppercased()) }
                current = ""
            } else {
                if character.isUppercase, let previous, previous.isLowercase, !current.isEmpty {
                    words.append(current.uppercased())
                    current = ""
                }
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { words.append(current.uppercased()) }
        return words
    }
}
