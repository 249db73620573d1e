import BerthDeploy
import Foundation

extension DeployOutput {
    /// What a finished deploy (or rollback) leaves: the deployed stacks' outputs in `out`'s
    /// outputs.json, the summary, and on GitHub Actions the step outputs and the step summary
    /// (a failure to write those is a warning).
    func finish(
        _ plan: DeployPlan, _ outcome: AppDeployer.Outcome, started: ContinuousClock.Instant, out: String, app: String,
        environment: String?, github: GitHubActions, context: Berth.Context
    ) throws {
        let deployed = plan.stacks.map(\.name).filter { outcome.results[$0] != nil }
        try OutputsFile(directory: out).merge(outcome.outputs.filter { deployed.contains($0.key) })
        line("wrote \((out as NSString).appendingPathComponent(OutputsFile.name))")
        summary(plan, outcome)
        let report = DeployReport(plan: plan, outcome: outcome, elapsed: ContinuousClock.now - started)
        do {
            try github.setOutputs(report.stepOutputs)
            try github.appendSummary(report.markdown(app: app, environment: environment))
        } catch {
            context.warn("\(error)")
        }
    }
}
