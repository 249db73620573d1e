import BerthDeploy
import Foundation

/// What a deploy has under way, kept from its progress, so that a timeout or an interrupt says
/// what carries on: the stacks started and not finished (CloudFormation goes on with them), or
/// an image gate that had not passed (no phase-2 stack changed yet).
final class DeployUnderWay: @unchecked Sendable {
    private let lock = NSLock()
    private var unfinished: [String] = []
    private var gatesUnderWay = 0

    /// `progress`, recording each stack started and finished and each service at the gate first.
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
            })
    }

    /// What carries on after the deploy stopped waiting, and what to run next: `…; <this>`.
    var whatCarriesOn: String {
        let (stacks, gateUnderWay) = lock.withLock { (unfinished, gatesUnderWay > 0) }
        if !stacks.isEmpty {
            return "\(stacks.joined(separator: ", ")) carr\(stacks.count == 1 ? "ies" : "y") on in CloudFormation. "
                + "Run the same command again to wait for \(stacks.count == 1 ? "it" : "them") and continue."
        }
        if gateUnderWay {
            return "the image gate had not passed, so no phase-2 stack was changed (stacks deployed before the gate stay deployed). "
                + "Run the same command again once the images are pushed."
        }
        return "no stack was being changed. Run the same command again to continue."
    }
}
