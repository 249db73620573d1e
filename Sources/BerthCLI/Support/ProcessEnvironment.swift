import Foundation

/// The process's environment variables, read from `environ` as `ProcessInfo.environment` reads
/// them (each `NAME=value` split at its first `=`, entries without one skipped, a later entry of
/// a name winning), without starting `ProcessInfo`, which a short command does not otherwise need.
@usableFromInline
enum ProcessEnvironment {
    @usableFromInline
    static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let pointer = entry.pointee {
            let length = strlen(pointer)
            let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
            // Split at the first "=" byte when ASCII stands on both sides of it: then it is a
            // character of its own, as ProcessInfo, which splits at the first "=" character, sees it
            // (a combining mark after it, or a prepended mark before it, would join it to another).
            if let equals = bytes.firstIndex(of: UInt8(ascii: "=")), equals == 0 || bytes[equals - 1] < 0x80,
                equals + 1 == length || bytes[equals + 1] < 0x80
            {
                variables[String(decoding: bytes[..<equals], as: UTF8.self)] = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
            } else {
                let text = String(cString: pointer)
                if let equals = text.firstIndex(of: "=") {
                    variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
                }
            }
            entry += 1
        }
        return variables
    }
}
