#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads files the user names (environment files, templates, CA bundles, token files) safely:
/// what is not a regular file is refused and named as what it is (a directory, a named pipe, a
/// device, a socket, a loop of symbolic links) instead of hanging on a FIFO, reading `/dev/zero`
/// forever or reporting Foundation's internal errors ("error 256").
public enum RegularFile {
    /// The most any file is read to: far more than a template or configuration file holds.
    public static let defaultLimit = 64 << 20

    /// The bytes of the regular file at `path`, at most `limit` of them; throws when `path` is
    /// not a regular file, cannot be opened, or holds more than `limit` bytes.
    public static func read(_ path: String, limit: Int = defaultLimit) throws(RegularFileError) -> [UInt8] {
        let (descriptor, size) = try open(path)
        defer { close(descriptor) }
        // Sized by what fstat said, so that a small file costs a small buffer; a file that grows
        // meanwhile is read on in chunks of that size (at least a page) up to the limit.
        let expected = min(max(size, 0), limit)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(expected + 1)
        var chunk = [UInt8](repeating: 0, count: min(max(expected + 1, 4096), 1 << 16))
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in Glue.read(descriptor, buffer.baseAddress, buffer.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RegularFileError(path: path, reason: reason(errno: errno, path: path))
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit { throw RegularFileError(path: path, reason: .tooLarge(limit: limit)) }
        }
    }

    /// Checks that `path` is a regular file that can be opened for reading, without reading it.
    public static func check(_ path: String) throws(RegularFileError) {
        close(try open(path).descriptor)
    }

    /// Opens the regular file at `path` for reading. The type is checked before opening (so a
    /// FIFO is never opened) and again on the open descriptor (in case the path was replaced in
    /// between); the open does not block either way.
    /// Also returns the size the open file has.
    private static func open(_ path: String) throws(RegularFileError) -> (descriptor: Int32, size: Int) {
        guard !path.isEmpty else { throw RegularFileError(path: path, reason: .missing) }
        var info = stat()
        guard stat(path, &info) == 0 else { throw RegularFileError(path: path, reason: reason(errno: errno, path: path)) }
        if let problem = problem(mode: info.st_mode) { throw RegularFileError(path: path, reason: problem) }
        let descriptor = Glue.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw RegularFileError(path: path, reason: reason(errno: errno, path: path)) }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0 else {
            let code = errno
            close(descriptor)
            throw RegularFileError(path: path, reason: reason(errno: code, path: path))
        }
        if let problem = problem(mode: opened.st_mode) {
            close(descriptor)
            throw RegularFileError(path: path, reason: problem)
        }
        return (descriptor, Int(opened.st_size))
    }

    /// What a file of `mode` is when it is not a regular file; `nil` for a regular file.
    private static func problem(mode: mode_t) -> RegularFileError.Reason? {
        switch UInt32(mode) & 0o170000 {
        case 0o100000: nil
        case 0o040000: .directory
        case 0o010000: .namedPipe
        case 0o020000: .characterDevice
        case 0o060000: .blockDevice
        case 0o140000: .socket
        default: .other("it is not a regular file")
        }
    }

    private static func reason(errno code: Int32, path: String) -> RegularFileError.Reason {
        switch code {
        case ENOENT:
            var link = stat()
            return lstat(path, &link) == 0 && UInt32(link.st_mode) & 0o170000 == 0o120000 ? .danglingSymbolicLink : .missing
        case ELOOP: return .symbolicLinkLoop
        case ENOTDIR: return .notADirectoryOnThePath
        case EACCES, EPERM: return .permissionDenied
        case EISDIR: return .directory
        default:
            guard let text = strerror(code) else { return .other("error \(code)") }
            return .other(String(cString: text).lowercased())
        }
    }

    /// The C functions whose names `RegularFile` reuses.
    private enum Glue {
        static func open(_ path: String, _ flags: Int32) -> Int32 {
            #if canImport(Darwin)
                Darwin.open(path, flags)
            #elseif canImport(Musl)
                Musl.open(path, flags)
            #else
                Glibc.open(path, flags)
            #endif
        }

        static func read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
            #if canImport(Darwin)
                Darwin.read(descriptor, buffer, count)
            #elseif canImport(Musl)
                Musl.read(descriptor, buffer, count)
            #else
                Glibc.read(descriptor, buffer, count)
            #endif
        }
    }
}
