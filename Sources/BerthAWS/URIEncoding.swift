/// Percent-encoding as SigV4 and the AWS query protocol use it (RFC 3986: only
/// `A-Z a-z 0-9 - _ . ~` stay as they are).
public enum URIEncoding {
    /// Encodes every byte except the unreserved characters.
    public static func encode(_ text: String) -> String {
        encode(text, keepingSlashes: false)
    }

    /// Encodes a path, keeping `/` between its segments.
    public static func encodePath(_ path: String) -> String {
        encode(path, keepingSlashes: true)
    }

    private static func encode(_ text: String, keepingSlashes: Bool, spaceAsPlus: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output = [UInt8]()
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else if spaceAsPlus && byte == UInt8(ascii: " ") {
                output.append(UInt8(ascii: "+"))
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
    }

    /// An `application/x-www-form-urlencoded` body of the query protocol, byte for byte as the
    /// AWS SDKs write it (botocore's `urlencode`): unreserved characters as they are, a space as
    /// `+`, every other byte (`+` included) percent-encoded. The signature covers the body as
    /// sent, but servers that check it by rebuilding the body (moto) need these exact bytes.
    public static func formBody(_ items: [HTTPRequest.QueryItem]) -> [UInt8] {
        Array(
            items.map { formEncode($0.name) + "=" + formEncode($0.value) }.joined(separator: "&").utf8)
    }

    private static func formEncode(_ text: String) -> String { encode(text, keepingSlashes: false, spaceAsPlus: true) }
}
