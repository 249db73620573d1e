import BerthCLI
import CloudFormation
import Foundation
import Resources

/// An app with `BERTH_BENCH_SERVICES` services (default 10), each with its own repository stack
/// and a dev and a prod service stack, for timing `synth` as apps grow. Used by `make bench`.
@main
struct BenchApp: AppDefinition {
    static func main() async {
        let count = ProcessInfo.processInfo.environment["BERTH_BENCH_SERVICES"].flatMap(Int.init) ?? 10
        await Berth.main(BenchApp(serviceCount: count))
    }

    let serviceCount: Int

    func makeApp(configuration: Configuration) throws -> App {
        var app = App(name: "bench")
        for index in 1...max(1, serviceCount) {
            let service = "svc\(index)"
            var repositoryStack = Stack(
                name: "bench-\(service)-ecr", phase: .ecr, region: "eu-west-1", description: "bench \(service) images")
            var lifecycle = LifecyclePolicy()
            lifecycle.keepMostRecent(10, tagPrefix: "dev-")
            lifecycle.keepMostRecent(30, tagPrefix: "prod-")
            lifecycle.expireUntagged(afterDays: 1)
            ImageRepository(name: "bench/\(service)", lifecyclePolicy: lifecycle).add(to: &repositoryStack)
            app.add(repositoryStack)
            for environment in ["dev", "prod"] {
                var stack = Stack(
                    name: "bench-\(service)-\(environment)", phase: .ecs, environment: environment, region: "eu-west-1",
                    description: "bench \(service) in \(environment)")
                var settings = FargateService.Settings(size: FargateSize(cpu: 512, memory: 1024))
                settings.environment = ["LOG_LEVEL": "info", "SERVICE_INDEX": String(index)]
                settings.network = .newVPC(cidr: "10.\(index % 250).0.0/16")
                if environment == "prod" {
                    settings.autoscaling = .init(minCount: 2, maxCount: 8, cpuTargetPercent: 60)
                }
                FargateService(
                    name: service, qualifiedName: "bench-\(environment)-\(service)", repositoryStack: repositoryStack.name,
                    settings: settings
                ).add(to: &stack)
                app.add(stack)
            }
        }
        return app
    }
}
