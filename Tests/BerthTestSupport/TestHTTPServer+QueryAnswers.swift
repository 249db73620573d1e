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

    /// A stack's `<Tags>` as DescribeStacks writes them, in key order.
    public static func stackTags(_ tags: [String: String]) -> String {
        tags.isEmpty
            ? ""
            : "<Tags>" + tags.sorted { $0.key < $1.key }.map { "<member><Key>\($0.key)</Key><Value>\($0.value)</Value></member>" }.joined() + "</Tags>"
    }
}

extension TestHTTPServer.Request {
    /// The stack tags a CreateChangeSet or CreateStack call sends (`Tags.member.N.Key` and
    /// `.Value`), by key: CloudFormation gives them to the stack it creates.
    public var sentStackTags: [String: String] {
        let form = self.form
        var tags: [String: String] = [:]
        var index = 1
        while let key = form["Tags.member.\(index).Key"] {
            tags[key] = form["Tags.member.\(index).Value"] ?? ""
            index += 1
        }
        return tags
    }
}
