import BerthDeploy
import Foundation

/// What a deploy has under way, kept from its progress, so that a timeout or an interrupt says
/// what became of it: the stacks that failed and why (a failure the wait for the others would
/// otherwise hide), the stacks being deployed (what CloudFormation began on them carries on), or
/// an image gate that had not passed (no phase-2 stack changed yet).
final class DeployUnderWay: @unchecked Sendable {
    private let lock = NSLock()
    private var unfinished: [String] = []
    private var failed: [(stack: String, error: String)] = []
    private var gatesUnderWay = 0
    private var rerunCommand: String?

    /// What continues the deploy, when it is not the same command again: a rollback that chose
    /// its tags from the history names them (`the same command again with --to api=v1`), as a
    /// rollback run again would go back from what it has just deployed.
    func continues(with command: String) { lock.withLock { rerunCommand = command } }

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
        let (stacks, failures, gateUnderWay, command) = lock.withLock { (unfinished, failed, gatesUnderWay > 0, rerunCommand) }
        let rerun = command.map { "Run \($0)" } ?? "Run the same command again"
        let failedText = failures.map { "\($0.stack) failed: \($0.error)" }.joined(separator: "; ")
        let lead = failedText.isEmpty ? "" : failedText + (failedText.hasSuffix("\n") ? "" : "\n")
        if !stacks.isEmpty {
            let (them, were) = stacks.count == 1 ? ("it", "was") : ("them", "were")
            return lead + "\(stacks.joined(separator: ", ")) \(were) being deployed: what CloudFormation had begun on \(them) carries on. "
                + "\(rerun) to wait for \(them) and continue."
        }
        if gateUnderWay {
            return lead + "the image gate had not passed, so no phase-2 stack was changed (stacks deployed before the gate stay deployed). "
                + "\(rerun) to continue, once the images are in ECR."
        }
        return lead + "no \(failures.isEmpty ? "" : "other ")stack was being changed. \(rerun) to continue."
    }
}
