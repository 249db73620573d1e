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
            guard subcommand(named: word, of: root) != nil else { return unknown(word, path: [root._commandName], of: root) }
            return unexpectedWord(in: words, root: root)
        }
        return nil
    }

    /// Help for a command followed by a word it does not take (`berth synth nosuch --help`):
    /// the words without the help flags, parsed as the command would parse them, report it.
    private static func unexpectedWord(in words: [String], root: any ParsableCommand.Type) -> String? {
        do {
            _ = try root.parseAsRoot(words.filter { !helpFlags.contains($0) })
            return nil
        } catch {
            let message = root.message(for: error)
            guard message.contains("nexpected argument") else { return nil }
            return "no help topic: \(message.split(separator: "\n").first?.prefix(200) ?? "")"
        }
    }

    private static func subcommand(named name: String, of command: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { subcommand in
            subcommand._commandName == name || subcommand.configuration.aliases.contains(name)
        }
    }

    private static func unknown(_ word: String, path: [String], of command: any ParsableCommand.Type) -> String {
        let shown = String((word.count > 64 ? "\(word.prefix(64))…" : word).debugDescription.dropFirst().dropLast())
        let names = command.configuration.subcommands.map { $0._commandName }
        guard !names.isEmpty else {
            return "no help topic \"\(shown)\": \(path.joined(separator: " ")) has no subcommands"
        }
        return "no help topic \"\(shown)\": \(path.joined(separator: " ")) has the commands \(names.joined(separator: ", "))"
    }
}
