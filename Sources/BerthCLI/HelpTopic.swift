import ArgumentParser

/// Help asked for a command that does not exist (`berth help nosuch`, `berth nosuch --help`):
/// argument-parser prints the root's help and exits 0 for those, which tells a script that
/// the command exists. Berth refuses them as input errors instead.
enum HelpTopic {
    /// The flags that ask for help.
    static let helpFlags: Set<String> = ["-h", "--help", "-help"]

    /// The root's options that take a separate value, which is not a topic.
    static let optionsWithValues: Set<String> = ["--generate-completion-script"]

    /// What is wrong with the help that `arguments` ask for, or `nil` when they ask for none or
    /// for help on a command that exists.
    static func problem(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        let words = Array(arguments.prefix { $0 != "--" })
        if words.first == "help" {
            var command = root
            var path = [root._commandName]
            for word in words.dropFirst() where !word.hasPrefix("-") && !(word == "help" && path.count == 1) {
                guard let next = subcommand(named: word, of: command) else {
                    return unknown(word, path: path, of: command)
                }
                command = next
                path.append(next._commandName)
            }
            return nil
        }
        guard words.contains(where: helpFlags.contains) else { return nil }
        var index = 0
        while index < words.count {
            let word = words[index]
            if optionsWithValues.contains(word) {
                index += 2
                continue
            }
            if word.hasPrefix("-") {
                index += 1
                continue
            }
            return subcommand(named: word, of: root) == nil ? unknown(word, path: [root._commandName], of: root) : nil
        }
        return nil
    }

    private static func subcommand(named name: String, of command: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { subcommand in
            subcommand._commandName == name || subcommand.configuration.aliases.contains(name)
        }
    }

    private static func unknown(_ word: String, path: [String], of command: any ParsableCommand.Type) -> String {
        let shown = word.count > 64 ? "\(word.prefix(64))…" : word
        let names = command.configuration.subcommands.map { $0._commandName }
        guard !names.isEmpty else {
            return "no help topic \"\(shown)\": \(path.joined(separator: " ")) has no subcommands"
        }
        return "no help topic \"\(shown)\": \(path.joined(separator: " ")) has the commands \(names.joined(separator: ", "))"
    }
}
