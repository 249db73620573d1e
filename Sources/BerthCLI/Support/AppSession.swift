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
    /// and selects `selection` from it. Every environment file is read and checked; of the
    /// phase-2 stacks, only the selected environment's are built, checked and rendered, as
    /// `synth --env` does, unless `everyEnvironment` asks for all of them (`images`, which says
    /// where each image runs).
    init(
        _ options: AppOptions, environment: String?, selecting selection: DeployPlan.Selection, everyEnvironment: Bool = false
    ) throws {
        context = try Berth.currentContext()
        configuration = try options.configuration(environment: environment)
        synthesized = try Synthesizer(definition: context.app, configuration: configuration, leftUndone: "nothing was sent to AWS")
            .synthesize(environment: everyEnvironment ? nil : selection.environment, stackName: nil, format: .json)
        let whole = DeployPlan(synthesized: synthesized)
        // An environment no file defines may be a preview to make (`images --env pr-5`): say so.
        // Also when the selection is not one environment's (`deploy --phase ecr --env nope`): a
        // name given is a name checked.
        if let environment = environment ?? selection.environment, !whole.environments.contains(environment) {
            throw CommandFailure(
                .inputError,
                "no environment \(environment); the app has \(whole.environments.joined(separator: ", "))" + configuration.previewHint(for: environment))
        }
        plan = try whole.selecting(selection)
    }

    /// The AWS clients of the app's stacks, each environment's signing with its own credentials
    /// (`AppClients`). Every configuration is made (credentials, CA bundle, endpoints checked),
    /// and the accounts the files name are checked (roles assumed, STS GetCallerIdentity), before
    /// the first call for a stack. `--region` sends every stack to that region, so it is refused
    /// when the app's stacks are in several. The repositories' account is checked first only for
    /// a command that `usesRepositories` (a deploy, images, a rollback); the others, which may
    /// only read a tag there, have it checked at their first call (a status says it in a note),
    /// so that reading an environment needs no credentials of the repositories' account.
    func clients(
        _ options: AWSOptions, within limit: Duration, usesRepositories: Bool = false
    ) async throws -> @Sendable (ClientTarget) throws -> AppDeployer.Clients {
        let regions = Set(plan.app.values.map(\.region)).sorted()
        if let region = options.region, regions.count > 1 {
            throw CommandFailure(
                .inputError,
                "--region \(region): the app's stacks are in \(regions.joined(separator: ", ")) (each environment in its own region, the repositories in repositories.region); leave --region out")
        }
        var configurations: [String: AWSConfiguration] = [:]
        for region in regions {
            configurations[region] = try options.configuration(stackRegion: region, context: context, within: limit)
        }
        let clients = AppClients(access: try access(), plan: plan, configurations: configurations)
        let targets = plan.stacks.map(\.target) + (usesRepositories ? plan.stacks.filter { $0.imageRepository != nil }.map(plan.repositoryTarget(of:)) : [])
        try await clients.verify(targets)
        return { try clients.clients(for: $0) }
    }

    /// How Berth reaches `environment`'s account (`AppAccess.summary`), for the output of the
    /// commands that change it; `nil` with the caller's credentials as they are.
    func accessSummary(of environment: String?) throws -> String? {
        try environment.flatMap { try access().summary(of: $0) }
    }

    /// The accounts and roles the environment files name.
    private func access() throws -> AppAccess {
        let environments = try configuration.environments()
        var access = AppAccess(app: environments.first?.app ?? "")
        for environment in environments where environment.settings.account != nil || environment.settings.roleArn != nil {
            let settings = environment.settings
            access.environments[environment.name] = AppAccess.Environment(
                account: settings.account, location: environment.location(of: settings.account != nil ? "account" : "roleArn") ?? environment.file,
                roleArn: settings.roleArn, externalID: settings.externalID, roleLocation: environment.location(of: "roleArn"))
        }
        if let first = environments.first(where: { $0.settings.repositories?.account != nil }) {
            access.repositoriesAccount = first.settings.repositories?.account
            access.repositoriesLocation = first.location(of: "repositories.account") ?? first.file
        }
        return access
    }
}
