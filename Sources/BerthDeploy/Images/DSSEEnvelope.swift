/// A DSSE envelope (secure-systems-lab/dsse): a payload, its type, and signatures over its
/// pre-authentication encoding.
struct DSSEEnvelope: Sendable, Hashable {
    /// The payload type of an in-toto statement.
    static let inTotoPayloadType = "application/vnd.in-toto+json"

    let payloadType: String
    let payload: [UInt8]
    /// The signatures (base64-decoded).
    let signatures: [[UInt8]]

    /// What each signature signs: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`, lengths in
    /// ASCII decimal bytes.
    var preAuthenticationEncoding: [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }
}
