extension Endpoint {
    /// A URL that was refused, as an error message may quote it: everything up to its last `@`
    /// (after the scheme, when there is one) left out, since user information may hold a
    /// password, then at most 200 characters, with control characters escaped.
    /// `http://admin:pw@127.0.0.1:8080/creds` shows as `http://…@127.0.0.1:8080/creds`.
    public static func quotable(_ text: String) -> String {
        var shown = Substring(text)
        if let at = shown.lastIndex(of: "@") {
            let start = shown.range(of: "://").map(\.upperBound) ?? shown.startIndex
            let prefix = start <= at ? shown[..<start] : ""
            shown = prefix + "…" + shown[at...]
        }
        let cut = shown.count > 200 ? "\(shown.prefix(200))…" : String(shown)
        return String(cut.debugDescription.dropFirst().dropLast())
    }
}
