import Foundation

/// Writes the files berth makes (templates, the manifest, GitHub's step files) without ever
/// blocking: a named pipe or a socket at the path is refused instead of opened for a write that
/// would wait for a reader.
enum OutputFile {
    /// Writes `text` to `path` whole or not at all: staged under a hidden name of its own, then
    /// renamed over `path`.
    static func replace(_ text: String, at path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try stage(text, named: (path as NSString).lastPathComponent, in: directory.isEmpty ? "." : directory).commit()
    }

    /// This run's part of the hidden names it stages files under: random, so that two runs
    /// writing into one directory never meet on a name (and `O_EXCL` refuses one that does).
    private static let runMark = String(UInt64.random(in: 0...UInt64.max), radix: 36)

    /// Writes `text` beside `name` in `directory` under a new hidden name
    /// (`.<name>.berth-<random>.tmp`), leaving the file as it is until the result is committed. A
    /// directory where the file goes is refused here, before anything is written, rather than
    /// when the rename fails.
    static func stage(_ text: String, named name: String, in directory: String) throws -> StagedFile {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let path = base + name
        var info = stat()
        if lstat(path, &info) == 0, UInt32(info.st_mode) & 0o170000 == 0o040000 {
            throw CommandFailure(.failure, "cannot write \(path): a directory is in the way")
        }
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        for attempt in 0..<8 {
            let mark = attempt == 0 ? runMark : String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temporary = base + StagedFile.stagedFileName(name, mark: mark)
            let descriptor = open(temporary, flags, 0o644)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                throw CommandFailure(.failure, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            let failure = writeAll(text, to: descriptor)
            close(descriptor)
            let staged = StagedFile(path: path, temporary: temporary)
            if let failure {
                staged.discard()
                throw CommandFailure(.failure, "cannot write \(path): \(failure)")
            }
            return staged
        }
        throw CommandFailure(.failure, "cannot write \(path): no free temporary name beside it")
    }

    /// Appends `text` to the file at `path` (`what` names it in errors), made when missing: a
    /// regular file, or a character device such as `/dev/stdout`.
    static func append(_ text: String, to path: String, what: String) throws {
        var info = stat()
        if stat(path, &info) == 0, !isWritable(info) {
            throw CommandFailure(.failure, "cannot write \(what) (\(path)): it is not a file (a named pipe or a socket would wait for a reader)")
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure(.failure, "cannot write \(what) (\(path)): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, isWritable(opened) else {
            throw CommandFailure(.failure, "cannot write \(what) (\(path)): it is not a file (a named pipe or a socket would wait for a reader)")
        }
        if let failure = writeAll(text, to: descriptor) { throw CommandFailure(.failure, "cannot write \(what) (\(path)): \(failure)") }
    }

    /// A regular file or a character device: what a write never waits on for a reader.
    private static func isWritable(_ info: stat) -> Bool { [0o100000, 0o020000].contains(UInt32(info.st_mode) & 0o170000) }

    /// Writes all of `text`; why not, or `nil` when it did.
    private static func writeAll(_ text: String, to descriptor: Int32) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var offset = 0
            while offset < bytes.count {
                let count = write(descriptor, base + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += count
            }
            return nil
        }
    }
}
