import Foundation

/// The few facts `berth tag` asks git about a work tree.
struct GitWorkTree {
    let directory: String

    /// Why git could not answer: the first line it wrote on its error output.
    struct Failure: Error {
        let message: String
    }

    /// The commit HEAD points at; `nil` when git cannot say (no repository there).
    func head() -> String? {
        guard case .success(let text) = run(["rev-parse", "HEAD"]) else { return nil }
        let head = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return head.isEmpty ? nil : head
    }

    /// The paths with uncommitted changes (untracked files included), as they are named (git's
    /// `-z` form: no quoting of unusual characters); a failure when git cannot tell (not a work
    /// tree, a damaged index).
    func uncommittedChanges() -> Result<[String], Failure> {
        run(["status", "--porcelain", "-z", "--untracked-files=normal"]).map { text in
            var paths: [String] = []
            var fields = text.split(separator: "\0", omittingEmptySubsequences: true).makeIterator()
            while let entry = fields.next() {
                paths.append(String(entry.dropFirst(3)))
                // A rename or copy (in the index's column or the work tree's) is followed by the
                // path it came from.
                if entry.prefix(2).contains(where: { $0 == "R" || $0 == "C" }) { _ = fields.next() }
            }
            return paths
        }
    }

    private func run(_ arguments: [String]) -> Result<String, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(Failure(message: "git could not be run: \(error)"))
        }
        // Both pipes are read to their end before waiting (a full pipe would stop git): the
        // error output on a thread of its own.
        let errorText = ErrorText()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) { errorText.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        let said = String(decoding: errorText.data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            // Its reason, rather than a warning before it.
            let lines = said.split(separator: "\n")
            let line = (lines.first { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") } ?? lines.first).map(String.init)
                ?? "git exited with \(process.terminationStatus)"
            return .failure(Failure(message: line))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    /// What a reading thread collected.
    private final class ErrorText: @unchecked Sendable {
        private let lock = NSLock()
        private var collected = Data()
        var data: Data { lock.withLock { collected } }
        func set(_ data: Data) { lock.withLock { collected = data } }
    }
}
