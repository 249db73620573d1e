import BerthCLI
import CloudFormation
import Resources

/// The sample application: one service, `api`, in the environments of `stacks/environments/`.
///
/// Phase 1 is one stack holding the image repository that every environment pulls from, with a
/// lifecycle policy that keeps each environment's most recent images. Phase 2 is one stack per
/// environment holding the Fargate service behind its load balancer.
@main
struct SampleApp: AppDefinition {
    static func main() async {
        await Berth.main(SampleApp())
    }

    func makeApp(configuration: Configuration) throws -> App {
        let environments = try configuration.environments()
        let appName = try Configuration.sharedValue("app", of: environments) { $0.app }
        let serviceName = try Configuration.sharedValue("service", of: environments) { $0.service }
        let region = try Configuration.sharedValue("region", of: environments) { $0.region }
        var app = App(name: appName)

        var repositoryStack = Stack(
            name: "\(appName)-\(serviceName)-ecr", phase: .ecr, region: region,
            description: "\(appName) \(serviceName): image repository (phase 1, managed by Berth)")
        var lifecycle = LifecyclePolicy()
        for environment in environments {
            lifecycle.keepMostRecent(environment.keepImages, tagPrefix: environment.tagPrefix)
        }
        lifecycle.expireUntagged(afterDays: 1)
        ImageRepository(name: "\(appName)/\(serviceName)", lifecyclePolicy: lifecycle).add(to: &repositoryStack)
        app.add(repositoryStack)

        for environment in environments {
            var serviceStack = Stack(
                name: "\(appName)-\(serviceName)-\(environment.name)", phase: .ecs, environment: environment.name,
                region: environment.region,
                description: "\(appName) \(serviceName) in \(environment.name): Fargate service behind an ALB (phase 2, managed by Berth)")
            environment.fargateService(repositoryStack: repositoryStack.name).add(to: &serviceStack)
            app.add(serviceStack)
        }
        return app
    }
}
