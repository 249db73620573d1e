import Foundation
import Testing

@testable import BerthAWS

/// `RegularFile`: what is not a regular file is named as what it is, and never waited on.
@Suite struct RegularFileTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "berth-regular-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func reason(_ path: String) -> RegularFileError.Reason? {
        do {
            _ = try RegularFile.read(path)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func aRegularFileIsReadWhole() throws {
        let path = try directory() + "/t.json"
        let text = String(repeating: "0123456789", count: 20_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try RegularFile.read(path) == Array(text.utf8))
        try RegularFile.check(path)
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try RegularFile.read(path).isEmpty)
    }

    @Test func specialFilesAreNamedAsWhatTheyAre() throws {
        let base = try directory()
        #expect(mkfifo(base + "/fifo", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: base + "/loop1", withDestinationPath: base + "/loop2")
        try FileManager.default.createSymbolicLink(atPath: base + "/loop2", withDestinationPath: base + "/loop1")
        try FileManager.default.createSymbolicLink(atPath: base + "/dangling", withDestinationPath: base + "/nowhere")
        try FileManager.default.createSymbolicLink(atPath: base + "/null", withDestinationPath: "/dev/null")
        try "x".write(toFile: base + "/file", atomically: true, encoding: .utf8)
        let cases: [(String, RegularFileError.Reason, String)] = [
            (base, .directory, "is a directory, not a file"),
            (base + "/fifo", .namedPipe, "is a named pipe (FIFO), not a file"),
            (base + "/loop1", .symbolicLinkLoop, "is a loop of symbolic links"),
            (base + "/dangling", .danglingSymbolicLink, "is a symbolic link to a file that does not exist"),
            (base + "/null", .characterDevice, "is a character device, not a file"),
            ("/dev/zero", .characterDevice, "is a character device, not a file"),
            (base + "/missing", .missing, "does not exist"),
            ("", .missing, "does not exist"),
            (base + "/file/inside", .notADirectoryOnThePath, "cannot be reached: a part of its path is not a directory"),
        ]
        for (path, expected, problem) in cases {
            #expect(reason(path) == expected, "\(path)")
            #expect(RegularFileError(path: path, reason: expected).description == "\(path) \(problem)")
            #expect(throws: RegularFileError.self, "\(path)") { try RegularFile.check(path) }
        }
    }

    @Test func aFileLargerThanTheLimitIsRefused() throws {
        let path = try directory() + "/big"
        try Data(repeating: 0x41, count: 100_001).write(to: URL(fileURLWithPath: path))
        #expect(throws: RegularFileError(path: path, reason: .tooLarge(limit: 100_000))) { try RegularFile.read(path, limit: 100_000) }
        #expect(try RegularFile.read(path, limit: 100_001).count == 100_001)
        #expect(RegularFileError(path: "f", reason: .tooLarge(limit: 64 << 20)).problem == "is larger than 64 MiB")
    }
}
