/// Why a path that should name a regular file cannot be read as one.
public struct RegularFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the path turned out to be, or why it could not be opened.
    public enum Reason: Sendable, Hashable {
        case missing
        case directory
        case namedPipe
        case characterDevice
        case blockDevice
        case socket
        case symbolicLinkLoop
        case danglingSymbolicLink
        case notADirectoryOnThePath
        case permissionDenied
        case tooLarge(limit: Int)
        case other(String)
    }

    /// The path as it was given.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// What is wrong, to follow "it" or the path: `is a directory, not a file`.
    public var problem: String {
        switch reason {
        case .missing: "does not exist"
        case .directory: "is a directory, not a file"
        case .namedPipe: "is a named pipe (FIFO), not a file"
        case .characterDevice: "is a character device, not a file"
        case .blockDevice: "is a block device, not a file"
        case .socket: "is a socket, not a file"
        case .symbolicLinkLoop: "is a loop of symbolic links"
        case .danglingSymbolicLink: "is a symbolic link to a file that does not exist"
        case .notADirectoryOnThePath: "cannot be reached: a part of its path is not a directory"
        case .permissionDenied: "cannot be read: permission denied"
        case .tooLarge(let limit): "is larger than \(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes")"
        case .other(let text): "cannot be read: \(text)"
        }
    }

    /// `PATH is a directory, not a file`.
    public var description: String { "\(path) \(problem)" }
}
