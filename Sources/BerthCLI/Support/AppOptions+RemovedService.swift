import BerthConfig
import BerthDiff

extension AppOptions {
    /// The command that deletes `stack`, left behind by a service removed from the files, with
    /// these options' files; `nil` for one that names no service (deleted only with its whole
    /// environment).
    func destroyCommand(for stack: StackLeftBehind) -> String? {
        guard let service = stack.service else { return nil }
        return "berth destroy --env \(stack.environment)" + (configDirectory.map { " --config \(ShellWords.quoted($0))" } ?? "")
            + (template.map { " --from \(ShellWords.quoted($0))" } ?? "") + " --removed-service \(service)"
    }
}
