import BerthAWS

/// A file the user names on the command line, read as UTF-8 text through `RegularFile`: a
/// directory, a named pipe, a device or a loop of symbolic links is named as what it is.
enum UserFile {
    /// The text of `path`; `what` names the file in messages (`the template`), and mistakes are
    /// `CommandFailure`s with `status`.
    static func text(_ path: String, what: String, status: ExitStatus, limit: Int = RegularFile.defaultLimit) throws(CommandFailure) -> String {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: limit)
        } catch {
            throw CommandFailure(status, "cannot read \(what) \(path): it \(error.problem)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure(status, "cannot read \(what) \(path): it is not UTF-8 text")
        }
        return text
    }
}
