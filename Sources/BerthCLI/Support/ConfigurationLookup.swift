import BerthConfig
import BerthTemplate
import Foundation

/// Where an app's environment files are: `--config` when given, else `environments/` when it
/// exists (an app laid out as `berth init` writes it), else `stacks/environments/`.
enum ConfigurationLookup {
    /// The directories looked for, in order, relative to the working directory.
    static let candidates = ["environments", "stacks/environments"]

    /// The configuration directory: `explicit` (`--config`) when given, as given, once it can be
    /// listed; else the first of `candidates` that is a directory under `workingDirectory`, as a
    /// relative path. Throws, naming every directory looked in, when there is none.
    static func directory(explicit: String?, workingDirectory: String) throws(ConfigurationError) -> String {
        if let explicit {
            guard !explicit.isEmpty else {
                throw ConfigurationError(errors: [
                    SourceError(file: "--config", line: 0, column: 0, message: "is empty; give it the directory that holds the environment files")
                ])
            }
            guard let stream = opendir(explicit) else {
                // One environment file given for its directory: say which directory and --env.
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: explicit, isDirectory: &isDirectory), !isDirectory.boolValue,
                    explicit.hasSuffix(".yaml") || explicit.hasSuffix(".yml")
                {
                    let directory = (explicit as NSString).deletingLastPathComponent
                    throw ConfigurationError(errors: [
                        SourceError(
                            file: explicit, line: 0, column: 0,
                            message: "is an environment file; give --config the directory that holds it (\(directory.isEmpty ? "." : directory)), "
                                + "and --env the environment to work on")
                    ])
                }
                throw ConfigurationError(errors: [
                    SourceError(
                        file: explicit, line: 0, column: 0,
                        message: "cannot read the configuration directory (it does not exist, is not a directory, or cannot be listed); "
                            + "give --config the directory that holds the environment files")
                ])
            }
            closedir(stream)
            return explicit
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            let path = (workingDirectory as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
        }
        let looked = candidates.map { $0 + "/" }.joined(separator: " and ")
        throw ConfigurationError(errors: [
            SourceError(
                file: workingDirectory, line: 0, column: 0,
                message: "no environment files: looked in \(looked) here; run berth from the app's root or pass --config DIR")
        ])
    }
}
