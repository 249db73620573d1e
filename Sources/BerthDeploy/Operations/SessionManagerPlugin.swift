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

    /// Runs the plugin with `arguments` and `environment`, standard input, output and error
    /// inherited (the terminal), and returns its exit status (128 + the signal when a signal ended
    /// it). While it runs, Ctrl-C, Ctrl-\ and Ctrl-Z are left to it, as the AWS CLI leaves them:
    /// the plugin sends them on to the container.
    public func run(_ arguments: [String], environment: [String: String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let previous = [SIGINT, SIGQUIT, SIGTSTP].map { ($0, signal($0, SIG_IGN)) }
        defer { for (number, handler) in previous { signal(number, handler) } }
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                let status = finished.terminationStatus
                continuation.resume(returning: finished.terminationReason == .uncaughtSignal ? 128 + status : status)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
