import Foundation

/// A file written whole under a hidden name of its own beside `path`, not yet in place:
/// `commit()` renames it over `path`, `discard()` removes it. Made by `OutputFile.stage`, so
/// that a set of files can all be written before any of them replaces what was there.
struct StagedFile {
    /// Where the file goes.
    let path: String
    /// Its hidden name until then: `.<name>.berth-<random>.tmp` in the same directory, made with
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

extension StagedFile {
    /// How old a staged file must be before `removeAbandoned` takes it for one a killed run left:
    /// far longer than any run writes, so that a run writing beside this one keeps its own.
    static let abandonedAfterSeconds = 600

    /// What starts the mark of a staged file's name, so that no file of another tool's or a
    /// user's is taken for one.
    static let markPrefix = "berth-"

    /// Removes the staged files of `names` in `directory` that an earlier run left when it was
    /// killed before it could commit or discard them: regular files named as `OutputFile.stage`
    /// names them (`.<name>.berth-<mark>.tmp`, the mark in base 36) and last written more than
    /// `abandonedAfterSeconds` before `now` (seconds since 1970; the time of a file just written
    /// there, so that a file server's clock is compared with itself). Nothing else is touched.
    static func removeAbandoned(of names: Set<String>, in directory: String, now: Int) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let name = stagedName(entryName), names.contains(name) else { continue }
            var info = stat()
            let path = base + entryName
            guard lstat(path, &info) == 0, UInt32(info.st_mode) & 0o170000 == 0o100000, now - modified(info) > abandonedAfterSeconds
            else { continue }
            unlink(path)
        }
    }

    /// The hidden name `name` is staged under with `mark` (base 36): `.<name>.berth-<mark>.tmp`.
    static func stagedFileName(_ name: String, mark: String) -> String { "." + name + "." + markPrefix + mark + ".tmp" }

    /// The name a staged file's name (`stagedFileName`) stands for, `nil` when it is no such name.
    static func stagedName(_ fileName: String) -> String? {
        guard fileName.hasPrefix("."), fileName.hasSuffix(".tmp") else { return nil }
        let inner = fileName.dropFirst().dropLast(".tmp".count)
        guard let dot = inner.lastIndex(of: "."), dot > inner.startIndex else { return nil }
        let mark = inner[inner.index(after: dot)...]
        guard mark.hasPrefix(markPrefix) else { return nil }
        let digits = mark.dropFirst(markPrefix.count)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) }) else { return nil }
        return String(inner[..<dot])
    }

    /// When the file `info` describes was last written, in seconds since 1970.
    static func modified(_ info: stat) -> Int {
        #if canImport(Darwin)
            Int(info.st_mtimespec.tv_sec)
        #else
            Int(info.st_mtim.tv_sec)
        #endif
    }
}
