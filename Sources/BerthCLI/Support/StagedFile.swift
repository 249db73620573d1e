import Foundation

/// A file written whole under a hidden name of its own beside `path`, not yet in place:
/// `commit()` renames it over `path`, `discard()` removes it. Made by `OutputFile.stage`, so
/// that a set of files can all be written before any of them replaces what was there.
struct StagedFile {
    /// Where the file goes.
    let path: String
    /// Its hidden name until then: `.<name>.<random>.tmp` in the same directory, made with
    /// `O_EXCL`, so that two runs never write into one another's file.
    let temporary: String

    /// Puts the file in place (a reader sees the old file or the new one, never half of either).
    func commit() throws {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw CommandFailure(.failure, "cannot write \(path): \(reason)")
        }
    }

    /// Removes the file written so far; what is at `path` stays as it was.
    func discard() {
        unlink(temporary)
    }
}
