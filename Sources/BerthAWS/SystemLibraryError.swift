import CBerthShims

/// A system library that Berth loads on first use (libcrypto, libcurl, libxml2) is missing.
public struct SystemLibraryError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public var description: String {
        "\(message); install the system's package (Debian: libssl3, libcurl4, libxml2)"
    }

    /// Runs a shim loader and turns its failure into an error.
    static func load(_ loader: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(SystemLibraryError) {
        var buffer = [CChar](repeating: 0, count: 256)
        let status = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { loader($0, pointer.count) } ?? -1
        }
        guard status == 0 else {
            let message = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            throw SystemLibraryError(message: String(decoding: message, as: UTF8.self))
        }
    }
}
