import Foundation

/// The few facts `berth tag` asks git about a work tree; `nil` when git cannot answer.
struct GitWorkTree {
    let directory: String

    /// The commit HEAD points at.
    func head() -> String? {
        run(["rev-parse", "HEAD"]).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The paths with uncommitted changes (untracked files included).
    func uncommittedChanges() -> [String]? {
        run(["status", "--porcelain", "--untracked-files=normal"]).map { text in
            text.split(separator: "\n").map { String($0.dropFirst(3)) }
        }
    }

    private func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
