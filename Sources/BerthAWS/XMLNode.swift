import CBerthShims

/// A parsed XML element: its local name, its text and its child elements, in order.
///
/// AWS's query-protocol answers are small documents of nested elements; this is all of XML
/// they need. Parsing goes through the system's libxml2 (loaded on first use).
public final class XMLNode: @unchecked Sendable {
    public let name: String
    public private(set) var text = ""
    public private(set) var children: [XMLNode] = []

    init(name: String) { self.name = name }

    /// The first child element named `name`.
    public func child(_ name: String) -> XMLNode? {
        children.first { $0.name == name }
    }

    /// Every child element named `name`.
    public func children(_ name: String) -> [XMLNode] {
        children.filter { $0.name == name }
    }

    /// The text of the first child named `name`, when there is one.
    public func string(_ name: String) -> String? {
        child(name)?.text
    }

    /// Follows a path of child names: `node["DescribeStacksResult", "Stacks"]`.
    public subscript(_ path: String...) -> XMLNode? {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node
    }

    /// The `member` children of the element at `path`, the query protocol's lists.
    public func members(_ path: String...) -> [XMLNode] {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node?.children("member") ?? []
    }

    /// The most elements a document may have: far more than any AWS answer Berth reads holds
    /// (a page of stack events has about a thousand), and few enough that a hostile answer's
    /// tree stays small (a node per element took about 19 times the document's size).
    static let maximumElements = 1_000_000

    /// Parses a document; `nil` when it is not well-formed XML with a root element, or has more
    /// than `maximumElements` elements.
    public static func parse(_ bytes: [UInt8]) throws(SystemLibraryError) -> XMLNode? {
        try SystemLibraryError.load { berth_xml_load($0, $1) }
        guard !bytes.isEmpty else { return nil }
        let builder = TreeBuilder()
        let context = Unmanaged.passUnretained(builder).toOpaque()
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                berth_xml_parse(characters.baseAddress, characters.count, context) { context, kind, name, text in
                    guard let context else { return }
                    let builder = Unmanaged<TreeBuilder>.fromOpaque(context).takeUnretainedValue()
                    builder.handle(kind: kind, name: name, text: text)
                }
            }
        }
        guard status == 0, !builder.tooLarge, builder.stack.isEmpty else { return nil }
        return builder.root
    }

    /// Builds the tree from libxml2's reader events, until the document turns out too large.
    private final class TreeBuilder {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var elements = 0
        var tooLarge = false

        func handle(kind: Int32, name: UnsafePointer<CChar>?, text: UnsafePointer<CChar>?) {
            guard !tooLarge else { return }
            switch Int(kind) {
            case Int(BERTH_XML_START):
                elements += 1
                guard elements <= XMLNode.maximumElements else {
                    tooLarge = true
                    root = nil
                    stack = []
                    return
                }
                let node = XMLNode(name: name.map { String(cString: $0) } ?? "")
                if let parent = stack.last { parent.children.append(node) } else if root == nil { root = node }
                stack.append(node)
            case Int(BERTH_XML_END):
                _ = stack.popLast()
            case Int(BERTH_XML_TEXT):
                if let node = stack.last, let text { node.text += String(cString: text) }
            default:
                break
            }
        }
    }
}
