import BerthTemplate
import Foundation

/// Reads the JSON of signatures, attestations and trust roots only when every reader reads it
/// alike. Go's `encoding/json`, which Cosign and the Sigstore tools use, takes the last of two
/// members of one name and matches names without case; Foundation's decoder takes the first.
/// A signed payload with `docker-manifest-digest` twice, or `critical` next to `Critical`,
/// would name one image to Berth and another to them: such a document is not read at all. Nor
/// is one with a member name outside ASCII, which Go's case folding matches in ways no simple
/// comparison does (`ſ` is `s` to it); no signed document of Sigstore's has one.
enum UnambiguousJSON {
    /// `bytes` decoded as `type`; `nil` when they are not JSON, or an object of them has two
    /// members whose names are equal but for case.
    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: some Collection<UInt8>) -> Value? {
        guard let parsed = try? JSONValue.parseJSON(String(decoding: bytes, as: UTF8.self), file: "signed document"), isUnambiguous(parsed)
        else { return nil }
        return try? JSONDecoder().decode(type, from: Data(bytes))
    }

    private static func isUnambiguous(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members):
            var names = Set<String>()
            for member in members {
                guard member.key.utf8.allSatisfy({ $0 < 0x80 }), names.insert(member.key.lowercased()).inserted, isUnambiguous(member.value)
                else { return false }
            }
            return true
        case .array(let elements):
            return elements.allSatisfy(isUnambiguous)
        default:
            return true
        }
    }
}
