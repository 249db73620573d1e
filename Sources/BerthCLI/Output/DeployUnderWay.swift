import BerthDeploy
import Foundation

/// What a deploy has under way, kept from its progress, so that a timeout or an interrupt says
/// what became of it: the stacks that failed and why (a failure the wait for the others would
/// otherwise hide), the stacks being deployed (what CloudFormation began on those whose change
/// set ran carries on; the others were not changed), or an image gate that had not passed (no
/// phase-2 stack changed yet).
final class DeployUnderWay: @unchecked Sendable {
    private let lock = NSLock()
    private var unfinished: [String] = []
    private var executing: Set<String> = []
    private var failed: [(stack: String, error: String)] = []
    private var gatesUnderWay = 0
    private var rerunCommand: String?

    /// What continues the deploy, when it is not the same command again: a rollback that chose
    /// its tags from the history names them (`the same command again with --to api=v1`), as a
    /// rollback run again would go back from what it has just deployed.
    func continues(with command: String) { lock.withLock { rerunCommand = command } }

    /// `reporter`, recording each stack whose change set is executed first.
    func recording(_ reporter: DeployReporter) -> DeployReporter {
        var recording = reporter
        recording.stackChanging = { stack in
            self.lock.withLock { _ = self.executing.insert(stack) }
            reporter.stackChanging(stack)
        }
        return recording
    }

    /// `progress`, recording each stack started, finished and failed, and each service at the
    /// gate, first.
    func recording(_ progress: AppDeployer.Progress) -> AppDeployer.Progress {
        AppDeployer.Progress(
            stackStarted: { stack in
                self.lock.withLock { self.unfinished.append(stack.name) }
                progress.stackStarted(stack)
            },
            stackFinished: { stack, result in
                self.lock.withLock { self.unfinished.removeAll { $0 == stack.name } }
                progress.stackFinished(stack, result)
            },
            gateStarted: { service, tag in
                self.lock.withLock { self.gatesUnderWay += 1 }
                progress.gateStarted(service, tag)
            },
            gatePassed: { service, result in
                self.lock.withLock { self.gatesUnderWay -= 1 }
                progress.gatePassed(service, result)
            },
            stackFailed: { stack, error in
                self.lock.withLock {
                    self.unfinished.removeAll { $0 == stack.name }
                    self.failed.append((stack.name, "\(error)"))
                }
                progress.stackFailed(stack, error)
            })
    }

    /// What became of the deploy once it stopped waiting, and what to run next: `…; <this>`.
    var whatCarriesOn: String {
        let (stacks, executed, failures, gateUnderWay, command) = lock.withLock { (unfinished, executing, failed, gatesUnderWay > 0, rerunCommand) }
        let rerun = command.map { "Run \($0)" } ?? "Run the same command again"
        let failedText = failures.map { "\($0.stack) failed: \($0.error)" }.joined(separator: "; ")
        let lead = failedText.isEmpty ? "" : failedText + (failedText.hasSuffix("\n") ? "" : "\n")
        if !stacks.isEmpty {
            let changing = stacks.filter(executed.contains), unchanged = stacks.filter { !executed.contains($0) }
            var said: [String] = []
            if !changing.isEmpty {
                let (them, were) = changing.count == 1 ? ("it", "was") : ("them", "were")
                said.append("\(changing.joined(separator: ", ")) \(were) being deployed: what CloudFormation had begun on \(them) carries on.")
            }
            if !unchanged.isEmpty {
                let (their, them, were, sets) = unchanged.count == 1 ? ("its", "it", "was", "set") : ("their", "them", "were", "sets")
                said.append(
                    "\(unchanged.joined(separator: ", ")) \(were) not changed by this deploy: \(their) change \(sets) had not run "
                        + "(any operation already under way on \(them) carries on).")
            }
            let next = changing.isEmpty ? "continue" : "wait for \(changing.count == 1 ? "it" : "them") and continue"
            return lead + said.joined(separator: " ") + " \(rerun) to \(next)."
        }
        if gateUnderWay {
            return lead + "the image gate had not passed, so no phase-2 stack was changed (stacks deployed before the gate stay deployed). "
                + "\(rerun) to continue, once the images are in ECR."
        }
        return lead + "no \(failures.isEmpty ? "" : "other ")stack was being changed. \(rerun) to continue."
    }
}
