import BerthModel
import CBerthShims
import Foundation

/// AWS's `session-manager-plugin`, found on `PATH`: it carries an ECS Exec session between the
/// terminal and the container, as it does for the AWS CLI.
public struct SessionManagerPlugin: Sendable {
    /// The executable's name, as the AWS CLI calls it.
    public static let name = "session-manager-plugin"

    /// Where the executable is.
    public let path: String

    public init(path: String) { self.path = path }

    /// The first executable `session-manager-plugin` in the directories of `environment`'s `PATH`.
    public static func locate(environment: [String: String]) throws(ExecError) -> SessionManagerPlugin {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories {
            let candidate = (directory.hasSuffix("/") ? directory : directory + "/") + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return SessionManagerPlugin(path: candidate)
            }
        }
        throw .pluginMissing(searched: directories)
    }

    /// The last release that reads the session only from its first argument: later ones also
    /// take the name of an environment variable that holds it (as `aws ssm start-session` passes
    /// it), which keeps the session's token out of the process list (`ps`, `/proc/<pid>/cmdline`).
    static let lastVersionWithoutSessionVariable = [1, 2, 497, 0]

    /// Whether this plugin takes the session from an environment variable: its `--version`
    /// (run for at most 5 seconds) is later than `lastVersionWithoutSessionVariable`. A version
    /// that cannot be read counts as an older plugin.
    public func takesSessionFromEnvironment() -> Bool {
        // Its output goes to a file, not a pipe: a child the plugin leaves running would hold a
        // pipe open, and reading it would wait for that child. The file has no name once made,
        // so nothing is left behind, whatever ends berth.
        var name = Array((NSTemporaryDirectory() + "berth-plugin-version-XXXXXX").utf8CString)
        let descriptor = mkstemp(&name)
        guard descriptor >= 0 else { return false }
        unlink(name)
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--version"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        lseek(descriptor, 0, SEEK_SET)
        let text = String(decoding: (try? output.read(upToCount: 200)) ?? Data(), as: UTF8.self)
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").map { DecimalText.value($0) }
        guard process.terminationStatus == 0, parts.count == 4, !parts.contains(nil) else { return false }
        return Self.lastVersionWithoutSessionVariable.lexicographicallyPrecedes(parts.compactMap { $0 })
    }

    /// Runs the plugin with `arguments` and `environment`, standard input, output and error
    /// inherited (the terminal), and returns its exit status (128 + the signal when a signal ended
    /// it). It runs in berth's process group, the terminal's foreground one, with no signal
    /// blocked, so that it reads the keyboard and gets Ctrl-C, Ctrl-\ and Ctrl-Z, which it sends
    /// on to the container; berth ignores them while it runs, as the AWS CLI does, and sends it
    /// the SIGTERM and SIGHUP berth gets, so that it never runs on without berth.
    public func run(_ arguments: [String], environment: [String: String]) async throws -> Int32 {
        let previous = [SIGINT, SIGQUIT, SIGTSTP].map { ($0, signal($0, SIG_IGN)) }
        defer { for (number, handler) in previous { signal(number, handler) } }
        let (path, argv, envp) = (path, [path] + arguments, environment.map { "\($0.key)=\($0.value)" })
        // Waiting blocks: on a thread of its own, not on the tasks' threads.
        let (status, spawnError) = await withCheckedContinuation { continuation in
            Thread {
                func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
                let (arguments, variables) = (cStrings(argv), cStrings(envp))
                defer { for pointer in arguments + variables { free(pointer) } }
                var spawnError: Int32 = 0
                let status = berth_run_in_foreground(path, arguments, variables, &spawnError)
                continuation.resume(returning: (status, spawnError))
            }.start()
        }
        if spawnError != 0 { throw ExecError.pluginFailed(path: path, reason: String(cString: strerror(spawnError))) }
        guard status >= 0 else { throw ExecError.pluginFailed(path: path, reason: "its exit status could not be read") }
        return status
    }
}
