extension AppScaffold.BerthSource {
    /// Why `version` cannot start a `.package(url:from:)` (a semantic version, `1.2.3` or
    /// `1.2.3-beta.1`, without leading zeros); `nil` when it can.
    public static func versionProblem(_ version: String) -> String? {
        let (core, rest) = split(version, at: ["-", "+"])
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.count == 3 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } && (part == "0" || part.first != "0")
        }
        let labels = rest.isEmpty || rest.dropFirst().split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "+") }
        }
        return numbers && labels ? nil : "is not a semantic version such as 1.2.3 (SwiftPM's from: takes one)"
    }

    /// Why `url` cannot name a Git repository for SwiftPM: empty, with white space or a control
    /// character, or neither `scheme://…` nor `user@host:path`; `nil` when it can.
    public static func urlProblem(_ url: String) -> String? {
        guard !url.isEmpty, !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) else {
            return "is not a Git URL: it is empty or holds white space"
        }
        if let scheme = url.range(of: "://").map({ url[..<$0.lowerBound] }),
            ["https", "http", "ssh", "git", "file"].contains(scheme.lowercased()), url.count > scheme.count + 3
        {
            return nil
        }
        if let at = url.firstIndex(of: "@"), let colon = url[at...].firstIndex(of: ":"), colon > url.index(after: at), url.index(after: colon) < url.endIndex {
            return nil
        }
        return "is not a Git URL such as https://github.com/berth-swift/berth or git@github.com:berth-swift/berth.git"
    }

    /// `text` up to the first of `separators`, and the rest from it.
    private static func split(_ text: String, at separators: Set<Character>) -> (Substring, Substring) {
        let index = text.firstIndex(where: separators.contains) ?? text.endIndex
        return (text[..<index], text[index...])
    }
}
