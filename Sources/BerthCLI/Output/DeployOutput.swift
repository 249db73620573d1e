import BerthModel
import BerthAWS
import BerthDeploy
import Foundation

/// How a deploy looks on the console: one plain line per event in CI or a pipe; on a terminal,
/// the same lines with a progress line redrawn under them.
struct DeployOutput: Sendable {
    let console: Console
    var github = GitHubActions(environment: [:])

    func line(_ text: String) {
        clearProgress()
        console.write(TerminalText.printable(text) + "\n")
    }

    func heading(_ text: String) { line("== \(text)") }

    func done(_ stack: String, _ result: DeployResult) {
        switch result {
        case .created: line("\(stack): created")
        case .updated: line("\(stack): updated")
        case .noChanges: line("\(stack): no changes")
        }
    }

    func gate(_ service: String, _ result: ImageGate.Result) {
        let pushed = result.pushedAt.map(TimeText.utc) ?? "unknown"
        line("\(service): image \(result.repositoryName):\(result.tag) is in ECR: digest \(result.digest), pushed \(pushed) UTC")
        // Once the tag moves on, the pinned image may have no tag left: an untagged image is
        // what Berth's lifecycle rule expires after a day, and new tasks could not pull it.
        let untaggedLater = "; once \(result.tag) moves on, that image keeps no tag unless it has another, and the lifecycle policy expires untagged images after a day"
        if let filter = result.matchingFilter {
            line("\(service): the tag matches the repository's mutable-tag filter \"\(filter)\": the task definition pins the digest" + untaggedLater)
        } else if result.tagCanMove {
            line("\(service): the repository's tags are mutable: the task definition pins the digest" + untaggedLater)
        }
        if result.signatureVerified {
            line("\(service): signed: a Cosign signature by \(result.signedBy ?? "the required key") names digest \(result.digest); the task definition pins it")
        }
    }

    /// The stack-level progress of a deploy of several stacks.
    func progress(waitingForImages wait: Duration) -> AppDeployer.Progress {
        AppDeployer.Progress(
            stackStarted: { stack in
                let phase = stack.phase == .ecr ? "phase 1" : "phase 2"
                self.heading("\(phase): \(stack.name)")
            },
            stackFinished: { stack, result in self.done(stack.name, result) },
            gateStarted: { service, tag in
                self.heading("image gate: \(service) \(tag)\(wait > .zero ? " (waiting up to \(wait) for the image)" : "")")
            },
            gatePassed: { service, result in self.gate(service, result) })
    }

    /// What was deployed, and where the web services answer.
    func summary(_ plan: DeployPlan, _ outcome: AppDeployer.Outcome) {
        let counts = Dictionary(grouping: outcome.results.values, by: { $0 }).mapValues(\.count)
        let parts = [(DeployResult.created, "created"), (.updated, "updated"), (.noChanges, "unchanged")].compactMap { result, word in
            counts[result].map { "\($0) \(word)" }
        }
        line("done: \(outcome.results.count) stack\(outcome.results.count == 1 ? "" : "s") (\(parts.joined(separator: ", ")))")
        for stack in plan.stacks {
            guard let outputs = outcome.outputs[stack.name] else { continue }
            if let url = outputs[OutputName.loadBalancerUrl] { line("\(stack.environment ?? stack.name): \(url)") }
            if let url = outputs[OutputName.serviceUrl], let service = stack.service { line("\(service): \(url)") }
        }
    }

    var reporter: DeployReporter {
        DeployReporter(
            message: { self.line($0) },
            plannedChanges: { stack, changes in
                self.line("\(stack): \(changes.count) planned change\(changes.count == 1 ? "" : "s")")
                // Stacks deploy side by side: every line names its stack.
                for change in changes {
                    let marker = switch change.action {
                    case "Add": "+"
                    case "Remove": "-"
                    default: "~"
                    }
                    let replacement = change.replacement == "True" ? " (replacement)" : change.replacement == "Conditional" ? " (may be replaced)" : ""
                    self.line("\(stack):   \(marker) \(change.action) \(change.logicalID) \(change.resourceType)\(replacement)")
                }
            },
            event: { event, done, total in
                let time = event.timestamp.map(TimeText.utc) ?? "-"
                let reason = event.statusReason.map { " - \($0)" } ?? ""
                self.line("\(time)  \(event.stackName)  \(event.logicalID)  \(event.resourceType)  \(event.status)\(reason)  [\(done)/\(total)]")
                self.showProgress("\(event.stackName): \(done) of \(total) resources done")
            },
            warning: { warning in
                let text = ErrorWording.text(warning)
                self.line("warning: " + text)
                if let annotation = self.github.annotation(.warning, title: "berth deploy", text) { self.console.write(annotation) }
            })
    }

    private func showProgress(_ text: String) {
        guard console.isInteractive else { return }
        console.write("\u{1B}[2K\r\(text)")
    }

    private func clearProgress() {
        guard console.isInteractive else { return }
        console.write("\u{1B}[2K\r")
    }
}

/// `out/outputs.json`: the deployed stacks' outputs, by stack; a destroy takes out the ones it deleted.
struct OutputsFile {
    static let name = "outputs.json"
    let directory: String

    /// Writes `outputs`, keeping what the file already holds for other stacks.
    func merge(_ outputs: [String: [String: String]]) throws {
        let path = (directory as NSString).appendingPathComponent(Self.name)
        var all: [String: [String: String]] = [:]
        if let data = (try? RegularFile.read(path)).map({ Data($0) }),
            let existing = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        {
            all = existing
        }
        for (stack, values) in outputs { all[stack] = values }
        try write(all, to: path)
    }

    /// Takes `stacks`, deleted, out of the file, when it is there and holds any of them.
    func remove(_ stacks: [String]) throws {
        let path = (directory as NSString).appendingPathComponent(Self.name)
        guard let data = (try? RegularFile.read(path)).map({ Data($0) }),
            var all = try? JSONDecoder().decode([String: [String: String]].self, from: data), stacks.contains(where: { all[$0] != nil })
        else { return }
        for stack in stacks { all[stack] = nil }
        try write(all, to: path)
    }

    private func write(_ all: [String: [String: String]], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try encoder.encode(all).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure(.failure, "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
