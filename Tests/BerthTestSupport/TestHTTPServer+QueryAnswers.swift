extension TestHTTPServer.Reply {
    /// A successful answer of an AWS query-protocol call (CloudFormation, STS): `result`, the XML
    /// inside `<ActionResult>`, in the envelope the API reference shows.
    public static func queryResult(_ action: String, _ result: String) -> Self {
        .respond(
            status: 200, headers: [("Content-Type", "text/xml")],
            body: "<\(action)Response><\(action)Result>\(result)</\(action)Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></\(action)Response>")
    }

    /// `text` as XML character data: `&`, `<` and `>` escaped, as a template body is in GetTemplate's answer.
    public static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
