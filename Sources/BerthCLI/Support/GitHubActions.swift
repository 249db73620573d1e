import Foundation

/// What a command tells GitHub Actions: annotations (when `GITHUB_ACTIONS=true`), step outputs
/// (`GITHUB_OUTPUT`) and the step summary (`GITHUB_STEP_SUMMARY`), when the runner sets them.
struct GitHubActions: Sendable {
    let environment: [String: String]

    /// Whether the command runs in a GitHub Actions job.
    var isActive: Bool { environment["GITHUB_ACTIONS"] == "true" }

    /// A workflow command that shows `message` as an error or warning annotation, or `nil`
    /// outside GitHub Actions.
    func annotation(_ level: Level, title: String, _ message: String) -> String? {
        guard isActive else { return nil }
        return "::\(level.rawValue) title=\(Self.escapeProperty(title))::\(Self.escapeData(message))\n"
    }

    enum Level: String { case error, warning }

    /// The lines that stop the runner from taking workflow commands while a program's own text
    /// (a task's logs, which anyone who runs code in it writes) is printed, and resume it:
    /// `::stop-commands::TOKEN` and `::TOKEN::`, with a token the text cannot know; `nil`
    /// outside GitHub Actions.
    func commandPause() -> (stop: String, resume: String)? {
        guard isActive else { return nil }
        let token = "berth-" + UUID().uuidString.lowercased()
        return ("::stop-commands::\(token)\n", "::\(token)::\n")
    }

    /// Appends `outputs` to the file `GITHUB_OUTPUT` names, a multi-line value with a delimiter
    /// it cannot contain; does nothing when it is not set.
    func setOutputs(_ outputs: [(name: String, value: String)]) throws {
        guard let path = environment["GITHUB_OUTPUT"], !path.isEmpty, !outputs.isEmpty else { return }
        var text = ""
        for output in outputs {
            if output.value.contains("\n") {
                var delimiter = "BERTH_EOF"
                while output.value.contains(delimiter) { delimiter += "_" }
                text += "\(output.name)<<\(delimiter)\n\(output.value)\n\(delimiter)\n"
            } else {
                text += "\(output.name)=\(output.value)\n"
            }
        }
        try OutputFile.append(text, to: path, what: "GITHUB_OUTPUT")
    }

    /// Appends Markdown to the file `GITHUB_STEP_SUMMARY` names; does nothing when it is not set.
    func appendSummary(_ markdown: String) throws {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        try OutputFile.append(markdown, to: path, what: "GITHUB_STEP_SUMMARY")
    }

    /// An annotation's message: `%`, CR and LF escaped as GitHub reads them.
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// An annotation's property (`title=`): also `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
