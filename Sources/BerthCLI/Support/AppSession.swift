import BerthAWS
import BerthTemplate
import BerthDeploy
import Foundation

/// What a command that works on the app's stacks starts with: the running command's context,
/// the synthesized app, and the plan of the stacks it selected. One place for the preamble that
/// deploy, diff, status, images, logs and destroy share.
struct AppSession {
    let context: Berth.Context
    let configuration: Configuration
    let synthesized: Synthesizer.Result
    /// The selected stacks, in the app's order.
    let plan: DeployPlan

    /// Synthesizes the app (the preview environment `environment` made from `--from` when asked)
    /// and selects `selection` from it.
    init(_ options: AppOptions, environment: String?, selecting selection: DeployPlan.Selection) throws {
        context = try Berth.currentContext()
        configuration = try options.configuration(environment: environment)
        synthesized = try Synthesizer(definition: context.app, configuration: configuration)
            .synthesize(environment: nil, stackName: nil, format: .json)
        plan = try DeployPlan(synthesized: synthesized).selecting(selection)
    }

    /// The AWS clients of each region the plan's stacks are in. Every configuration is made
    /// (credentials, CA bundle, endpoints checked) before the first call.
    func clients(_ options: AWSOptions, within limit: Duration) throws -> @Sendable (String) throws -> AppDeployer.Clients {
        var configurations: [String: AWSConfiguration] = [:]
        for region in Set(plan.stacks.map(\.region)).sorted() {
            configurations[region] = try options.configuration(stackRegion: region, context: context, within: limit)
        }
        return { [configurations] region in
            guard let configuration = configurations[region] else {
                throw CommandFailure(.failure, "no AWS configuration for region \(region)")
            }
            return AppDeployer.Clients(
                cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
                ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration),
                kms: KMSClient(configuration: configuration))
        }
    }
}
