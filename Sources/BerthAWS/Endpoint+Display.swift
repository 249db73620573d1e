import Foundation

extension Endpoint {
    /// A URL that was refused, as an error message may quote it: everything up to its last `@`
    /// (after the scheme, when there is one) left out, since user information may hold a
    /// password, and its query and fragment, which may hold a token; then at most 200
    /// characters, with control characters escaped.
    /// `http://admin:pw@127.0.0.1:8080/creds?token=x` shows as `http://…@127.0.0.1:8080/creds?…`.
    public static func quotable(_ text: String) -> String {
        var shown = Substring(text)
        let query = shown.firstIndex { $0 == "?" || $0 == "#" }
        if let query, let at = shown.lastIndex(of: "@"), query < at {
            // An `@` after a `?`: a password may hold the `?`, or the query the `@`; which, the
            // text cannot tell, so neither is shown.
            let scheme = shown.range(of: "://").map { shown[..<$0.upperBound] } ?? ""
            return String((scheme + "…").debugDescription.dropFirst().dropLast())
        }
        if let query {
            shown = shown[...query] + "…"
        }
        if let at = shown.lastIndex(of: "@") {
            // A scheme is kept only when it is one (`http`, `git+ssh`): `admin:pa://ss@` is no scheme.
            let scheme = shown.range(of: "://").flatMap { range -> Range<Substring.Index>? in
                let name = shown[..<range.lowerBound]
                let valid = range.lowerBound < at && name.first?.isLetter == true
                    && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+-.".unicodeScalars.contains($0)) }
                return valid ? range : nil
            }
            shown = (scheme.map { shown[..<$0.upperBound] } ?? "") + "…" + shown[at...]
        }
        let cut = shown.count > 200 ? "\(shown.prefix(200))…" : String(shown)
        return String(cut.debugDescription.dropFirst().dropLast())
    }
}
