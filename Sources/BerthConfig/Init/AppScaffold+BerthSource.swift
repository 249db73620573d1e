extension AppScaffold.BerthSource {
    /// Why `version` cannot start a `.package(url:from:)`: it must be a semantic version
    /// (semver.org): `1.2.3`, with an optional pre-release (`-beta.1`) and build metadata
    /// (`+build.5`), identifiers of ASCII letters, digits and hyphens, no leading zeros in a
    /// number; `nil` when it can.
    public static func versionProblem(_ version: String) -> String? {
        let plus = version.firstIndex(of: "+")
        let release = version[..<(plus ?? version.endIndex)]
        let dash = release.firstIndex(of: "-")
        let core = release[..<(dash ?? release.endIndex)]
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        let valid = numbers.count == 3 && numbers.allSatisfy { isIdentifier($0, numeric: true) }
            && dash.map { identifiers(release[release.index(after: $0)...], numbersWithoutLeadingZero: true) } != false
            && plus.map { identifiers(version[version.index(after: $0)...], numbersWithoutLeadingZero: false) } != false
        return valid ? nil : "is not a semantic version such as 1.2.3 (SwiftPM's from: takes one)"
    }

    /// Why `url` cannot name a Git repository for `.package(url:)`: empty, with white space or a
    /// control character, or none of `https://host/…` (or `http`, `ssh`, `git`, `git+ssh`),
    /// `file:///…`, `user@host:path` and a path on disk (`/…`, `./…`, `../…`, `~/…`); `nil` when
    /// it can.
    public static func urlProblem(_ url: String) -> String? {
        guard !url.isEmpty, !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) else {
            return "is not a Git URL: it is empty or holds white space"
        }
        if ["/", "./", "../", "~/"].contains(where: url.hasPrefix) || url.hasPrefix("file:///") { return nil }
        if let separator = url.range(of: "://") {
            let scheme = url[..<separator.lowerBound].lowercased()
            let host = url[separator.upperBound...].prefix { $0 != "/" }
            if ["https", "http", "ssh", "git", "git+ssh"].contains(scheme), !host.isEmpty { return nil }
        } else if let at = url.firstIndex(of: "@"), let colon = url[at...].firstIndex(of: ":"),
            isHostPart(url[..<at]), isHostPart(url[url.index(after: at)..<colon]), url.index(after: colon) < url.endIndex
        {
            return nil
        }
        return "is not a Git URL such as https://github.com/berth-swift/berth, git@github.com:berth-swift/berth.git or a path"
    }

    /// A user or host name of scp-like syntax (`user@host:path`; a host may be an alias of
    /// ssh's configuration): ASCII letters, digits, `.`, `-` and `_`, not empty.
    private static func isHostPart(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
    }

    /// Dot-separated identifiers, none empty.
    private static func identifiers(_ text: Substring, numbersWithoutLeadingZero: Bool) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            isIdentifier(part, numeric: false) && !(numbersWithoutLeadingZero && isNumber(part) && part.count > 1 && part.first == "0")
        }
    }

    /// ASCII letters, digits and hyphens (`numeric`: digits only, without a leading zero).
    private static func isIdentifier(_ part: Substring, numeric: Bool) -> Bool {
        guard !part.isEmpty else { return false }
        if numeric { return isNumber(part) && (part == "0" || part.first != "0") }
        return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    private static func isNumber(_ part: Substring) -> Bool { part.allSatisfy { $0.isASCII && $0.isNumber } }
}
