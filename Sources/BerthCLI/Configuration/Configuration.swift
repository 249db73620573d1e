import CloudFormation
import Foundation
import Resources

/// The app's configuration directory: one YAML file per environment.
public struct Configuration: Sendable {
    /// The directory, as given (`stacks/environments` by default).
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Every environment, sorted by name. All files are read and every mistake in any of them
    /// is reported together.
    public func environments() throws(ConfigurationError) -> [EnvironmentConfig] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConfigurationError(errors: [
                SourceError(
                    file: directory, line: 0, column: 0,
                    message: "cannot read the configuration directory; run berth from the project's root or pass --config DIR")
            ])
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !files.isEmpty else {
            throw ConfigurationError(errors: [
                SourceError(
                    file: directory, line: 0, column: 0,
                    message: "holds no environment files; add one such as dev.yaml (see the README)")
            ])
        }
        var environments: [EnvironmentConfig] = []
        var errors: [SourceError] = []
        var seen: [String: String] = [:]
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            let name = String(file.prefix(upTo: file.lastIndex(of: ".") ?? file.endIndex))
            guard EnvironmentConfig.isValidName(name) else {
                errors.append(
                    SourceError(
                        file: path, line: 0, column: 0,
                        message: "\"\(name)\" is not a valid environment name: use lowercase letters, digits and hyphens, starting with a letter, at most 32"))
                continue
            }
            if let other = seen[name] {
                errors.append(SourceError(file: path, line: 0, column: 0, message: "environment \(name) is also defined by \(other)"))
                continue
            }
            seen[name] = path
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(SourceError(file: path, line: 0, column: 0, message: "cannot be read as UTF-8 text"))
                continue
            }
            do {
                environments.append(try EnvironmentConfig.parse(text, name: name, file: path))
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        return environments
    }

    /// The app that the environment files describe: its name, environments and services. Every
    /// environment must name the same app and region (their services share repositories).
    public func blueprint() throws(ConfigurationError) -> AppBlueprint {
        let environments = try environments()
        var errors: [SourceError] = []
        var app = ""
        do { app = try Self.sharedValue("app", of: environments) { $0.app } } catch { errors += error.errors }
        do { _ = try Self.sharedValue("region", of: environments) { $0.region } } catch { errors += error.errors }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        return AppBlueprint(name: app, environments: environments.map(\.settings))
    }

    /// The one value that every environment must share, such as the app's name or the region
    /// of the repository they all pull from.
    public static func sharedValue(
        _ key: String, of environments: [EnvironmentConfig], _ value: (EnvironmentConfig) -> String
    ) throws(ConfigurationError) -> String {
        guard let first = environments.first else {
            throw ConfigurationError(errors: [SourceError(file: key, line: 0, column: 0, message: "no environments")])
        }
        let expected = value(first)
        var errors: [SourceError] = []
        for environment in environments.dropFirst() where value(environment) != expected {
            let mark = environment.positions[key]
            errors.append(
                SourceError(
                    file: environment.file, line: mark?.line ?? 0, column: mark?.column ?? 0,
                    message: "\(key): \"\(value(environment))\" differs from \"\(expected)\" in \(first.file); every environment of the app must agree"))
        }
        guard errors.isEmpty else { throw ConfigurationError(errors: errors) }
        return expected
    }
}
