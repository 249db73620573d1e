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
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }
}
