/// A protobuf `int64` in JSON: a decimal string, as protobuf writes it, or a number, which its
/// JSON mapping also accepts.
struct ProtobufInt64: Sendable, Hashable, Decodable {
    let value: Int64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let parsed = Int64(try container.decode(String.self)) {
            value = parsed
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a protobuf int64")
        }
    }
}
