/// Why an app's scaffold wrote nothing (or stopped writing).
public enum ScaffoldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name Berth does not take: what it names (`app`, `environment`, `service`) and the name.
    case invalidName(String, String)
    /// An app's name that its package cannot take beside Berth's (`AppScaffold.berthsOwnName`).
    case berthsOwnName(String)
    /// These files exist; nothing was written.
    case exists([String])
    /// A file or directory could not be written, and why.
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .invalidName(let what, let name):
            "\"\(name.prefix(64))\" is not a valid \(what) name: \(what == "service" ? EnvironmentConfig.serviceNameRule : EnvironmentConfig.nameRule)"
        case .berthsOwnName(let name):
            "\"\(name)\" is the name of Berth's own package and executable, which the app's would take beside Berth's (SwiftPM refuses "
                + "two of one name in a package graph): choose another app name"
        case .exists(let paths):
            "\(paths.joined(separator: ", ")) \(paths.count == 1 ? "exists" : "exist"); nothing is overwritten, so nothing was written: "
                + "choose another directory or move \(paths.count == 1 ? "it" : "them")"
        case .cannotWrite(let path, let reason): "\(path) cannot be written: \(reason)"
        }
    }
}
