import BerthCLI
import Foundation

/// An app with `BERTH_BENCH_SERVICES` services (default 10) in a dev and a prod environment:
/// per service a repository stack and two service stacks, per environment a shared stack, for
/// timing `synth` as apps grow. Used by `make bench`.
@main
struct BenchApp: AppDefinition {
    static func main() async {
        let count = ProcessInfo.processInfo.environment["BERTH_BENCH_SERVICES"].flatMap(Int.init) ?? 10
        await Berth.main(BenchApp(serviceCount: count))
    }

    let serviceCount: Int

    func makeApp(configuration: Configuration) throws -> App {
        let environments = ["dev", "prod"].enumerated().map { index, name in
            var environment = EnvironmentSettings(name: name, region: "eu-west-1")
            environment.network = .newVPC(cidr: "10.\(index).0.0/16")
            environment.keepImages = name == "prod" ? 30 : 10
            for number in 1...max(1, serviceCount) {
                var settings = FargateService.Settings(size: FargateSize(cpu: 512, memory: 1024))
                settings.environment = ["LOG_LEVEL": "info", "SERVICE_INDEX": String(number)]
                // A hundred services per path depth: derived listener-rule priorities give a band of
                // 171 numbers to the rules of one prefix length (AppBlueprint refuses more).
                settings.routing.paths = ["/" + String(repeating: "s/", count: number / 100) + "svc\(number)/*"]
                if name == "prod" {
                    settings.autoscaling = .init(minCount: 2, maxCount: 8, cpuTargetPercent: 60)
                }
                environment.services.append(Named("svc\(number)", settings))
            }
            return environment
        }
        return AppBlueprint(name: "bench", environments: environments).build()
    }
}
