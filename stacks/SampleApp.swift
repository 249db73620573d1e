import BerthCLI

/// The sample application: a web front end, an API and a background worker, in the
/// environments of `stacks/environments/`.
///
/// The environment files say what runs where; this file adds what YAML does not say: the
/// worker's permission to read its queue, and the API's tracing sidecar.
@main
struct SampleApp: AppDefinition {
    static func main() async {
        await Berth.main(SampleApp())
    }

    func makeApp(configuration: Configuration) throws -> App {
        var blueprint = try configuration.blueprint()
        // The worker takes orders from the queue its environment file names (the previews share
        // one), else its environment's own.
        blueprint.configureService("worker") { service, environment in
            let queue = service.settings.environment["QUEUE_NAME"] ?? "shop-\(environment.name)-orders"
            service.taskRoleStatements.append(
                PolicyStatement(
                    sid: "ReadOrders", actions: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"],
                    resources: [Intrinsic.sub("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:\(queue)").templateValue]))
        }
        // The API sends traces through an OpenTelemetry collector that runs beside it.
        blueprint.configureService("api") { service, _ in
            var collector = FargateService.Sidecar(
                name: "otel-collector", image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1", port: 4317,
                essential: false)
            collector.memoryReservation = 64
            // The collector's image runs as its own user (10001) and writes nothing to disk.
            collector.user = "10001"
            collector.readonlyRootFilesystem = true
            service.sidecars.append(collector)
            service.dependsOn.append(.init(container: collector.name, condition: .start))
            service.taskRoleStatements.append(
                .allow(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], on: ["*"], sid: "SendTraces"))
        }
        return blueprint.build()
    }
}
